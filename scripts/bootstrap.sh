# Sourced by serve.sh and test.sh: a virtual environment with the project installed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

python_bin=""
for candidate in python3.11 python3 python; do
  if command -v "$candidate" >/dev/null 2>&1 \
     && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    python_bin=$candidate
    break
  fi
done
if [ -z "$python_bin" ]; then
  echo "Python 3.11 is required (python3.11 not found)." >&2
  exit 1
fi

[ -x .venv/bin/python ] || "$python_bin" -m venv .venv
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[dev]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi

export PATH="$PWD/.venv/bin:$PATH"
export PREFECT_HOME="${PREFECT_HOME:-$PWD/var/prefect}"
export PREFECT_SERVER_ANALYTICS_ENABLED=false
