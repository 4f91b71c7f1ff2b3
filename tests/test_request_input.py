"""Hostile input at the boundary: control characters, oversized bodies, session creation,
login throttling across usernames, the admin's link to the original file.

Control characters (C0 except tab/newline, DEL, C1) are stripped from every stored field and
every query-string value, so each output format answers and carries none of them.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client

from reports.cleantext import strip_controls
from tests.reports.conftest import SEED_FILES

SEED_BYTES = SEED_FILES[0].read_bytes()
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def test_strip_controls_keeps_tab_and_newline():
    assert strip_controls("甲\x00乙\x01丙\x1b[31m丁\t戊\n己\r\n庚\r辛\x7f\x85\ud800") == "甲乙丙[31m丁\t戊\n己\n庚\n辛"
    assert strip_controls("") == "" and strip_controls(None) is None


@pytest.fixture
def dirty_report(transactional_db, isolated_search_index):
    """A report imported through the write path from a text full of control characters."""
    from reports.services import report_draft, report_import

    data = SEED_BYTES.replace("法治".encode(), "法\x1b[0m治\x7f".encode(), 3).replace(b"\n", b"\r\n\x01", 5)
    return report_import(draft=report_draft(data=data, filename="dirty.txt"), data=data)


def test_stored_fields_have_no_control_characters(dirty_report):
    from reports.models import Report

    report = Report.objects.get(pk=dirty_report.pk)
    assert "法治" in report.original_text
    for value in (report.title, report.original_text, *report.sections.values_list("heading", flat=True),
                  *report.sections.values_list("text", flat=True)):
        assert not CONTROLS.search(value), repr(value[:80])


@pytest.mark.parametrize("q", ["\x00", "\x01", "\x1b", "法治\x1b[31m", "政府\x00\x08建设"])
def test_every_output_format_with_control_characters_in_the_query(client, dirty_report, q):
    pk = dirty_report.pk
    urls = [
        ("/search/", {"q": q}),
        ("/feeds/search/", {"q": q}),
        ("/feeds/reports/", {}),
        ("/search/export.csv", {"q": q}),
        ("/search/export.jsonl", {"q": q}),
        ("/api/search/", {"q": q}),
        (f"/api/reports/{pk}/", {}),
        (f"/reports/{pk}/", {"hl": q}),
        (f"/reports/{pk}/cite.bib", {}),
        (f"/reports/{pk}/cite.ris", {}),
        ("/compare/", {"q": q}),
        ("/trends/", {"q": q}),
    ]
    for url, params in urls:
        response = client.get(url, params)
        assert response.status_code == 200, (url, response.status_code)
        body = _text(response)
        assert not CONTROLS.search(body.replace("\r\n", "\n")), (url, CONTROLS.search(body))


@pytest.fixture
def staff_client(db):
    user = get_user_model().objects.create_user("editor", password="pw-123456", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


def test_title_with_escape_saved_in_the_admin_does_not_break_the_feed(staff_client, dirty_report):
    from reports.models import Report

    report = Report.objects.get(pk=dirty_report.pk)
    page = staff_client.get(f"/admin/reports/report/{report.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data = {k: ("" if v is None else v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    data.update({"title": "某市\x1b[2J法治政府建设报告\x07", "_save": "保存"})
    response = staff_client.post(f"/admin/reports/report/{report.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    report.refresh_from_db()
    assert report.title == "某市[2J法治政府建设报告"
    feed = Client().get("/feeds/reports/")
    assert feed.status_code == 200 and "某市[2J法治政府建设报告" in feed.content.decode()


def test_feed_survives_control_characters_that_bypassed_the_boundary(dirty_report):
    """A title written by ``update()`` (no pre_save cleaning) must not make the feed a 500."""
    from xml.dom import minidom

    from django.db import connection

    from reports.models import Report

    # PostgreSQL refuses NUL in text outright; every other control character gets through.
    nul = "\x00" if connection.vendor != "postgresql" else ""
    Report.objects.filter(pk=dirty_report.pk).update(title=f"某市\x1b[2J报告{nul}\x0c")
    feed = Client().get("/feeds/reports/")
    assert feed.status_code == 200
    body = feed.content.decode()
    minidom.parseString(feed.content)  # well-formed XML
    assert "某市[2J报告" in body and not CONTROLS.search(body)


# ---------------------------------------------------------------------------
# Request bodies
# ---------------------------------------------------------------------------


class _Exploding:
    """A wsgi.input that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.parametrize("path", ["/compare/selection/", "/admin/login/", "/search/", "/api/search/"])
def test_large_anonymous_bodies_are_refused_unread(client, db, path):
    response = client.generic(
        "POST", path, b"", content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(1000 * 1024 * 1024), **{"wsgi.input": _Exploding()},
    )
    assert response.status_code == 413
    assert "请求内容过大" in response.content.decode()


def test_small_bodies_still_work(client, db):
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 200


def test_staff_upload_view_accepts_large_bodies_others_do_not(staff_client, settings):
    settings.REQUEST_BODY_LIMIT_BYTES = 1024
    big = "法治政府建设。" * 2000  # about 42 KB as UTF-8
    upload = staff_client.post("/admin/reports/report/upload/", {"text": big, "text_name": "a.txt"})
    assert upload.status_code == 302  # staged for preview
    anonymous = Client().post("/compare/selection/", {"action": "clear", "next": big})
    assert anonymous.status_code == 413


def test_anonymous_posts_create_no_sessions(db, shared_seeds):
    report_id = next(iter(shared_seeds.values()))
    for i in range(100):
        data = [{"action": "add", "report": report_id}, {"action": "remove", "report": report_id},
                {"action": "clear"}, {"report": "x"}][i % 4]
        response = Client().post("/compare/selection/", {**data, "next": "/"})
        assert response.status_code == 302
    Client().post("/admin/login/", {"username": "a", "password": "b"})
    assert Session.objects.count() == 0
    # The list itself still works (signed cookie).
    client = Client()
    client.post("/compare/selection/", {"action": "add", "report": report_id, "next": "/"})
    assert "移出对比" in client.get(f"/reports/{report_id}/").content.decode()


def test_login_throttled_per_ip_across_usernames(client, db, settings):
    statuses = [
        client.post("/admin/login/", {"username": f"user{i}", "password": "wrong"}).status_code for i in range(30)
    ]
    assert statuses[: settings.LOGIN_THROTTLE_IP_ATTEMPTS] == [200] * settings.LOGIN_THROTTLE_IP_ATTEMPTS
    assert set(statuses[settings.LOGIN_THROTTLE_IP_ATTEMPTS :]) == {429}
    other_ip = Client(REMOTE_ADDR="10.0.0.9")
    assert other_ip.post("/admin/login/", {"username": "user0", "password": "wrong"}).status_code == 200


def test_admin_link_to_the_original_file_works(staff_client, dirty_report):
    page = staff_client.get(f"/admin/reports/report/{dirty_report.pk}/change/").content.decode()
    link = re.search(r'href="([^"]*original[^"]*)"', page)
    assert link, "no link to the original"
    response = staff_client.get(link.group(1))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == dirty_report.original_file.open("rb").read()
    assert Client().get(link.group(1)).status_code in (302, 404)  # not for anonymous readers
