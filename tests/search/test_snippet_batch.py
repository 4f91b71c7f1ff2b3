"""Snippets of a whole result page folded in one call equal the snippets made one by one."""

from __future__ import annotations

import re

from search.analysis import fold
from search.highlight import snippet_html, snippets_html


def _texts():
    from reports.sample_corpus import corpus_files

    texts = [p.read_text("utf-8") for p in corpus_files()[::9]]
    # Traditional script, full width and upper case: what folding must still find.
    return texts + ["廣州市人民政府。ＡＢＣ法治政府建設\n" * 30 + "經濟發展，廣州。" * 20]


def test_page_of_snippets_equals_one_by_one():
    words = ["法治政府", "经济", "廣州", "abc"]
    items = []
    for text in _texts():
        folded = fold(text)
        offsets = sorted(m.start() for w in words for m in re.finditer(re.escape(fold(w)), folded))
        items.append((text, offsets))
        items.append((text, None))  # no offsets: the whole text is folded, as before
    items.append(("", []))
    batch = snippets_html(items, words)
    assert batch == [snippet_html(text, words, near=near) for text, near in items]
    assert any("<mark>廣州</mark>" in s for s in batch)
    assert any("<mark>ＡＢＣ法治政府</mark>" in s for s in batch)  # adjacent marks merge


def test_offsets_far_from_the_text_start_still_mark():
    text = "甲" * 30000 + "，推进法治政府建设，" + "乙" * 30000
    at = text.index("法治政府")
    (snippet,) = snippets_html([(text, [at])], ["法治政府"], width=40)
    assert "<mark>法治政府</mark>" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
