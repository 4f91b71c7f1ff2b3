"""Citations of reports and sections: GB/T 7714-2015, BibTeX and RIS.

Pure formatting: no Django, no I/O.  ``research/sources.py`` fills a ``CitationSource`` from a
Report or Section; views call these functions with it.

GB/T 7714-2015 electronic resource ([EB/OL]), as in §8 and appendix A::

    主要责任者. 题名[EB/OL]. (发布或更新日期)[引用日期]. 获取和访问路径.

A section is cited as a part of the report (the standard's 析出文献 form)::

    主要责任者. 章节题名[EB/OL]//主要责任者. 报告题名. (发布日期)[引用日期]. 章节网址.

The issuer (主要责任者) is the organisation named before 关于/關於 in the title when there is
one (苏州工业园区管理委员会关于……的报告), otherwise the government of the report's
jurisdiction (中山市港口镇人民政府), otherwise 佚名 (the standard's "unknown author").
Titles are cited as printed (a traditional-script title stays traditional).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "CitationSource",
    "issuer_of",
    "government_name",
    "gbt7714",
    "bibtex",
    "ris",
    "bibtex_key",
]

UNKNOWN_AUTHOR = "佚名"
ARCHIVE_NAME = "法治政府报告库"

# "X关于……" / "X關於……": X is the issuing body when it looks like one.
_ABOUT = re.compile(r"^(?P<issuer>.{2,60}?)(关于|關於)")
_ORG_SUFFIXES = (
    "人民政府",
    "政府",
    "委员会",
    "委員會",
    "管委会",
    "管委會",
    "办公室",
    "辦公室",
    "办公厅",
    "辦公廳",
    "局",
    "厅",
    "廳",
    "部",
    "院",
    "署",
    "处",
    "處",
    "会",
    "會",
    "中心",
    "街道办事处",
    "街道辦事處",
)
_YEARISH = re.compile(r"\d{4}")


@dataclass
class CitationSource:
    """What a citation needs; ``region_names`` from the province down (['广东省', '中山市', '港口镇'])."""

    title: str
    url: str
    accessed: date
    published: date | None = None
    year: int | None = None
    region_names: list[str] = field(default_factory=list)
    region_levels: list[int] = field(default_factory=list)
    report_id: int | None = None
    # A section: its number + heading and its own permalink (``url`` is then the section's).
    section_title: str = ""
    section_path: str = ""
    archive: str = ARCHIVE_NAME
    # The page the government published it on (cited in preference to our copy) and the
    # reporting body / publisher as recorded (preferred to a name guessed from the title).
    source_url: str = ""
    responsible: str = ""
    publisher: str = ""  # 发布机构 of the source page

    @property
    def link(self) -> str:
        """The access path a paper cites: the government's page when known, else ours.  A
        section is always cited by our section permalink (the source page has no anchor)."""
        if self.source_url and not self.section_title:
            return self.source_url
        return self.url


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def government_name(region_names: list[str], region_levels: list[int] | None = None) -> str:
    """Conventional name of a jurisdiction's government.

    Province and city: the name alone (江苏省人民政府, 苏州市人民政府); county and town:
    prefixed with the city (太原市杏花岭区人民政府, 中山市港口镇人民政府) unless the name
    already starts with it.
    """
    names = [n for n in region_names if n]
    if not names:
        return ""
    levels = list(region_levels or range(1, len(names) + 1))
    own = names[-1]
    level = levels[-1] if levels else len(names)
    if level >= 3 and len(names) >= 2:
        # The nearest ancestor at city level (2), else the one just above.
        city = next((n for n, lv in zip(names[:-1], levels[:-1]) if lv == 2), names[-2])
        if not own.startswith(city):
            own = city + own
    if own.endswith(("政府", "委员会", "委員會", "管委会", "管委會")):
        return own
    return own + "人民政府"


def issuer_of(title: str, region_names: list[str], region_levels: list[int] | None = None) -> str:
    """The responsible body: the title's issuer, else the jurisdiction's government, else 佚名."""
    m = _ABOUT.match(_clean(title))
    if m:
        issuer = m.group("issuer").strip(" ：:，,")
        if issuer.endswith(_ORG_SUFFIXES) and not _YEARISH.search(issuer):
            return issuer
    return government_name(region_names, region_levels) or UNKNOWN_AUTHOR


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def _url_with_stop(url: str) -> str:
    return url + "." if url and not url.endswith(".") else url


def _issuer(src: CitationSource) -> str:
    return _clean(src.responsible) or issuer_of(src.title, src.region_names, src.region_levels)


def gbt7714(src: CitationSource) -> str:
    """The GB/T 7714-2015 reference for a report, or for a section of it."""
    issuer = _issuer(src)
    title = _clean(src.title)
    dates = (f"({_iso(src.published)})" if src.published else "") + f"[{_iso(src.accessed)}]"
    if src.section_title:
        head = f"{issuer}. {_clean(src.section_title)}[EB/OL]//{issuer}. {title}"
    else:
        head = f"{issuer}. {title}[EB/OL]"
    return f"{head}. {dates}. {_url_with_stop(src.link)}"


# ---------------------------------------------------------------------------
# BibTeX
# ---------------------------------------------------------------------------

_BIB_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}


def _bib_escape(text: str) -> str:
    return "".join(_BIB_SPECIAL.get(ch, ch) for ch in _clean(text))


def bibtex_key(src: CitationSource) -> str:
    key = f"fazhi{src.report_id or ''}"
    if src.year:
        key += f"-{src.year}"
    if src.section_path:
        key += "-s" + re.sub(r"[^0-9A-Za-z]+", "-", src.section_path).strip("-")
    return key


def bibtex(src: CitationSource) -> str:
    """A BibTeX ``@misc`` entry (biblatex reads ``urldate`` and ``date``).  ``year`` is the
    publication year, else the year reported on (always present when either is known)."""
    issuer = _issuer(src)
    title = src.title if not src.section_title else f"{src.title}：{src.section_title}"
    fields: list[tuple[str, str]] = [
        # Double braces: a corporate author is one name, never split into first/last.
        ("author", "{" + _bib_escape(issuer) + "}"),
        ("title", "{" + _bib_escape(title) + "}"),
        ("howpublished", r"\url{" + src.link + "}"),
        ("url", src.link),
        ("urldate", _iso(src.accessed)),
    ]
    if src.published:
        fields += [("year", str(src.published.year)), ("date", _iso(src.published))]
    elif src.year:
        fields.append(("year", str(src.year)))
    if src.publisher:
        fields.append(("organization", "{" + _bib_escape(src.publisher) + "}"))
    notes = []
    if src.link != src.url:
        notes.append(f"本库副本：{src.url}")
    if src.year:
        notes.append(f"报告年度：{src.year}")
    if src.region_names:
        notes.append("地区：" + "".join(src.region_names))
    notes.append(f"收录于{src.archive}")
    fields.append(("note", _bib_escape("；".join(notes))))
    fields.append(("language", "chinese"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{bibtex_key(src)},\n{body}\n}}\n"


# ---------------------------------------------------------------------------
# RIS
# ---------------------------------------------------------------------------


def ris(src: CitationSource) -> str:
    """An RIS record (type GOVDOC), CRLF line ends as the format expects."""
    issuer = _issuer(src)
    lines: list[tuple[str, str]] = [("TY", "GOVDOC"), ("AU", issuer)]
    if src.section_title:
        lines += [("TI", _clean(src.section_title)), ("T2", _clean(src.title))]
    else:
        lines.append(("TI", _clean(src.title)))
    if src.published:
        lines += [("PY", str(src.published.year)), ("DA", src.published.strftime("%Y/%m/%d"))]
    elif src.year:
        lines.append(("PY", str(src.year)))
    if src.region_names:
        lines.append(("CY", "".join(src.region_names)))
    if src.publisher:
        lines.append(("PB", _clean(src.publisher)))
    lines += [
        ("UR", src.link),
        ("Y2", src.accessed.strftime("%Y/%m/%d")),
        ("DB", src.archive),
        ("LA", "zh"),
    ]
    if src.report_id:
        lines.append(("ID", bibtex_key(src)))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)
