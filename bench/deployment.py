"""Deployment mode end to end, as a ratio to the same flow run inline, in one run.

Starts the topology of scripts/topology.sh on throw-away PostgreSQL databases (Prefect server on
its own database, two serve_flows workers, the web process with FLOW_MODE=deployment) and, next
to it, a web process with FLOW_MODE=inline (flows run before the request returns) on the same
databases and Prefect server. Then, through the API (POST /api/organisations/revalidate, polled
at GET /api/flow-runs/{id} every 50 ms until completed), prints:
- end-to-end seconds (median, p95) of 10 sequential and of 10 concurrent runs, deployment and
  inline, and deployment / inline;
- the POST's latency with the Prefect server frozen (SIGSTOP), divided by the inline run's
  end-to-end median (and by the POST's latency with the server up).
Everything is stopped and the databases dropped at the end.

Usage: .venv/bin/python bench/deployment.py [--runs 10]
(PostgreSQL on 127.0.0.1:5432, user postgres, trust auth: PGHOST, PGPORT, PGUSER.)
"""

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = {
    "host": os.environ.get("PGHOST", "127.0.0.1"),
    "port": os.environ.get("PGPORT", "5432"),
    "user": os.environ.get("PGUSER", "postgres"),
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def _wait_until(condition, bound: float, what: str) -> None:
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise SystemExit(f"waited {bound:g} s for {what}")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Api:
    """The platform's API at one address, as the demo coordinator."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.token = self._call(
            "POST",
            "/api/auth/token",
            {"username": "coordinator", "password": "samverket-demo"},
        )["token"]

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        headers = {"Content-Type": "application/json"}
        if getattr(self, "token", None):
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(
            f"{self.base}{path}",
            method=method,
            headers=headers,
            data=json.dumps(body).encode() if body is not None else None,
        )
        with urllib.request.urlopen(request, timeout=120) as answer:
            return json.load(answer)

    def post_run(self) -> tuple[dict, float]:
        started = time.monotonic()
        body = self._call("POST", "/api/organisations/revalidate")
        return body, time.monotonic() - started

    def run_to_completion(self) -> float:
        """Seconds from the POST to the run being completed (polled every 50 ms)."""
        started = time.monotonic()
        body = self._call("POST", "/api/organisations/revalidate")
        while body["state"] not in {"completed", "failed"}:
            if time.monotonic() - started > 300:
                raise SystemExit(f"run {body['id']} did not finish in 300 s")
            time.sleep(0.05)
            body = self._call("GET", f"/api/flow-runs/{body['id']}")
        if body["state"] != "completed":
            raise SystemExit(f"run {body['id']} failed: {body['error']}")
        return time.monotonic() - started

    def wait_for(self, run_id: int) -> None:
        _wait_until(
            lambda: self._call("GET", f"/api/flow-runs/{run_id}")["state"] == "completed",
            300,
            f"run {run_id}",
        )


def measure(api: Api, runs: int) -> tuple[list[float], list[float]]:
    sequential = [api.run_to_completion() for _ in range(runs)]
    with ThreadPoolExecutor(max_workers=runs) as pool:
        concurrent = list(pool.map(lambda _: api.run_to_completion(), range(runs)))
    return sequential, concurrent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    database = f"samverket_bench_{os.getpid()}"
    logs = Path(tempfile.mkdtemp(prefix="bench-deployment-"))
    web_port, prefect_port, inline_port = _free_port(), _free_port(), _free_port()
    environment = {
        **os.environ,
        "TOPOLOGY_DATABASE": database,
        "TOPOLOGY_LOGS": str(logs),
        "PORT": str(web_port),
        "PREFECT_PORT": str(prefect_port),
        "FLOW_ENVIRONMENT": f"bench-{os.getpid()}",
    }
    topology = subprocess.Popen(
        [str(ROOT / "scripts" / "topology.sh")],
        cwd=ROOT,
        env=environment,
        stdout=(logs / "topology.out").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    inline = None
    try:
        _wait_until(lambda: _answers(f"http://127.0.0.1:{web_port}/api/openapi.json"), 240, "web")
        _wait_until(lambda: (logs / "prefect-server.pid").exists(), 10, "the server's id")
        prefect_server = int((logs / "prefect-server.pid").read_text())
        inline = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "governance.wsgi:application",
                "--bind",
                f"127.0.0.1:{inline_port}",
                "--workers",
                "2",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{database}",
                "PREFECT_API_URL": f"http://127.0.0.1:{prefect_port}/api",
                "FLOW_MODE": "inline",
                "FLOW_INLINE_IN_BACKGROUND": "false",
            },
            stdout=(logs / "inline-web.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        inline_base = f"http://127.0.0.1:{inline_port}"
        _wait_until(lambda: _answers(f"{inline_base}/api/openapi.json"), 60, "inline web")

        deployed_api = Api(f"http://127.0.0.1:{web_port}")
        inline_api = Api(inline_base)
        # Warm up: the first run of each pays for imports and the workers' registration.
        deployed_api.run_to_completion()
        inline_api.run_to_completion()

        inline_sequential, inline_concurrent = measure(inline_api, args.runs)
        deployed_sequential, deployed_concurrent = measure(deployed_api, args.runs)

        posts_up = [deployed_api.post_run()[1] for _ in range(args.runs)]
        os.killpg(prefect_server, signal.SIGSTOP)
        try:
            frozen = [deployed_api.post_run() for _ in range(args.runs)]
        finally:
            os.killpg(prefect_server, signal.SIGCONT)
        for body, _ in frozen:
            deployed_api.wait_for(body["id"])
        posts_frozen = [seconds for _, seconds in frozen]
    finally:
        for process in (inline, topology):
            if process is not None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=60)
        for name in (database, f"{database}_prefect"):
            subprocess.run(
                ["psql", "-h", PG["host"], "-p", PG["port"], "-U", PG["user"], "-d", "postgres"]
                + ["-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                check=False,
            )

    inline_median = statistics.median(inline_sequential)
    print(f"runs per measurement: {args.runs}; two workers (--limit = cores), 2 web workers")
    print(f"{'':34s}{'median':>9s}{'p95':>9s}   deployment / inline (median, p95)")
    for label, deployed, inline_times in (
        ("sequential", deployed_sequential, inline_sequential),
        ("concurrent", deployed_concurrent, inline_concurrent),
    ):
        for mode, times in (("inline", inline_times), ("deployment", deployed)):
            print(
                f"{label + ', ' + mode + ', end to end:':34s}"
                f"{statistics.median(times):8.2f}s{_p95(times):8.2f}s"
            )
        print(
            f"{'':52s}ratio {statistics.median(deployed) / statistics.median(inline_times):.1f}, "
            f"{_p95(deployed) / _p95(inline_times):.1f}"
        )
    frozen_median = statistics.median(posts_frozen)
    print(
        f"POST, Prefect server frozen: median {frozen_median * 1000:.1f} ms, "
        f"max {max(posts_frozen) * 1000:.1f} ms; / inline run median "
        f"{frozen_median / inline_median:.3f}; / POST with the server up "
        f"{frozen_median / statistics.median(posts_up):.2f}"
    )


if __name__ == "__main__":
    main()
