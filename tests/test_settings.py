import os
import subprocess
import sys


def _import_settings(**env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", "import governance.settings"],
        env={**environment, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_settings_refuse_the_development_secret_without_debug():
    refused = _import_settings(DJANGO_DEBUG="false")
    assert refused.returncode != 0
    assert "DJANGO_SECRET_KEY" in refused.stderr
    assert _import_settings(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="s3cret").returncode == 0


def test_settings_reject_an_unknown_flow_mode():
    refused = _import_settings(FLOW_MODE="celery")
    assert "FLOW_MODE" in refused.stderr
