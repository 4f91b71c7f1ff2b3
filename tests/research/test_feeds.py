"""Atom feeds validate: namespace, required feed/entry elements, newest first."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

from django.utils import timezone

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}") is not None and root.find(f"{ATOM}{name}").text
    assert root.find(f"{ATOM}author/{ATOM}name").text  # feed-level author (RFC 4287 §4.1.1)
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        for name in ("id", "title", "updated"):
            el = entry.find(f"{ATOM}{name}")
            assert el is not None and el.text, name
        assert (
            entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http://testserver/reports/")
        )
    return root, entries


def _spread_created(seeds):
    """Give the seeds distinct capture dates: 004 newest … 000 oldest."""
    from reports.models import Report

    now = timezone.now()
    for i, key in enumerate(["000", "001", "002", "003", "004"]):
        Report.objects.filter(pk=seeds[key].pk).update(created_at=now - timedelta(days=10 - i))


def test_new_reports_feed(client, seeds):
    _spread_created(seeds)
    _root, entries = _feed(client, "/feeds/reports/")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert titles == [seeds[k].title for k in ["004", "003", "002", "001", "000"]]
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == 5
    published = [e.find(f"{ATOM}published").text for e in entries]
    assert published == sorted(published, reverse=True)


def test_saved_search_feed(client, seeds):
    _spread_created(seeds)
    root, entries = _feed(client, "/feeds/search/", {"q": "行政复议"})
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert titles == [seeds[k].title for k in ["004", "002", "001", "000"]]
    assert "行政复议" in root.find(f"{ATOM}title").text
    _root, entries = _feed(client, "/feeds/search/", {"q": "行政复议", "region": "江苏省"})
    assert [e.find(f"{ATOM}title").text for e in entries] == [seeds["001"].title]
    _root, entries = _feed(client, "/feeds/search/", {"region": "广东省"})  # filters only
    assert [e.find(f"{ATOM}title").text for e in entries] == [seeds["004"].title]
    for bad in ({"q": "NOT"}, {"q": '"'}, {"q": "行政复议", "year": "zz"}):
        _feed(client, "/feeds/search/", bad)


def test_feed_links_on_search_page(client, seeds):
    html = client.get("/search/", {"q": "行政复议"}).content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/feeds/reports/"' in html
    assert 'href="/feeds/search/?q=%E8%A1%8C%E6%94%BF%E5%A4%8D%E8%AE%AE"' in html
