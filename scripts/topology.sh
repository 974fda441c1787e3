#!/usr/bin/env bash
# The production topology on this one machine, for trying it (loopback only; README, "Running
# flows on other machines"): two PostgreSQL databases on the local server (the platform's and
# the Prefect server's own), the Prefect server on PostgreSQL, two serve_flows workers, each with
# its own PREFECT_HOME, and the web process (scripts/serve-production.sh) with
# FLOW_MODE=deployment. Logs under var/topology/. Ctrl-C stops everything it started.
#
#   PGHOST, PGPORT, PGUSER   the PostgreSQL server (127.0.0.1, 5432, postgres; trust auth)
#   TOPOLOGY_DATABASE        the platform's database (samverket_topology; Prefect's: …_prefect)
#   PORT, PREFECT_PORT       the web process and the Prefect server (8010, 4210)
#   WORKER_LIMIT             runs each worker takes at once (default: the machine's cores)
#   FLOW_ENVIRONMENT         names the deployments (topology)
#   TOPOLOGY_LOGS            where the logs and the parts' process ids go (var/topology)
source "$(dirname "$0")/bootstrap.sh"

pg_host=${PGHOST:-127.0.0.1}
pg_port=${PGPORT:-5432}
pg_user=${PGUSER:-postgres}
database=${TOPOLOGY_DATABASE:-samverket_topology}
prefect_database=${database}_prefect
web_port=${PORT:-8010}
prefect_port=${PREFECT_PORT:-4210}
logs=${TOPOLOGY_LOGS:-var/topology}
case $logs in /*) ;; *) logs=$logs ;; esac
mkdir -p "$logs"

pids=()
stop_all() {
  echo "Stopping the topology …"
  # Each part runs in a session of its own: the signal reaches its children too (gunicorn's
  # workers, the flow processes of a serve_flows worker).
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
}
trap stop_all EXIT
trap 'exit 130' INT TERM

start() {  # start NAME COMMAND…: in its own session, output to $logs/NAME.log, id in NAME.pid
  local name=$1
  shift
  setsid "$@" > "$logs/$name.log" 2>&1 &
  pids+=($!)
  echo $! > "$logs/$name.pid"
}

wait_for() {  # wait_for WHAT URL: until the address answers (at most two minutes)
  for _ in $(seq 1 120); do
    if python -c "import urllib.request as u; u.urlopen('$2', timeout=1)" 2>/dev/null; then
      return 0
    fi
    sleep 1
  done
  echo "$1 did not start; see $logs/." >&2
  exit 1
}

for db in "$database" "$prefect_database"; do
  if ! psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -qc "CREATE DATABASE $db"
  fi
done

export DATABASE_URL="postgres://$pg_user@$pg_host:$pg_port/$database"
export FLOW_MODE=deployment
export FLOW_ENVIRONMENT=${FLOW_ENVIRONMENT:-topology}
export PREFECT_API_URL="http://127.0.0.1:$prefect_port/api"
export PREFECT_SERVER_ANALYTICS_ENABLED=false

echo "Prefect server on PostgreSQL ($prefect_database): $logs/prefect-server.log"
PREFECT_HOME=$logs/prefect-server \
  PREFECT_API_DATABASE_CONNECTION_URL="postgresql+asyncpg://$pg_user@$pg_host:$pg_port/$prefect_database" \
  start prefect-server prefect server start --host 127.0.0.1 --port "$prefect_port"

python manage.py migrate --no-input
python manage.py seed_demo
wait_for "The Prefect server" "$PREFECT_API_URL/health"

for n in 1 2; do
  echo "Worker $n: $logs/worker-$n.log"
  PREFECT_HOME=$logs/worker-$n \
    start "worker-$n" python manage.py serve_flows --limit "${WORKER_LIMIT:-$(nproc)}"
done

echo "Web process: $logs/web.log"
# Plain HTTP on loopback: the session cookie may not be HTTPS-only, or the admin cannot sign in.
DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-$(python -c 'import secrets; print(secrets.token_urlsafe(50))')} \
  DJANGO_SECURE_COOKIES=false HOST=127.0.0.1 PORT=$web_port \
  start web scripts/serve-production.sh
wait_for "The web process" "http://127.0.0.1:$web_port/api/openapi.json"

echo "Samverket topology: http://127.0.0.1:$web_port (admin: /admin/, demo users as in the README)"
echo "Prefect UI: http://127.0.0.1:$prefect_port   Ctrl-C stops it all."
while true; do
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "A part of the topology stopped; see $logs/." >&2; exit 1; }
  done
  sleep 2
done
