"""A new worker compiles its templates before its first request (search.warmup)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_warm_pages_compiles_every_page_template(settings):
    from search.warmup import warm_pages

    compiled = warm_pages()
    assert compiled >= 20  # templates/ alone holds more: base, reports/, search/, compare/ …


def test_service_warm_up_survives_a_broken_page_warm_up(monkeypatch, isolated_search_index):
    import search.warmup
    from search import service

    def boom():
        raise RuntimeError("template engine down")

    monkeypatch.setattr(search.warmup, "warm_pages", boom)
    service.warm_up()  # logged, never raised: the worker still serves
