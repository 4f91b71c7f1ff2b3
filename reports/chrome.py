"""Web-page chrome removal for report texts (pure: no Django, no I/O).

Reports copied from government web sites carry the page around them: navigation
("首页 > …", "您当前的位置: > >政府工作报告", "无障碍版 长者助手 登录"), a metadata block
("索引号", "发布机构", "发布日期", "信息来源", "字号 大 中 小", "分享:") and a tail
("分享到", "相关文章", "【打印】【关闭】", "扫一扫在手机打开当前页面", aggregator link lists).
`strip_chrome` removes exactly those lines (or the chrome part of a line) and records the
metadata values it read; report text is never removed.

Everything works line by line on a lightly normalised copy of each line (see `light_norm`);
the lines handed back are the raw lines, so the caller's clean text keeps the original
characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reports.page_metadata import FactSheet, is_widget, read_fields

# Odd whitespace seen in real uploads: ideographic space, NBSP, tabs, HTML entities left
# over from copy-and-paste, zero-width characters, and `?` runs (lost whitespace in the
# county corpus).
_ODD_SPACE_RE = re.compile(r"[\u3000\xa0\t\u2002\u2003\u2009\u200a]|&nbsp;?|&ensp;?|&emsp;?|\?{2,}")
_ZERO_WIDTH_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")


def light_norm(line: str) -> str:
    """Odd whitespace to plain spaces (runs kept: two or more spaces separate fields), stripped."""
    return _ODD_SPACE_RE.sub(" ", _ZERO_WIDTH_RE.sub("", line)).strip()


# --- navigation -----------------------------------------------------------------------

_NAV_RE = re.compile(
    r"^(?:(?:网站)?首页|(?:網站)?首頁)\s*(?:>|＞|»|›|/|>>)"
    r"|^(?:您|你)?(?:当前|當前|现在|現在)?(?:的)?(?:所在)?位置\s*[:：]"
    r"|^(?:您|你)的位置\s*[:：]"
)
_NAV_TOKENS = frozenset(
    """无障碍 无障碍版 無障礙 無障礙版 无障碍浏览 长者助手 長者助手 长者模式 長者模式 关怀版 關懷版 适老化
    登录 登錄 注册 註冊 退出 个人中心 個人中心 繁体 繁體 简体 簡體 繁体版 繁體版 简体版 簡體版 English ENGLISH
    网站地图 網站地圖 智能问答 移动版 手机版 手機版 设为首页 設為首頁 加入收藏 收藏本站 搜索 | 丨 ｜ 首页 首頁
    政务微博 政务微信 微信 微博 RSS 网站支持IPv6 您好 欢迎来到""".split()
)

# --- metadata block ---------------------------------------------------------------------

_FONT_SIZE_RE = re.compile(
    r"^(?:字号|字號)\s*[:：]?\s*[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中\s*[】\]]?\s*[【\[]?\s*小"
)
_COUNT_LABEL_RE = re.compile(
    r"(?:阅读|閱讀|评论|評論|浏览次数|瀏覽次數|点击数|點擊數|浏览量|访问量)\s*[:：]\s*$"
)
_SUMMARY_LABEL_RE = re.compile(r"^(?:内容摘要|內容摘要|摘要)\s*[:：]$")
_SUMMARY_BODY_RE = re.compile(r"(?:\.{3,}|…+)$")
_TRAILING_SOURCE_RE = re.compile(r"\s{2,}(?:来源|來源)\s*[:：]\s*(\S[^:：]{0,24})$")

# --- single chrome lines, anywhere ----------------------------------------------------------

_BRACKET_TOKEN = (
    r"[【\[]\s*(?:打印|打印本页|打印本頁|打印此页|关闭|關閉|关闭窗口|關閉窗口|加入收藏|收藏|我要纠错|我要糾錯|纠错|"
    r"返回顶部|返回頂部|返回|大|中|小|默认|默認|保存|下载|下載|分享|字号|字體|字体)\s*[】\]]"
)
_PLAIN_TOKEN = (
    r"(?:打印本页|打印本頁|打印此页|关闭窗口|關閉窗口|打印|关闭|關閉|返回顶部|返回頂部|加入收藏|我要纠错|"
    r"分享到|分享至|分享|保存本页)\s*[:：]?"
)
_SINGLE_CHROME_RE = re.compile(
    rf"^(?:\s*(?:{_BRACKET_TOKEN}|{_PLAIN_TOKEN}))+\s*$"
    r"|^(?:扫一扫|掃一掃)(?:在|用)?手机(?:上)?(?:打开|查看|打開)?当前页(?:面)?$"
    r"|^(?:扫一扫|掃一掃)(?:在|用)?手機(?:上)?(?:打開|查看)?當前頁(?:面)?$"
    r"|^(?:扫一扫|掃一掃)"
)

# --- tail -----------------------------------------------------------------------------------

_TAIL_MARKER_RE = re.compile(
    r"^(?:分享到|分享至|相关文章|相關文章|相关阅读|相關閱讀|相关链接|相關鏈接|相关新闻|相關新聞|上一篇|下一篇|"
    r"本栏最新|本欄最新|本栏推荐|标签云|標籤雲|阅读排行|閱讀排行|责任编辑|責任編輯|【打印】|打印本页|打印本頁|"
    r"扫一扫|掃一掃|本作品(?:是|来自|來自|采用|採用)|Public domain$)"
    # a link list's heading standing alone: 相关词条, 热门文章, 推荐阅读, 最新动态, 更多 …
    r"|^(?:相关|相關|热门|熱門|推荐|推薦|最新|更多|猜你喜欢|猜你喜歡)[\u4e00-\u9fff]{0,4}$"
)
_PROSE_RE = re.compile(r"[。！？]")

_SIGNATURE_DATE_RE = re.compile(
    r"^[（(]?\s*((?:\d{4}|[〇○零Ｏ一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
    r"\s*[\d一二三四五六七八九十]{1,3}\s*日)\s*[）)]?$"
)
_SENTENCE_PUNCT_RE = re.compile(r"[。；;！？!?：:，,]")


@dataclass
class ChromeResult:
    lines: list[str]                                   # kept raw lines (chrome removed or cut out)
    facts: FactSheet = field(default_factory=FactSheet)

    @property
    def page_meta(self) -> dict[str, str]:
        return self.facts.values


def _is_nav(norm: str) -> bool:
    if _NAV_RE.search(norm) and len(norm) <= 120:
        return True
    tokens = norm.replace("|", " ").replace("丨", " ").replace("｜", " ").split()
    return bool(tokens) and all(t in _NAV_TOKENS for t in tokens)


def _read_meta(norm: str, facts: FactSheet) -> str | None:
    """If `norm` is a field line, record its values and return what is left of the line
    that is not chrome ("" when nothing); None when the line is not a field line."""
    if _FONT_SIZE_RE.match(norm):
        return ""
    pairs = read_fields(norm)
    if pairs is None:
        return None
    rest = ""
    label, value = pairs[-1]
    # The last value ends at a run of two or more spaces; text after it is not metadata
    # ("来源：百度马 克 数据网        政府工作报告").
    parts = re.split(r"\s{2,}", value, maxsplit=1)
    if len(parts) > 1:
        rest = parts[1].strip()
        pairs[-1] = (label, parts[0])
        if _FONT_SIZE_RE.match(rest) or _SINGLE_CHROME_RE.match(rest) or is_widget(rest):
            rest = ""
    facts.add_pairs(pairs)
    return rest


def strip_chrome(raw_lines: list[str]) -> ChromeResult:
    """Remove page chrome from `raw_lines` (already split, no line terminators)."""
    facts = FactSheet()
    meta = facts.values
    norms = [light_norm(line) for line in raw_lines]
    keep: list[str | None] = list(raw_lines)

    # Tail: from the first tail marker after which no prose paragraph follows.
    last_prose = -1
    for i, n in enumerate(norms):
        if len(n) > 100 and _PROSE_RE.search(n) and not _TAIL_MARKER_RE.match(n):
            last_prose = i
    for i in range(last_prose + 1, len(norms)):
        n = norms[i]
        if n and _TAIL_MARKER_RE.match(n) and len(n) <= 60:
            for j in range(i, len(norms)):
                keep[j] = None
            break

    expect_count = expect_summary = False
    field_lines: set[int] = set()
    for i, n in enumerate(norms):
        if keep[i] is None:
            continue
        if not n:
            continue
        if expect_count and n.isdigit():
            keep[i] = None
            expect_count = False
            continue
        expect_count = False
        if expect_summary:
            expect_summary = False
            if _SUMMARY_BODY_RE.search(n):
                keep[i] = None
                continue
        if _SUMMARY_LABEL_RE.match(n):
            keep[i] = None
            expect_summary = True
            continue
        if _is_nav(n) or (len(n) <= 40 and _SINGLE_CHROME_RE.match(n)):
            keep[i] = None
            continue
        rest = _read_meta(n, facts)
        if rest is not None:
            keep[i] = rest if rest else None
            field_lines.add(i)
            expect_count = bool(_COUNT_LABEL_RE.search(n))
            continue
        m = _TRAILING_SOURCE_RE.search(n)
        if m and len(n) > len(m.group(0)):
            facts.add("source", m.group(1).strip())
            keep[i] = n[: m.start()]

    _read_block_neighbours(norms, keep, field_lines, facts)
    lines = [line for line in keep if line is not None]
    _read_signature(lines, meta)
    return ChromeResult(lines=lines, facts=facts)


def _read_block_neighbours(norms: list[str], keep: list[str | None], field_lines: set[int],
                           facts: FactSheet) -> None:
    """Lines standing inside a block of field lines are field lines too when they are
    shaped like one, although their label is unknown or has no colon ("• 性:", truncated by
    the site; "标  题 河南省人民政府关于…")."""
    def neighbour(i: int, step: int) -> int | None:
        j = i + step
        while 0 <= j < len(norms) and not norms[j]:
            j += step
        return j if 0 <= j < len(norms) else None

    todo = sorted(field_lines)
    while todo:
        line = todo.pop()
        for i in (neighbour(line, -1), neighbour(line, 1)):
            if i is None or i in field_lines or keep[i] is None:
                continue
            pairs = read_fields(norms[i], in_block=True)
            if pairs is None:
                continue
            facts.add_pairs(pairs)
            keep[i] = None
            field_lines.add(i)
            todo.append(i)


def _read_signature(lines: list[str], meta: dict[str, str]) -> None:
    """A closing signature: a date line at the very end, the issuing body just before it."""
    tail = [light_norm(line) for line in lines[-6:]]
    tail = [t for t in tail if t]
    if not tail:
        return
    m = _SIGNATURE_DATE_RE.match(tail[-1])
    if not m:
        return
    meta["signature_date"] = m.group(1)
    if len(tail) >= 2:
        prev = re.sub(r"\s+", " ", tail[-2])
        if len(prev) <= 40 and not _SENTENCE_PUNCT_RE.search(prev):
            meta["signature"] = prev
