#!/usr/bin/env bash
# Production mode, end to end (run by .ci/run), with the HTTPS settings the README documents:
#  1. `manage.py check --deploy --fail-level WARNING` passes;
#  2. scripts/serve-production.sh refuses to start without DJANGO_SECRET_KEY;
#  3. it starts (migrate, collectstatic, gunicorn) on a free loopback port, on a fresh SQLite
#     database, and scripts/production_probe.py checks the API docs page, the admin login and
#     the static files they load (200, CSP header, nothing inline the CSP refuses);
#  4. the server is stopped on exit, whatever happened. Every step has a time limit.
source "$(dirname "$0")/bootstrap.sh"

work=$(mktemp -d "$PWD/var/production-check.XXXXXX")
server_pid=""
stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM -- "-$server_pid" 2>/dev/null || true
  for _ in $(seq 1 20); do
    kill -0 -- "-$server_pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -KILL -- "-$server_pid" 2>/dev/null || true
  server_pid=""
}
trap 'stop_server; rm -rf "$work"' EXIT

export GOVERNANCE_VAR_DIR=$work
export DJANGO_DEBUG=false
DJANGO_SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))')
export DJANGO_SECRET_KEY
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto
export DJANGO_SECURE_SSL_REDIRECT=true
export DJANGO_HSTS_SECONDS=31536000 DJANGO_HSTS_INCLUDE_SUBDOMAINS=true DJANGO_HSTS_PRELOAD=true
export DJANGO_CSRF_TRUSTED_ORIGINS=https://samverket.example.org

echo "== manage.py check --deploy --fail-level WARNING"
timeout 120 python manage.py check --deploy --fail-level WARNING

echo "== serve-production.sh without DJANGO_SECRET_KEY"
if timeout 60 env -u DJANGO_SECRET_KEY ./scripts/serve-production.sh > "$work/refused.log" 2>&1 \
    || ! grep -q DJANGO_SECRET_KEY "$work/refused.log"; then
  cat "$work/refused.log"
  echo "serve-production.sh did not refuse to start without DJANGO_SECRET_KEY." >&2
  exit 1
fi
cat "$work/refused.log"

port=$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0));
print(s.getsockname()[1])')
echo "== serve-production.sh on 127.0.0.1:$port (log: $work/server.log)"
# Its own process group (setsid), so stop_server ends gunicorn and its workers together.
HOST=127.0.0.1 PORT=$port WEB_CONCURRENCY=2 setsid ./scripts/serve-production.sh \
  > "$work/server.log" 2>&1 &
server_pid=$!
started=$SECONDS
until python -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; do
  if ! kill -0 "$server_pid" 2>/dev/null || [ $((SECONDS - started)) -ge 180 ]; then
    cat "$work/server.log"
    echo "The production server did not start within 180 s." >&2
    exit 1
  fi
  sleep 1
done
echo "listening after $((SECONDS - started)) s"

if ! timeout 120 python scripts/production_probe.py "http://127.0.0.1:$port"; then
  cat "$work/server.log"
  exit 1
fi
stop_server
echo "Production check passed."
