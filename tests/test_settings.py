import json
import os
import subprocess
import sys


def _import_settings(
    code: str = "import governance.settings", **env: str
) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", code],
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


def _settings_values(*names: str, **env: str) -> dict:
    """The named settings as governance/settings.py computes them with this environment."""
    loaded = _import_settings(
        "import json, governance.settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}))",
        **env,
    )
    assert loaded.returncode == 0, loaded.stderr
    return json.loads(loaded.stdout)


PRODUCTION = {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "s3cret"}
WHITENOISE_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_production_settings_secure_cookies_whitenoise_and_compressed_static_files():
    values = _settings_values(
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "MIDDLEWARE",
        "STORAGES",
        "WHITENOISE_USE_FINDERS",
        **PRODUCTION,
    )
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    # Redirect and HSTS only when asked for: a proxy may already do them.
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    middleware = values["MIDDLEWARE"]
    assert middleware[0] == "csp.middleware.CSPMiddleware"
    security = middleware.index("django.middleware.security.SecurityMiddleware")
    assert middleware[security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == WHITENOISE_STORAGE
    assert values["WHITENOISE_USE_FINDERS"] is False


def test_https_behind_a_proxy_from_the_environment():
    values = _settings_values(
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "CSRF_TRUSTED_ORIGINS",
        **PRODUCTION,
        DJANGO_SECURE_SSL_REDIRECT="true",
        DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        DJANGO_HSTS_SECONDS="31536000",
        DJANGO_HSTS_PRELOAD="yes",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://samverket.example.org, https://*.example.org",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "CSRF_TRUSTED_ORIGINS": ["https://samverket.example.org", "https://*.example.org"],
    }


def test_development_settings_keep_plain_http_and_the_apps_static_files():
    values = _settings_values(
        "SESSION_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "STORAGES", "WHITENOISE_USE_FINDERS"
    )
    assert values["SESSION_COOKIE_SECURE"] is values["SECURE_SSL_REDIRECT"] is False
    assert values["STORAGES"] is None  # Django's default: no collectstatic needed
    assert values["WHITENOISE_USE_FINDERS"] is True


def test_settings_refuse_a_malformed_https_variable():
    refused = _import_settings(DJANGO_SECURE_SSL_REDIRECT="ture")
    assert "DJANGO_SECURE_SSL_REDIRECT must be true or false" in refused.stderr
    refused = _import_settings(DJANGO_HSTS_SECONDS="one year")
    assert "DJANGO_HSTS_SECONDS must be a whole number" in refused.stderr
