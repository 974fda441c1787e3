# Sourced by serve.sh, serve-production.sh and test.sh: a virtual environment with the project
# installed, made with Python 3.11, 3.12 or 3.13. It prefers python3.11, then 3.12, then 3.13
# (3.11 is what CI tests first; the newest is tested as well). GOVERNANCE_PYTHON chooses the
# interpreter and GOVERNANCE_VENV the environment's directory (default .venv).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

supported_versions="3.11 3.12 3.13"
venv=${GOVERNANCE_VENV:-.venv}
case $venv in /*) ;; *) venv=$PWD/$venv ;; esac

is_supported() {
  "$1" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null
}

if [ ! -x "$venv/bin/python" ]; then
  if [ -n "${GOVERNANCE_PYTHON:-}" ]; then
    python_bin=$GOVERNANCE_PYTHON
    if ! is_supported "$python_bin"; then
      echo "GOVERNANCE_PYTHON=$python_bin is not Python 3.11, 3.12 or 3.13." >&2
      exit 1
    fi
  # shellcheck disable=SC2086 # the versions are separate arguments
  elif ! python_bin=$(scripts/find-python.sh $supported_versions); then
    echo "Python 3.11, 3.12 or 3.13 is required, with its venv module; none was found" \
      "(tried python3.11, python3.12, python3.13, python3, python and pyenv)." >&2
    echo "On Debian or Ubuntu: sudo apt install python3 python3-venv" \
      "(Ubuntu 24.04 has 3.12), or set GOVERNANCE_PYTHON to an interpreter's path." >&2
    exit 1
  fi
  echo "Creating $venv with $("$python_bin" -V) ($python_bin) …"
  if ! "$python_bin" -m venv "$venv"; then
    rm -rf "$venv"
    echo "Could not create $venv (on Debian or Ubuntu the venv module is in python3-venv)." >&2
    exit 1
  fi
elif ! is_supported "$venv/bin/python"; then
  echo "$venv has $("$venv/bin/python" -V 2>&1), which is not Python 3.11, 3.12 or 3.13;" \
    "remove $venv and run this again." >&2
  exit 1
fi

stamp=$venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet -e '.[dev]'
  rm -f "$venv"/.installed-*
  touch "$stamp"
fi

export PATH="$venv/bin:$PATH"
export PREFECT_HOME="${PREFECT_HOME:-$PWD/var/prefect}"
export PREFECT_SERVER_ANALYTICS_ENABLED=false
