"""Security: who may reach what, CSRF, escaping of hostile report text and queries, headers.

Covered elsewhere, not repeated here:
* upload: anonymous -> login, non-staff refused, POST without CSRF token refused
  (tests/reports/test_upload_admin.py);
* compare selection POST needs POST and a CSRF token (tests/compare/test_views.py
  ``test_selection_needs_post_and_csrf``);
* security headers on the login page, CSP, login throttling (5 failures -> 429, expiry,
  reset, username case, proxy address) (tests/test_settings_and_deploy.py);
* the highlighter escapes (tests/search/test_highlight.py); queries with HTML through the
  search view (tests/search/test_views.py) and, generated, tests/test_faults.py.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.search.conftest import make_report, search_index  # noqa: F401,F811  (fixtures)

pytestmark = pytest.mark.django_db

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'
RAW = re.compile(r"<script>alert|<img src=x", re.I)


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(
        "editor", password="pw-123456", is_staff=True, is_superuser=True
    )


@pytest.fixture
def evil_reports(search_index, make_report):  # noqa: F811
    a = make_report(f"恶意标题{EVIL}", [(f"一、标题{EVIL}", f"行政复议{EVIL}正文。")], year=2021)
    b = make_report("对照报告", [("一、复议", "行政复议工作。")], year=2020)
    return a, b


# -- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/reports/report/",
        "/admin/reports/report/add/",
        "/admin/reports/report/upload/",
        "/admin/auth/user/",
    ],
)
def test_anonymous_users_cannot_reach_admin(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_anonymous_users_cannot_change_reports(client, evil_reports):
    report = evil_reports[0]
    for path in (f"/admin/reports/report/{report.pk}/change/", f"/admin/reports/report/{report.pk}/delete/"):
        response = client.post(path, {"post": "yes", "title": "x"})
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    # The API is read-only for anonymous users.
    assert client.post("/api/reports/", {"title": "x"}).status_code in (401, 403, 405)
    assert client.delete(f"/api/reports/{report.pk}/").status_code in (401, 403, 405)
    report.refresh_from_db()
    assert report.title.startswith("恶意标题")


# -- CSRF -----------------------------------------------------------------------------------


def test_admin_posts_need_a_csrf_token(staff, evil_reports):
    from reports.models import Report

    report = evil_reports[0]
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    change = f"/admin/reports/report/{report.pk}/change/"
    assert client.get(change).status_code == 200
    assert client.post(change, {"title": "changed"}).status_code == 403
    assert client.post(f"/admin/reports/report/{report.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post("/admin/logout/").status_code == 403
    assert Report.objects.filter(pk=report.pk, title=report.title).exists()


def test_login_form_needs_a_csrf_token(staff):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "editor", "password": "pw-123456"})
    assert response.status_code == 403 and "_auth_user_id" not in client.session


# -- escaping -------------------------------------------------------------------------------


def _assert_escaped(html: str, where: str):
    assert not RAW.search(html), f"raw HTML from report text or query in {where}"
    assert "&lt;script&gt;" in html or "&lt;img" in html, f"hostile text not shown (escaped) in {where}"


def test_hostile_report_text_is_escaped_on_every_page(client, evil_reports):
    a, b = evil_reports
    pages = {
        "search": "/search/?q=行政复议",
        "report": f"/reports/{a.pk}/",
        "report highlighted": f"/reports/{a.pk}/?hl=行政复议",
        "section permalink": a.sections.get().get_absolute_url(),
        "report list": "/reports/",
        "compare": f"/compare/?reports={a.pk},{b.pk}",
        "browsable API report": f"/api/reports/{a.pk}/?format=api",
        "browsable API list": "/api/reports/?format=api",
        "browsable API search": "/api/search/?q=行政复议&format=api",
    }
    for where, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, where
        _assert_escaped(response.content.decode(), where)


def test_hostile_queries_are_escaped(client, evil_reports):
    for path in ("/search/", "/api/search/?format=api&"):
        sep = "&" if "?" in path else "?"
        response = client.get(f"{path}{sep}q=" + EVIL.replace("&", "%26").replace("#", "%23"))
        assert response.status_code == 200
        assert not RAW.search(response.content.decode()), path


def test_json_api_returns_text_as_data(client, evil_reports):
    a, _ = evil_reports
    response = client.get(f"/api/reports/{a.pk}/", HTTP_ACCEPT="application/json")
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["title"].endswith(EVIL)  # JSON is data: consumers escape it
    assert response["X-Content-Type-Options"] == "nosniff"  # never sniffed as HTML


# -- headers beyond the login page ------------------------------------------------------------


@pytest.mark.parametrize("path", ["/search/?q=行政复议", "/api/search/?q=行政复议", "/reports/"])
def test_security_headers_on_public_pages(client, evil_reports, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in response["Content-Security-Policy"]
