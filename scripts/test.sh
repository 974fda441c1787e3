#!/usr/bin/env bash
# Set up and run the whole test suite (SQLite unless DATABASE_URL says otherwise).
source "$(dirname "$0")/bootstrap.sh"

python manage.py makemigrations --check --dry-run > /dev/null \
  || { echo "Model changes without a migration: run manage.py makemigrations." >&2; exit 1; }
exec python -m pytest "$@"
