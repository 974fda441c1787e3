#!/usr/bin/env bash
# Run the platform in production mode (README, "Running in production"): DJANGO_DEBUG=false,
# migrations, collectstatic (compressed, hashed copies WhiteNoise serves), then gunicorn on
# $HOST:$PORT (default 127.0.0.1:8000, behind an HTTPS proxy) with $WEB_CONCURRENCY workers
# (default 2). No demo data. Refuses to start without DJANGO_SECRET_KEY.
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  echo "DJANGO_SECRET_KEY must be set to run in production (a long random value, e.g." \
    "python3 -c 'import secrets; print(secrets.token_urlsafe(50))')." >&2
  exit 1
fi
source "$(dirname "$0")/bootstrap.sh"

export DJANGO_DEBUG=false
host=${HOST:-127.0.0.1}
port=${PORT:-8000}
workers=${WEB_CONCURRENCY:-2}

python manage.py check --deploy
python manage.py migrate --no-input
python manage.py collectstatic --no-input --verbosity 0

echo "Samverket governance (production): http://$host:$port, $workers gunicorn workers"
exec gunicorn governance.wsgi:application --bind "$host:$port" --workers "$workers" \
  --access-logfile - --error-logfile -
