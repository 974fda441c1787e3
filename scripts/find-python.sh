#!/usr/bin/env bash
# Print the path of the first Python interpreter of the given versions, in the order given:
#   scripts/find-python.sh 3.11 3.12 3.13
# For each version it tries python3.X on PATH, then python3 and python, then a pyenv-installed
# one (pyenv's shims put python3.X on PATH even when that version is not the selected one).
# Exits 1, printing nothing, if none of them is there.
set -uo pipefail

# Prints the interpreter's path if "$@" runs Python $version.
interpreter_of() {
  "$@" -c "import sys; ok = '%d.%d' % sys.version_info[:2] == '$version'
ok and print(sys.executable); sys.exit(not ok)" 2>/dev/null
}

for version in "$@"; do
  for candidate in "python$version" python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 && interpreter_of "$candidate"; then
      exit 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1 \
      && PYENV_VERSION=$version interpreter_of pyenv exec "python$version"; then
    exit 0
  fi
done
exit 1
