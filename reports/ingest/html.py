"""Saved web pages via BeautifulSoup + lxml: chrome removed, main content kept, title, date
and URL collected in ``page_meta``."""

from __future__ import annotations

import codecs
import re

from reports.ingest.base import (
    _CJK_OR_PUNCT,
    _CJK_RE,
    IngestedText,
    IngestError,
    Limits,
    _err,
    _join_lines,
    _row_lines,
    has_chinese,
    lxml_out_of_memory,
)
from reports.ingest.decoding import _bom, _decode, _strict
from reports.ingest.registry import Format
from reports.ingest.sniffing import looks_like_html

_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_\-:.]+)""", re.I)
_SAVED_FROM_RE = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.I)
_GB_ALIASES = {"gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "cp936", "euc-cn", "chinese", "csgb2312",
               "gb18030", "iso-ir-58", "ms936", "windows-936"}
_BIG5_ALIASES = {"big5", "big5-hkscs", "x-x-big5", "cn-big5", "csbig5", "cp950", "big5hkscs"}
_WESTERN_ALIASES = {"iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii", "windows-1252", "cp1252", "l1"}
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "frame", "svg", "object", "embed",
              "select", "option", "button", "input", "textarea", "link", "meta", "head", "map", "canvas",
              "audio", "video")
_CHROME_TAGS = ("nav", "header", "footer", "aside", "menu")
_CHROME_RE = re.compile(
    r"nav|menu|footer|header|share|breadcrumb|crumb|sidebar|side-bar|related|relevant|toolbar|"
    r"copyright|topbar|top-bar|banner|weizhi|dqwz|xgwz|xgxx|fenxiang|bdshare|jiathis|print|pager|"
    r"pagination|login|search|friendlink|link-list|links",
    re.I,
)
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table",
    "thead", "tbody", "tfoot", "tr", "td", "th", "blockquote", "pre", "dl", "dt", "dd", "center", "hr",
    "address", "figure", "figcaption", "form", "fieldset", "header", "footer", "nav", "aside", "caption",
    "details", "summary", "body", "html", "legend", "title",
}
_CONTAINER_TAGS = {"div", "section", "article", "main", "td", "th", "body", "html", "blockquote", "center",
                   "form", "table", "tbody", "tr", "dd", "li"}
_PROSE_MIN_CJK = 20
_KEEP_MIN_CJK = 200  # a "chrome" element with this much prose is content after all
_PUBLISHED_KEYS = ("article:published_time", "pubdate", "publishdate", "publish_date", "publish-date",
                   "publishtime", "firstpublishedtime", "datepublished", "og:release_date", "dc.date.issued",
                   "dcterms.issued", "dc.date", "releasedate", "lastmodifiedtime", "maketime")


def _html_charset(data: bytes) -> str | None:
    match = _META_CHARSET_RE.search(data[:8192])
    return match.group(1).decode("ascii").lower() if match else None


def _decode_html(data: bytes) -> tuple[str, str, list[str]]:
    if _bom(data) is not None:
        return _decode(data)
    utf8 = _strict(data, "utf-8")
    if utf8 is not None:  # valid UTF-8 beats a wrong meta charset; GBK is never valid UTF-8 by chance
        return utf8, "utf-8", []
    declared = _html_charset(data)
    if declared in _GB_ALIASES:
        text = _strict(data, "gb18030")
        if text is not None:
            return text, "gb18030", []
    elif declared in _BIG5_ALIASES:
        for codec in ("big5", "cp950", "big5hkscs"):
            text = _strict(data, codec)
            if text is not None:
                return text, codec, []
    elif declared and declared not in _WESTERN_ALIASES:
        try:
            codec = codecs.lookup(declared).name
        except LookupError:
            codec = None
        text = _strict(data, codec) if codec else None
        if text is not None:
            return text, codec, []
    # Missing, wrong or Western charset (often a mislabelled GBK page): detect.
    text, name, warnings = _decode(data)
    if declared in _WESTERN_ALIASES and not has_chinese(text):
        return data.decode("cp1252", errors="replace"), "cp1252", []
    return text, name, warnings


def _cjk_count(text: str) -> int:
    return len(_CJK_RE.findall(text))


def _html_own_text(element) -> tuple[int, int]:
    """(Chinese characters outside links, Chinese characters inside links)."""
    total = _cjk_count(element.get_text())
    in_links = sum(_cjk_count(a.get_text()) for a in element.find_all("a"))
    return total - in_links, in_links


def _is_prose_element(element) -> bool:
    plain, _ = _html_own_text(element)
    return plain >= _KEEP_MIN_CJK and "。" in element.get_text()


_MAX_HTML_DEPTH = 400


def _deeper_than(soup, limit: int) -> bool:
    from bs4 import Tag

    stack = [(soup, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tag))
    return False


def _remove_chrome(soup) -> None:
    """Drop navigation, headers, footers, share bars, related lists...  Iterative pre-order walk
    that does not descend into removed elements, so nested chrome costs nothing extra."""
    from bs4 import Tag

    stack = [soup]
    while stack:
        node = stack.pop()
        for child in list(node.children):
            if not isinstance(child, Tag):
                continue
            if child.name not in ("html", "body"):
                attrs = " ".join([child.get("id") or ""] + list(child.get("class") or []))
                is_chrome = child.name in _CHROME_TAGS or (attrs.strip() and _CHROME_RE.search(attrs))
                if is_chrome and not _is_prose_element(child):
                    child.extract()
                    continue
            stack.append(child)


def _html_meta(soup, raw: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    if soup.title and soup.title.get_text(strip=True):
        meta["title"] = re.sub(r"\s+", " ", soup.title.get_text()).strip()
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        name = (tag.get("name") or tag.get("property") or tag.get("itemprop") or "").strip().lower()
        content = (tag.get("content") or "").strip()
        if name and content:
            found.setdefault(name, content)
    for key in _PUBLISHED_KEYS:
        if key in found:
            meta["published"] = found[key]
            break
    if "articletitle" in found:
        meta["article_title"] = found["articletitle"]
    if "title" not in meta and "og:title" in found:
        meta["title"] = found["og:title"]
    for link in soup.find_all("link"):
        rel = link.get("rel") or []
        rel = rel if isinstance(rel, list) else [rel]
        if "canonical" in [r.lower() for r in rel] and link.get("href"):
            meta["source_url"] = link["href"].strip()
            break
    if "source_url" not in meta and "og:url" in found:
        meta["source_url"] = found["og:url"]
    if "source_url" not in meta:
        saved = _SAVED_FROM_RE.search(raw[:4096])
        if saved and saved.group(1).lower().startswith(("http://", "https://")):
            meta["source_url"] = saved.group(1)
    return meta


def _html_lines(element) -> list[str]:
    from bs4 import NavigableString, Tag
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    lines: list[str] = []
    current: list[str] = []

    def flush():
        text = "".join(current)
        current.clear()
        text = re.sub(r"[ \t\r\n\f\u00a0]+", " ", text).strip(" \u3000")
        if text:
            lines.append(text)

    def walk(node):
        if isinstance(node, (Comment, Declaration, Doctype, ProcessingInstruction)):
            return
        if isinstance(node, NavigableString):
            s = str(node)
            # A source line break inside Chinese text is not a space.
            s = re.sub(f"(?<=[{_CJK_OR_PUNCT}])[ \t]*[\r\n]+[ \t]*(?=[{_CJK_OR_PUNCT}])", "", s)
            current.append(s)
            return
        if not isinstance(node, Tag):
            return
        name = node.name
        if name == "br":
            flush()
            return
        if name == "tr":
            flush()
            cells = [_html_lines(cell) for cell in node.find_all(["td", "th"], recursive=False)]
            lines.extend(_row_lines(cells))
            return
        if name in _BLOCK_TAGS:
            flush()
            for child in node.children:
                walk(child)
            flush()
            return
        for child in node.children:
            walk(child)

    walk(element)
    flush()
    return lines


def _lowest_common_ancestor(elements):
    paths = []
    for el in elements:
        path = list(reversed(list(el.parents))) + [el]
        paths.append(path)
    common = None
    for level in zip(*paths):
        first = level[0]
        if all(x is first for x in level):
            common = first
        else:
            break
    return common


def _html_main(soup):
    """The main content: the smallest container holding every prose block of the page."""
    from bs4 import NavigableString

    blocks: dict[int, list] = {}
    for string in soup.find_all(string=True):
        if not isinstance(string, NavigableString) or string.find_parent("a") is not None:
            continue
        count = _cjk_count(string)
        if not count:
            continue
        block = string.parent
        while block is not None and block.name not in _BLOCK_TAGS:
            block = block.parent
        if block is None:
            continue
        entry = blocks.setdefault(id(block), [block, 0, ""])
        entry[1] += count
        entry[2] += str(string)
    prose = [b for b, n, text in blocks.values() if n >= _PROSE_MIN_CJK and re.search("[。，；！？]", text)]
    body = soup.body or soup
    if not prose:
        return body
    main = _lowest_common_ancestor(prose) or body
    while main.name not in _CONTAINER_TAGS and main.parent is not None:
        main = main.parent
    return main


def _title_candidates(soup) -> list[tuple[str, str]]:
    """(tag name, text) of headings and title-like elements, collected before chrome removal."""
    found = []
    for tag in soup.find_all(["h1", "h2", "h3", "div", "p", "td", "span", "strong"]):
        attrs = " ".join([tag.get("id") or ""] + list(tag.get("class") or []))
        if tag.name not in ("h1", "h2", "h3") and not re.search(r"title|tit\b|bt\b|biaoti", attrs, re.I):
            continue
        text = re.sub(r"\s+", " ", tag.get_text()).strip()
        if text and len(text) <= 120 and has_chinese(text):
            found.append((tag.name, text))
    return found


def _title_line(candidates: list[tuple[str, str]], meta: dict[str, str], main_lines: list[str]) -> str | None:
    """The article title when it sits outside the main content (common on gov sites): a heading
    that matches the ArticleTitle meta or the main part of <title>."""
    if meta.get("article_title"):
        references = [meta["article_title"].replace(" ", "")]
    else:
        parts = re.split(r"\s*[_|｜]\s*|\s+[-–—]+\s+", meta.get("title", ""))
        references = [p.replace(" ", "") for p in parts if has_chinese(p)]
    best = None
    for name, text in candidates:
        compact = text.replace(" ", "")
        if references:
            if not any(compact == r or (compact in r and len(compact) >= 0.6 * len(r)) or r in compact
                       for r in references):
                continue
        elif name != "h1":
            continue
        if best is None or len(text) > len(best):
            best = text
    if best is None and meta.get("article_title"):
        best = meta["article_title"]
    head = "".join(main_lines[:3]).replace(" ", "")
    if best and best.replace(" ", "") not in head:
        return best
    return None


def _ingest_html(data: bytes, limits: Limits | None = None) -> IngestedText:
    raw, encoding, warnings = _decode_html(data)
    try:
        from bs4 import BeautifulSoup
        from bs4.element import Comment

        soup = BeautifulSoup(raw, "lxml")
        meta = _html_meta(soup, raw)
        for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
            comment.extract()
        for tag in soup.find_all(_DROP_TAGS):
            tag.decompose()
        titles = _title_candidates(soup)
        _remove_chrome(soup)
        if _deeper_than(soup, _MAX_HTML_DEPTH):
            # Pathological nesting: skip the (depth-quadratic) content detection.
            warnings.append("网页结构嵌套过深，已导入全部文字，请检查是否混入了导航等无关内容。")
            lines = (soup.body or soup).get_text("\n").split("\n")
        else:
            main = _html_main(soup)
            try:
                lines = _html_lines(main)
            except RecursionError:
                lines = main.get_text("\n").split("\n")
        title = _title_line(titles, meta, lines)
        if title:
            lines.insert(0, title)
    except (IngestError, MemoryError):
        raise
    except RecursionError:
        raise _err("unknown_format", "网页结构嵌套过深，无法解析。") from None
    except Exception as exc:  # noqa: BLE001
        if lxml_out_of_memory(exc):
            raise MemoryError from None
        raise _err("unknown_format", "网页无法解析，无法导入。") from None
    text = _join_lines(lines)
    if not text:
        raise _err("empty", "网页中没有找到正文文字。")
    return IngestedText(text=text, format="html", encoding=encoding, warnings=warnings, page_meta=meta)


FORMAT = Format(
    name="html", label="网页", magic=False,
    detect=looks_like_html,
    extract=_ingest_html,
    extensions=(".html", ".htm", ".shtml", ".xhtml"),
)

