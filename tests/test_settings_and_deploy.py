"""Production settings: deploy checks, required secrets, HTTPS switches, headers, throttling."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache.backends import locmem
from django.test import override_settings

from config.throttle import MESSAGE

ROOT = Path(__file__).resolve().parent.parent
LOGIN = "/admin/login/"


def production_env(tmp_path, **extra) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "archive.example.org",
        "ARCHIVE_DATA_DIR": str(tmp_path / "data"),
    }
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def run_python(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def settings_in_subprocess(env: dict[str, str], *names: str) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}))"
    )
    result = run_python(["-c", code], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- check --deploy and required settings -------------------------------------------------

@pytest.mark.parametrize(
    "extra",
    [{}, {"BEHIND_TLS_PROXY": "1"}],
    ids=["tls-terminated-here", "behind-tls-proxy"],
)
def test_check_deploy_reports_nothing_with_production_env(tmp_path, extra):
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
                        production_env(tmp_path, **extra))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.strip() == ""
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_missing_secret_key_stops_startup_with_a_clear_message(tmp_path):
    result = run_python(["manage.py", "check"], production_env(tmp_path, SECRET_KEY=None))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_runs_without_secret_key(tmp_path):
    values = settings_in_subprocess(
        production_env(tmp_path, SECRET_KEY=None, DEBUG="1", ALLOWED_HOSTS=None), "DEBUG",
        "ALLOWED_HOSTS", "WHITENOISE_USE_FINDERS",
    )
    assert values == {"DEBUG": True, "ALLOWED_HOSTS": ["127.0.0.1", "localhost"],
                      "WHITENOISE_USE_FINDERS": True}


def test_https_on_by_default_outside_debug(tmp_path):
    values = settings_in_subprocess(
        production_env(tmp_path), "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER",
        "LOGIN_THROTTLE_USE_X_FORWARDED_FOR",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": True, "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000, "SECURE_PROXY_SSL_HEADER": None,
        "LOGIN_THROTTLE_USE_X_FORWARDED_FOR": False,
    }


def test_https_can_be_switched_off_for_plain_http_deployments(tmp_path):
    values = settings_in_subprocess(
        production_env(tmp_path, HTTPS="0"), "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
    )
    assert values == {"SECURE_SSL_REDIRECT": False, "SESSION_COOKIE_SECURE": False,
                      "CSRF_COOKIE_SECURE": False, "SECURE_HSTS_SECONDS": 0}


def test_behind_tls_proxy_trusts_forwarded_proto(tmp_path):
    values = settings_in_subprocess(
        production_env(tmp_path, BEHIND_TLS_PROXY="1"), "SECURE_PROXY_SSL_HEADER",
        "SECURE_SSL_REDIRECT", "LOGIN_THROTTLE_USE_X_FORWARDED_FOR",
    )
    assert values == {"SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
                      "SECURE_SSL_REDIRECT": True, "LOGIN_THROTTLE_USE_X_FORWARDED_FOR": True}


# --- HTTPS redirect and /healthz ------------------------------------------------------------

@override_settings(SECURE_SSL_REDIRECT=True)
def test_healthz_is_exempt_from_https_redirect(client, isolated_search_index, db):
    assert client.get(LOGIN).status_code == 301
    response = client.get("/healthz")
    assert response.status_code == 200, response.content


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_forwarded_https_request_is_not_redirected(client):
    assert client.get(LOGIN, HTTP_X_FORWARDED_PROTO="https").status_code == 200


def test_healthz_answers_any_host_header(client, isolated_search_index, db):
    # A load balancer probes by instance address, which is not in ALLOWED_HOSTS.
    assert client.get(LOGIN, HTTP_HOST="10.1.2.3").status_code == 400
    assert client.get("/healthz", HTTP_HOST="10.1.2.3").status_code == 200


# --- security headers -------------------------------------------------------------------

def test_security_headers_on_responses(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_a_view_may_set_its_own_csp(rf):
    from django.http import HttpResponse

    from config.security import ContentSecurityPolicyMiddleware

    def view(request):
        response = HttpResponse()
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = ContentSecurityPolicyMiddleware(view)(rf.get("/"))
    assert response["Content-Security-Policy"] == "default-src 'none'"


# --- admin login throttling -------------------------------------------------------------

def fail_login(client, username="admin", ip="203.0.113.7", **extra):
    return client.post(LOGIN, {"username": username, "password": "wrong"}, REMOTE_ADDR=ip, **extra)


@pytest.mark.django_db
def test_login_throttled_after_five_failures(client):
    for _ in range(5):
        assert fail_login(client).status_code == 200
    response = fail_login(client)
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == MESSAGE.format(minutes=15)
    assert "登录失败次数过多" in response.content.decode()
    # Other usernames from the same address, and the same username elsewhere, still get in.
    assert fail_login(client, username="someone-else").status_code == 200
    assert fail_login(client, ip="198.51.100.9").status_code == 200
    # Looking at the login page is not blocked.
    assert client.get(LOGIN, REMOTE_ADDR="203.0.113.7").status_code == 200


@pytest.mark.django_db
def test_throttle_blocks_even_correct_password_and_expires(client, monkeypatch):
    get_user_model().objects.create_superuser("admin", "admin@example.org", "right-password")
    for _ in range(5):
        fail_login(client)
    ok = {"username": "admin", "password": "right-password"}
    assert client.post(LOGIN, ok, REMOTE_ADDR="203.0.113.7").status_code == 429

    real_time = locmem.time.time

    class Later:
        @staticmethod
        def time():
            return real_time() + 15 * 60 + 1

    monkeypatch.setattr(locmem, "time", Later)
    assert client.post(LOGIN, ok, REMOTE_ADDR="203.0.113.7").status_code == 302


@pytest.mark.django_db
def test_successful_login_resets_the_count(client):
    get_user_model().objects.create_superuser("admin", "admin@example.org", "right-password")
    for _ in range(4):
        fail_login(client)
    response = client.post(LOGIN, {"username": "admin", "password": "right-password"},
                           REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    client.logout()
    for _ in range(5):
        assert fail_login(client).status_code == 200
    assert fail_login(client).status_code == 429


@pytest.mark.django_db
def test_username_case_and_spaces_do_not_dodge_the_throttle(client):
    for name in ["admin", "Admin", " ADMIN", "admin ", "aDmIn"]:
        assert fail_login(client, username=name).status_code == 200
    assert fail_login(client).status_code == 429


@pytest.mark.django_db
@override_settings(LOGIN_THROTTLE_USE_X_FORWARDED_FOR=True)
def test_behind_proxy_the_forwarded_client_address_counts(client):
    # The proxy appends the real client; anything before it is client-supplied and ignored.
    for spoofed in range(5):
        response = fail_login(client, ip="10.0.0.2", HTTP_X_FORWARDED_FOR=f"1.1.1.{spoofed}, 203.0.113.7")
        assert response.status_code == 200
    assert fail_login(client, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert fail_login(client, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 200


# --- gunicorn and the container -----------------------------------------------------------

def load_gunicorn_conf(monkeypatch, **env) -> dict:
    import runpy

    for name in ("GUNICORN_BIND", "HOST", "PORT", "WEB_CONCURRENCY", "GUNICORN_MAX_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_defaults(monkeypatch):
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 2)
    conf = load_gunicorn_conf(monkeypatch)
    assert conf["bind"] == "127.0.0.1:8000"
    assert conf["workers"] == 5
    assert conf["preload_app"] is True
    assert conf["accesslog"] == "-"
    assert conf["timeout"] > 0 and conf["graceful_timeout"] > 0


def test_gunicorn_environment_overrides(monkeypatch):
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 64)
    assert load_gunicorn_conf(monkeypatch)["workers"] == 8  # capped
    conf = load_gunicorn_conf(monkeypatch, GUNICORN_BIND="0.0.0.0:9000", WEB_CONCURRENCY="3")
    assert (conf["bind"], conf["workers"]) == ("0.0.0.0:9000", 3)


def test_container_runs_unprivileged_and_execs_the_server():
    dockerfile = (ROOT / "Dockerfile").read_text()
    user_lines = [line for line in dockerfile.splitlines() if line.startswith("USER ")]
    assert user_lines and user_lines[-1].split()[1].split(":")[0] not in ("root", "0")
    assert "runserver" not in dockerfile
    entrypoint = (ROOT / "docker" / "entrypoint.sh").read_text()
    assert entrypoint.rstrip().endswith('exec "$@"')
    assert "migrate --noinput" in entrypoint
    assert ".env" in (ROOT / ".dockerignore").read_text().split()
