"""Render untrusted report text as escaped paragraphs, with the reader's terms marked.

Lives in search/ because marking terms is search's highlighter (search/highlight.py); the
templates load it by its library name (``{% load report_text %}``) from any app.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def paragraphs(text: str, terms=None) -> str:
    from search.highlight import highlight_html  # lazily: it loads jieba

    out = []
    for line in (text or "").split("\n"):
        line = line.strip()
        if not line:
            continue
        # highlight_html escapes the text itself and adds only <mark> elements.
        body = highlight_html(line, terms) if terms else escape(line)
        out.append(f"<p>{body}</p>")
    return mark_safe("\n".join(out))


@register.filter
def marked(text: str, terms=None) -> str:
    from search.highlight import highlight_html

    return mark_safe(highlight_html(text or "", terms)) if terms else escape(text or "")
