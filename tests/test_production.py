"""Production mode: `check --deploy` passes with the README's HTTPS settings, the API docs page
loads Swagger UI from this server's static files, and no page uses anything inline that the
Content-Security-Policy refuses. scripts/check-production.sh checks the same on gunicorn."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from tests.factories import HubFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
HTTPS_SETTINGS = {
    "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "DJANGO_SECURE_SSL_REDIRECT": "true",
    "DJANGO_HSTS_SECONDS": "31536000",
    "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "true",
    "DJANGO_HSTS_PRELOAD": "true",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://samverket.example.org",
}


def _page_audit():
    """The HTML audit the live probe uses (scripts/production_probe.py), loaded from its file."""
    spec = importlib.util.spec_from_file_location(
        "production_probe", ROOT / "scripts" / "production_probe.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.PageAudit


PageAudit = _page_audit()


def _check_deploy(tmp_path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="x7#Kq2!vLp9@Wm4$Rt6^Yz8&Bn3*Hc5(Jd1)Fg0-Ps_Ua+Ie=Ol",
        GOVERNANCE_VAR_DIR=str(tmp_path),
        **env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_with_the_documented_https_settings(tmp_path):
    passed = _check_deploy(tmp_path, **HTTPS_SETTINGS)
    assert passed.returncode == 0, passed.stderr
    without_https = _check_deploy(tmp_path)
    assert without_https.returncode != 0
    assert "security.W004" in without_https.stderr  # HSTS
    assert "security.W008" in without_https.stderr  # SSL redirect


def _audit(response) -> "PageAudit":
    assert response.status_code == 200
    audit = PageAudit(response.headers["Content-Security-Policy"])
    audit.feed(response.content.decode())
    return audit


def test_api_docs_page_loads_swagger_ui_from_local_static_files():
    response = Client().get("/api/docs")
    audit = _audit(response)
    assert audit.refused_inline == []
    scripts = [url for url in audit.assets if url.endswith(".js")]
    assert scripts == ["/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui-init.js"]
    assert "/static/ninja/swagger-ui.css" in audit.assets
    for url in audit.assets:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), url


@pytest.mark.django_db
def test_admin_pages_use_nothing_inline_that_the_csp_refuses():
    client = Client()
    assert _audit(client.get(reverse("admin:login"))).refused_inline == []

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    hub = HubFactory()
    pages = [reverse("admin:index"), reverse("admin:hubs_hub_change", args=[hub.pk])]
    add_pages = []
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(reverse(f"{info}_changelist"))
        add_pages.append(reverse(f"{info}_add"))
    refused = {}
    for page in pages + add_pages:
        response = client.get(page)
        if response.status_code == 403 and page in add_pages:
            continue  # a model nobody adds in the admin (the audit trail)
        audit = _audit(response)
        if audit.refused_inline:
            refused[page] = audit.refused_inline
        assert all(url.startswith(("/static/", "/admin/")) for url in audit.assets), page
    assert refused == {}


def test_the_csp_header_is_on_api_answers_and_static_files():
    for url in ["/api/me", "/api/openapi.json", "/static/ninja/swagger-ui.css"]:
        response = Client().get(url)
        assert response.status_code in {200, 401}, url
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy
        assert "'unsafe-inline'" not in policy
        assert "'unsafe-eval'" not in policy
