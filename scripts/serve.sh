#!/usr/bin/env bash
# Set up and run the platform with demo data at http://127.0.0.1:8000
# (SQLite, a local Prefect server on 127.0.0.1:4200 so no request waits for Prefect to start).
source "$(dirname "$0")/bootstrap.sh"

# The Prefect server starts first, so that the flows the demo's seeding starts use it (instead
# of a temporary server each) and its start-up overlaps the migrations.
if [ -z "${PREFECT_API_URL:-}" ]; then
  mkdir -p var/prefect
  prefect server start --host 127.0.0.1 --port 4200 > var/prefect-server.log 2>&1 &
  prefect_pid=$!
  trap 'kill $prefect_pid 2>/dev/null' EXIT
  export PREFECT_API_URL=http://127.0.0.1:4200/api
fi

python manage.py migrate --no-input

if [ -n "${prefect_pid:-}" ]; then
  echo "Starting Prefect server (log: var/prefect-server.log) …"
  for _ in $(seq 1 120); do
    if python -c "import urllib.request as u; u.urlopen('$PREFECT_API_URL/health', timeout=1)" \
        2>/dev/null; then
      break
    fi
    kill -0 "$prefect_pid" 2>/dev/null || { cat var/prefect-server.log; exit 1; }
    sleep 1
  done
  echo "Prefect UI: http://127.0.0.1:4200"
fi

python manage.py seed_demo

if [ "${FLOW_MODE:-inline}" = inline ]; then
  # Requests run their flows in this process; the scheduled ones (the nightly agreement
  # calendar …) need a runner serving their Prefect deployments.
  python manage.py serve_flows --schedules-only --limit 1 > var/flow-schedules.log 2>&1 &
  schedules_pid=$!
  trap 'kill ${prefect_pid:-} $schedules_pid 2>/dev/null' EXIT
  echo "Scheduled flows served (log: var/flow-schedules.log)"
fi

echo "Samverket governance: http://127.0.0.1:8000  (API docs: /api/docs, admin: /admin/)"
python manage.py runserver 127.0.0.1:8000
