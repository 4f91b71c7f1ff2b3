"""Turn the bytes of an uploaded file into plain report text.

Pure module: no Django, no disk writes.  ``ingest_bytes`` detects the format by
content (not by file name), extracts the text and normalises it:

* plain text in UTF-8 (with or without BOM), UTF-16/32 with BOM, GB18030/GBK/GB2312
  or Big5 -- detected, never asked for (see ``decode_text``);
* Word ``.docx`` via python-docx (paragraphs, tables row by row, text boxes);
* PDF via pdfminer.six (text layer, wrapped lines joined, page numbers removed);
* saved web pages (``.html``/``.htm``) via BeautifulSoup + lxml (chrome removed,
  main content kept, title/date/URL collected in ``page_meta``).

Bad input only ever raises ``IngestError``, whose ``code`` is a stable machine key
and whose ``message`` is a Chinese sentence that can be shown to the admin.
"""

from __future__ import annotations

import codecs
import io
import re
import statistics
import zipfile
from collections import Counter
from dataclasses import dataclass, field

__all__ = ["IngestError", "IngestedText", "ingest_bytes", "decode_text", "MAX_PDF_PAGES"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_PDF_PAGES = 500
# Zip-bomb guards for .docx: total uncompressed size, biggest single part, number of parts.
DOCX_MAX_UNCOMPRESSED = 200 * 1024 * 1024
DOCX_MAX_PART = 64 * 1024 * 1024
DOCX_MAX_ENTRIES = 5000

NO_CHINESE_WARNING = "文本中没有中文"


class IngestError(Exception):
    """Bad input.  ``code`` is a machine key, ``message`` a Chinese sentence for the admin.

    Codes: empty, whitespace, too_large, binary, unknown_format, corrupt_docx, corrupt_pdf,
    pdf_encrypted, pdf_no_text, undecodable.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"IngestError({self.code!r}, {self.message!r})"


@dataclass
class IngestedText:
    text: str
    format: str  # "text", "docx", "pdf", "html"
    encoding: str  # "" for docx/pdf
    warnings: list[str] = field(default_factory=list)
    page_meta: dict[str, str] = field(default_factory=dict)


# The 1,000 most frequent hanzi of the project's corpus (shared/corpus + fixtures/seeds, folded to
# simplified, 96.6% of all hanzi there) followed by their traditional forms (OpenCC s2t).  Used
# only to tell a right GB18030/Big5 reading from a garbled one, so exact membership hardly matters.
_FREQUENT_HANZI = frozenset(
    "的业和建国发工一展大全政进化实产新加力设作人中年民生动经会区推高地要制行增改成在强持保有重市务农提资"
    "体不是主社项开以等济个为理能城合平上我面家企定治好坚现基府法施目入水长用度各完革对造村了创公县点方代"
    "出量三们质深机服同学规续到品育安分部技快管级五事文心万系步本升投支性科效善义决关活元教划优多十稳共标"
    "程利更群省策场领总结亿金通环时计位收落路积整就域乡放向商防四源来态立过下统众这二办极打自于外导特应报"
    "调任费取做解医境期营范小第构内融得题争集战护告型严精达色党问园准风术运电表干监协与促障引抓前转批线两"
    "健件信比扩消正格种口数道之局式础百明所确物员把流交权求际专居联镇意及贫广台控清必接率险供委财继综指可"
    "着院条势果形网山益当养兴模老先九间职后团次央都绿速游使议培河旅断依思难需研预备污值北突别海示处责固低"
    "美食些易切其略也减节将督今排房并变六西困门军组子八价习须土验配从还认努气试均近想族界贸天破单康起校执"
    "神紧类贯攻情而复相查卫才住林助原核命最案税措千东扶让反带去真少世彻南户审超疗车斗智维围空奋观由常降挥"
    "七算层粮京日招头筹聚较列药适识补充他然额置约织根功受律评显里者志首名届举互传具双劳满采承扎染已装字站"
    "无料证逐牢见底振队视究序巩链华按零励惠非因参据存负布脱港阶占景亩段普容灾富足帮素良史历拓违至记绩铁身"
    "照手考则给移论即顺修江获周材感担除边启压况谋回阳盖包再覆债守退注焦福鼓息越走很牌针右厂津街书象碳左司"
    "知贷始但筑救煤矿博击月失念激青套够纪儿光竞样限托销遇许病雄未吨只宜直货州热款银例尽克湖石壮胜官密每键"
    "请选享看龙又洁旧初荣影征响连延绕乱购急远售盾派终署油矛累检田害如廉说武此余师探止衡该践张跨迁涉储便短"
    "予航没花友馆板测树米属仍训扬细疫顾巨庭待致丰繁搞宏免宗且库端微或澳德伟犯索湾幅爱丽苏察慧疾撑援马耕草"
    "洋红警汽输换络觉危伐几白士艰望纳岸腐片轻庄艺赛残著被章席讲谐亚休般宁汇涞留客罪植愿伍签厉拉献桥奖球秩"
    "付遗编币临访败阜纠岗器图它沿黄硬私号挑苑靠妥独垃圾黑状档胞摘停轮室倍诚既隐祖齐盘废迈妇故差握潜渠缺庆"
    "播己钢载净幸耗香早患往拥循森械贴贡女弱座幼冀苦劲离吸兵勤宽侨恶毛泛唐勇浪刻貌恢楼疆禁役秀随份太温童牧"
    "洲何侵履篇藏股云宣班陆乐闲那扫纲半菜饮顿圈赋订坏顶宝瓦假页店雪涨返召古杂错副简驻肃亮火绝括蓝迎殖判登"
    "跃敢估燃抢斤畅缩倾散候话久川野演束峰贵松符令纽缓棉搬谢毕季英欠徐旗帝趋尊损诊圆暖跑沙赢释鲜轨券谈诉曲"
    "並亂亞佔來個們偉備傳債傾僑價億優儲兒內兩別則創劃勁動務勝勞勢勵匯區協厲參員問啓單噸嚴國圍園圓圖團執堅"
    "報場壓壞壯夠奮婦學實寧審寬寶將專對導屆層屬峯崗師帶幣幫幹幾庫廠廢廣張強後從復徵徹惡愛態慶應戰戶掃採揚"
    "換揮損搶撐擁擊擔據擴敗數斷於時暢書會東條業極榮構樂樓標樣樹橋機檔檢權歷殘氣決沒況淨淶減測準溫滿漲潔潛"
    "濟灣災無熱營爭爲狀獎獨獲獻現環產畝畢當療發盡監盤確礎礦稅種積穩競節範築簡籌籤糧糾紀約紅納紐級細終組結"
    "絕絡給統經綜綠維綱網緊線編緩縣縮總績織繞繼續羣義習聯職肅脫臨臺與興舉舊艱莊華萬蓋藍藝藥蘇處號衆術衛裏"
    "補裝見規視覺觀訂計訓記訪設許訴診評試話該認誠說調談請論諧謀講謝證識議護變讓豐負財貢貧貨貫責貴貸費貼貿"
    "資賦質購賽贏趨踐躍車軌軍較載輕輪輸轉辦農這連進遊運過達違遠適遷選遺邁還邊鄉醫釋針銀銷鋼錯錶鍵鎮鏈鐵長"
    "門開閒間關陸陽隊階際隨險隱雙雜離難雲電鞏響頁頂項順須預頓領頭題額願類顧顯風飲養餘館馬駐驗體鮮麗黃點黨"
    "齊龍"
)

_COMMON_PUNCT = frozenset("，。、；：？！“”‘’（）《》【】—…·　「」『』〈〉％０１２３４５６７８９")
_CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_RE = re.compile(f"[{_CJK_RANGES}]")
_CJK_OR_PUNCT = f"{_CJK_RANGES}\u3000-\u303f\uff00-\uffef"
_SPACE_BETWEEN_CJK_RE = re.compile(f"(?<=[{_CJK_OR_PUNCT}])[ \t\u00a0]+(?=[{_CJK_OR_PUNCT}])")
# Control characters that never belong in report text (tab and newline are kept).
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\u200b\ufffe\uffff]")
_NEWLINES_RE = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _err(code: str, message: str) -> IngestError:
    return IngestError(code, message)


def _size_label(n: int) -> str:
    mib = 1024 * 1024
    if n >= mib:
        value = n / mib
        return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} 字节"


def has_chinese(text: str) -> bool:
    return _CJK_RE.search(text) is not None


def _clean_text(text: str) -> str:
    """Normalise line ends to "\\n", drop BOM/NUL/control characters and trailing blanks."""
    text = _NEWLINES_RE.sub("\n", text)
    text = _CONTROL_RE.sub("", text)
    lines = [line.rstrip(" \t\u3000\u00a0") for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def _join_lines(lines) -> str:
    """Structured formats: one paragraph per line, stripped, no empty lines."""
    out = []
    for line in lines:
        line = _CONTROL_RE.sub("", _NEWLINES_RE.sub("\n", line))
        for part in line.split("\n"):
            part = part.strip(" \t\u3000\u00a0")
            if part:
                out.append(part)
    return "\n".join(out)


# --------------------------------------------------------------------------- decoding

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)
_PLAUSIBILITY_SAMPLE = 20000
_LOW_CONFIDENCE = 0.5


def _plausibility(text: str) -> float:
    """Share of non-ASCII characters that are frequent hanzi (either script) or CJK punctuation.

    Real Chinese text scores ~0.9; GB bytes read as Big5 (or the reverse) score ~0.1.
    """
    total = good = 0
    for ch in text:
        if ch < "\x80":
            continue
        total += 1
        if ch in _FREQUENT_HANZI or ch in _COMMON_PUNCT:
            good += 1
        if total >= _PLAUSIBILITY_SAMPLE:
            break
    return good / total if total else 1.0


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _bom(data: bytes) -> tuple[bytes, str, str] | None:
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return bom, codec, name
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without BOM: NUL bytes (ASCII) and a clean, plausible decoding in one byte order."""
    sample = data[:8192]
    if len(data) % 2 or b"\x00" not in sample:
        return None
    best, best_score = None, 0.0
    for codec in ("utf-16-le", "utf-16-be"):
        text = _strict(data, codec)
        if not text:
            continue
        head = text[:4096]
        if any(ch < " " and ch not in "\t\n\r\x0c" for ch in head):
            continue
        if any("\ud800" <= ch <= "\udfff" or "\ue000" <= ch <= "\uf8ff" for ch in head):
            continue
        ascii_share = sum(1 for ch in head if ch < "\x80") / len(head)
        score = max(ascii_share, _plausibility(head))
        if score > best_score:
            best, best_score = codec, score
    return best if best_score >= 0.6 else None


def _decode(data: bytes) -> tuple[str, str, list[str]]:
    """Return (raw text, encoding name, warnings) or raise IngestError("undecodable")."""
    warnings: list[str] = []
    bom = _bom(data)
    if bom:
        marker, codec, name = bom
        text = _strict(data[len(marker):], codec)
        if text is None:
            text = data[len(marker):].decode(codec, errors="replace")
            bad = text.count("\ufffd")
            if bad > max(3, len(text) // 100):
                raise _err("undecodable", f"文件开头标明是 {name.upper()} 编码，但内容无法按此编码解码。")
            warnings.append(f"有 {bad} 处无法解码的字节，已替换为“\ufffd”。")
        return text, name, warnings

    text = _strict(data, "utf-8")
    if text is not None:
        return text, "utf-8", warnings

    utf16 = _utf16_without_bom(data)
    if utf16:
        text = _strict(data, utf16)
        if text is not None:
            return text, utf16, warnings

    # Chinese legacy encodings: decode strictly, then pick the most plausible reading.
    candidates: list[tuple[float, str, str]] = []
    gb = _strict(data, "gb18030")
    if gb is not None:
        candidates.append((_plausibility(gb), "gb18030", gb))
    for big5_codec in ("big5", "cp950", "big5hkscs"):
        big5 = _strict(data, big5_codec)
        if big5 is not None:
            candidates.append((_plausibility(big5), big5_codec, big5))
            break
    # A UTF-8 file with a few damaged bytes (e.g. cut mid-character) must not lose to a
    # strict but garbled GB18030 reading.
    lenient = data.decode("utf-8", errors="replace")
    bad_utf8 = lenient.count("\ufffd")
    if bad_utf8 <= max(2, len(lenient) // 1000):
        candidates.append((_plausibility(lenient.replace("\ufffd", "")), "utf-8", lenient))
    if candidates:
        candidates.sort(key=lambda c: c[0], reverse=True)
        score, name, text = candidates[0]
        if name == "utf-8" and bad_utf8:
            warnings.append(f"有 {bad_utf8} 处无法解码的字节，已替换为“\ufffd”。")
        if score < _LOW_CONFIDENCE:
            # Probably not Chinese at all (Japanese, Korean, Western text read as GB18030):
            # charset-normalizer knows those languages better than our hanzi statistics.
            fallback = _charset_normalizer(data, max_chaos=0.2)
            if fallback and fallback[1] not in _CHINESE_CODECS:
                return fallback[0], fallback[1], [_low_confidence(fallback[1])]
            warnings.append(_low_confidence(name))
        elif len(candidates) > 1 and score - candidates[1][0] < 0.15:
            warnings.append(_low_confidence(name))
        return text, name, warnings

    # Not UTF-8 nor Chinese: let charset-normalizer guess (cp1252, Shift_JIS, ...).
    fallback = _charset_normalizer(data)
    if fallback:
        return fallback[0], fallback[1], [_low_confidence(fallback[1])]
    raise _err("undecodable", "无法识别文件的文字编码（已尝试 UTF-8、GB18030、Big5 等），请另存为 UTF-8 后再导入。")


def _low_confidence(name: str) -> str:
    return f"编码检测置信度低：已按 {name} 解码，请核对文字是否正确。"


_CHINESE_CODECS = frozenset({"gb18030", "gbk", "gb2312", "hz", "big5", "cp950", "big5hkscs"})


def _charset_normalizer(data: bytes, max_chaos: float = 0.5) -> tuple[str, str] | None:
    """charset-normalizer's reading, if it is a language at all: it happily decodes junk as
    some single-byte code page, so a guess needs coherent words (or a CJK language)."""
    try:
        from charset_normalizer import from_bytes

        matches = list(from_bytes(data[: 512 * 1024]))
        if not matches:
            return None
        best = matches[0]
        # Among near-equal readings prefer the most coherent language (cp1252 French over
        # cp1257 "Slovak", say).
        close = [m for m in matches if m.chaos <= best.chaos + 0.1]
        chosen = max(close, key=lambda m: (m.coherence, -m.chaos))
        cjk_language = chosen.language in ("Japanese", "Korean") and chosen.chaos <= 0.1
        coherent = chosen.coherence >= 0.2 or cjk_language
        if chosen.chaos > max_chaos or not coherent:
            return None
        return data.decode(chosen.encoding), codecs.lookup(chosen.encoding).name
    except Exception:  # noqa: BLE001 - any failure here just means "no guess"
        return None


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode plain-text bytes: BOM, strict UTF-8, GB18030 vs Big5 by plausibility, then
    charset-normalizer.  Returns (text, encoding) with "\\n" line ends, BOM and control
    characters removed.  Raises IngestError("undecodable")."""
    text, encoding, _ = _decode(data)
    return _clean_text(text), encoding


# --------------------------------------------------------------------------- sniffing

_NOT_SUPPORTED = "文件不是文本、Word(.docx)、PDF 或网页，无法导入（看起来是{what}）。"
_CONVERT_HINT = "请另存为 .docx 或 PDF 后再导入。"

# (prefix, label, is a document that could be converted)
_SIGNATURES: tuple[tuple[bytes, str, bool], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG 图片", False),
    (b"\xff\xd8\xff", "JPEG 图片", False),
    (b"GIF87a", "GIF 图片", False),
    (b"GIF89a", "GIF 图片", False),
    (b"II*\x00", "TIFF 图片", False),
    (b"MM\x00*", "TIFF 图片", False),
    (b"8BPS", "Photoshop 图片", False),
    (b"\x00\x00\x01\x00", "ICO 图标", False),
    (b"ID3", "MP3 音频", False),
    (b"OggS", "Ogg 音视频", False),
    (b"fLaC", "FLAC 音频", False),
    (b"\x1a\x45\xdf\xa3", "MKV/WebM 视频", False),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Office 文件（.doc/.xls/.ppt 或 WPS）", True),
    (b"{\\rtf", "RTF 文档", True),
    (b"%!PS", "PostScript 文件", True),
    (b"CAJ", "CAJ 文档", True),
    (b"KDH ", "KDH 文档", True),
    (b"AT&TFORM", "DjVu 文档", True),
    (b"\x1f\x8b", "GZIP 压缩包", False),
    (b"\xfd7zXZ\x00", "XZ 压缩包", False),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip 压缩包", False),
    (b"Rar!\x1a\x07", "RAR 压缩包", False),
    (b"\x28\xb5\x2f\xfd", "Zstandard 压缩包", False),
    (b"\x7fELF", "ELF 可执行文件", False),
    (b"\xcf\xfa\xed\xfe", "Mach-O 可执行文件", False),
    (b"\xce\xfa\xed\xfe", "Mach-O 可执行文件", False),
    (b"\xca\xfe\xba\xbe", "可执行文件", False),
    (b"\x00asm", "WebAssembly 文件", False),
    (b"SQLite format 3\x00", "SQLite 数据库", False),
)
_OLE_BY_EXTENSION = {
    ".doc": "旧版 Word 文档（.doc）",
    ".dot": "旧版 Word 模板（.dot）",
    ".wps": "WPS 文字文件（.wps）",
    ".xls": "旧版 Excel 表格（.xls）",
    ".et": "WPS 表格文件（.et）",
    ".ppt": "旧版 PowerPoint 演示文稿（.ppt）",
    ".dps": "WPS 演示文件（.dps）",
}
_HTML_START = (b"<!doctype html", b"<html", b"<head", b"<meta", b"<body", b"<title", b"<base", b"<link")
_HTML_EXTENSIONS = (".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php")
_HTML_TAG_RE = re.compile(rb"<(?:html|head|body|p|div|br|table|span|meta|title|h[1-6]|font|center)\b", re.I)
_FORMAT_LABELS = {"text": "纯文本", "docx": "Word(.docx)", "pdf": "PDF", "html": "网页"}
_EXTENSION_FORMATS = {
    ".txt": "text", ".text": "text", ".md": "text", ".csv": "text",
    ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
}


def _extension(filename: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return "." + name.rsplit(".", 1)[1] if "." in name else ""


def _unsupported(what: str, document: bool) -> IngestError:
    message = _NOT_SUPPORTED.format(what=(" " if what[:1].isascii() else "") + what)
    if document:
        message += _CONVERT_HINT
    return _err("unknown_format", message)


def _signature(data: bytes, ext: str) -> IngestError | None:
    """A known non-supported file type, recognised by its magic bytes."""
    for prefix, label, document in _SIGNATURES:
        if data.startswith(prefix):
            if prefix.startswith(b"\xd0\xcf\x11\xe0"):
                label = _OLE_BY_EXTENSION.get(ext, label)
            return _unsupported(label, document)
    if data[:2] == b"BM" and len(data) > 26 and data[6:10] == b"\x00\x00\x00\x00":
        return _unsupported("BMP 图片", False)
    if data[:4] == b"RIFF" and len(data) >= 12:
        kind = {b"WEBP": "WebP 图片", b"WAVE": "WAV 音频", b"AVI ": "AVI 视频"}.get(data[8:12], "RIFF 媒体文件")
        return _unsupported(kind, False)
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"msf1", b"avif"):
            return _unsupported("HEIC/AVIF 图片", False)
        return _unsupported("MP4/MOV 视频", False)
    if data[257:262] == b"ustar":
        return _unsupported("TAR 归档", False)
    if data[:2] == b"MZ" and len(data) > 0x40:
        pe = int.from_bytes(data[0x3C:0x40], "little")
        if data[pe:pe + 4] == b"PE\x00\x00":
            return _unsupported("Windows 可执行文件", False)
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D, 0x1B))
    return controls > len(sample) * 0.05


def _html_prefix(data: bytes) -> bytes:
    """The first bytes lowered and as ASCII, whatever the Unicode encoding form."""
    head = data[:4096]
    bom = _bom(head)
    if bom and bom[1] != "utf-8":
        head = head[len(bom[0]):].decode(bom[1], errors="ignore").encode("ascii", errors="ignore")
    elif bom:
        head = head[len(bom[0]):]
    return head.lower()


def _looks_like_html(data: bytes, ext: str) -> bool:
    head = _html_prefix(data)
    start = head.lstrip(b" \t\r\n\x0c")
    if start.startswith(b"<?xml"):
        return b"<html" in head
    while start.startswith(b"<!--"):  # leading comments, e.g. "<!-- saved from url=... -->"
        end = start.find(b"-->")
        if end < 0:
            break
        start = start[end + 3:].lstrip(b" \t\r\n\x0c")
    if start.startswith(_HTML_START):
        return True
    return ext in _HTML_EXTENSIONS and _HTML_TAG_RE.search(head) is not None


def _zip_kind(data: bytes, ext: str) -> str:
    """'docx' for a Word document; raise for other zip files."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
    except Exception:  # noqa: BLE001 - zipfile raises many kinds of errors on junk
        if ext == ".docx" or b"word/" in data[:65536]:
            raise _err("corrupt_docx", "Word 文档已损坏（压缩包结构无法读取），无法导入。") from None
        raise _unsupported("损坏的 ZIP 压缩包", False) from None
    lower = {n.lower() for n in names}
    if any(re.fullmatch(r"word/document\d*\.xml", n) for n in lower):
        return "docx"
    if "[content_types].xml" in lower and any(n.startswith("word/") for n in lower):
        return "docx"
    if any(n.startswith("xl/") for n in lower):
        raise _unsupported("Excel 表格（.xlsx）", True)
    if any(n.startswith("ppt/") for n in lower):
        raise _unsupported("PowerPoint 演示文稿（.pptx）", True)
    if "ofd.xml" in lower:
        raise _unsupported("OFD 版式文档", True)
    if "mimetype" in lower and data[30:38] == b"mimetype":
        kind = data[38:100]
        if b"epub" in kind:
            raise _unsupported("EPUB 电子书", True)
        raise _unsupported("OpenDocument 文档（.odt 等）", True)
    if ext == ".docx":
        raise _err("corrupt_docx", "Word 文档已损坏（缺少 word/document.xml），无法导入。")
    raise _unsupported("ZIP 压缩包", False)


def _sniff(data: bytes, ext: str) -> str:
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _zip_kind(data, ext)
    error = _signature(data, ext)
    if error:
        raise error
    if _looks_like_html(data, ext):
        return "html"
    if _bom(data) is None and _looks_binary(data) and _utf16_without_bom(data) is None:
        raise _err("binary", _NOT_SUPPORTED.format(what="二进制文件"))
    return "text"


# --------------------------------------------------------------------------- entry point


def ingest_bytes(data: bytes, *, filename: str = "", max_bytes: int = DEFAULT_MAX_BYTES) -> IngestedText:
    """Detect the format of an uploaded file by its content and extract plain report text.

    Raises IngestError (and nothing else) for bad input.
    """
    if data is None:
        data = b""
    data = bytes(data)
    if len(data) > max_bytes:
        raise _err("too_large", f"文件超过大小上限（{_size_label(max_bytes)}）。")
    if not data:
        raise _err("empty", "文件为空。")
    if not data.strip(b" \t\r\n\x0b\x0c"):
        raise _err("whitespace", "文件只包含空白字符，没有内容。")

    ext = _extension(filename)
    kind = _sniff(data, ext)
    if kind == "pdf":
        result = _ingest_pdf(data)
    elif kind == "docx":
        result = _ingest_docx(data)
    elif kind == "html":
        result = _ingest_html(data)
    else:
        result = _ingest_text(data)

    expected = _EXTENSION_FORMATS.get(ext)
    if expected and expected != result.format:
        result.warnings.insert(
            0, f"文件扩展名是 {ext}，但内容是{_FORMAT_LABELS[result.format]}，已按{_FORMAT_LABELS[result.format]}导入。"
        )
    if not has_chinese(result.text):
        result.warnings.append(NO_CHINESE_WARNING)
    return result


def _ingest_text(data: bytes) -> IngestedText:
    text, encoding, warnings = _decode(data)
    cleaned = _clean_text(text)
    if not cleaned.strip(" \t\n\u3000\u00a0"):
        if _CONTROL_RE.sub("", text):
            raise _err("whitespace", "文件只包含空白字符，没有内容。")
        raise _err("empty", "文件为空。")
    return IngestedText(text=cleaned, format="text", encoding=encoding, warnings=warnings)


# --------------------------------------------------------------------------- tables


def _row_lines(cells: list[list[str]]) -> list[str]:
    """Lines for one table row, given each cell's lines.

    A data row becomes one line with cells joined by a tab.  A row with a single non-empty
    cell, or with a long multi-paragraph cell (a table used for page layout), keeps the
    cells' paragraphs as lines so a report laid out inside a table is not squashed.
    """
    filled = [c for c in cells if any(line.strip() for line in c)]
    if not filled:
        return []
    if len(filled) == 1:
        return filled[0]
    if any(len(c) > 1 and sum(len(line) for line in c) > 200 for c in filled):
        return [line for c in filled for line in c]
    return ["\t".join(" ".join(line.strip() for line in c if line.strip()) for c in cells)]


# --------------------------------------------------------------------------- docx

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_W_SKIP = {
    f"{_W}del", f"{_W}moveFrom", f"{_W}pPr", f"{_W}rPr", f"{_W}txbxContent", f"{_MC}Fallback",
    f"{_W}instrText", f"{_W}delText", f"{_W}footnoteReference", f"{_W}endnoteReference",
}


def _docx_check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except Exception:  # noqa: BLE001
        raise _err("corrupt_docx", "Word 文档已损坏（压缩包结构无法读取），无法导入。") from None
    if len(infos) > DOCX_MAX_ENTRIES:
        raise _err("corrupt_docx", "Word 文档结构异常（包含的部件过多），无法导入。")
    total = sum(i.file_size for i in infos)
    biggest = max((i.file_size for i in infos), default=0)
    if total > DOCX_MAX_UNCOMPRESSED or biggest > DOCX_MAX_PART:
        raise _err("too_large", f"Word 文档解压后超过大小上限（{_size_label(DOCX_MAX_UNCOMPRESSED)}），无法导入。")


def _docx_inline_text(element, out: list[str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _W_SKIP:
            continue
        if tag == f"{_W}t":
            out.append(child.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            out.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            out.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            out.append("-")
        else:
            _docx_inline_text(child, out)


def _docx_textboxes(paragraph) -> list[str]:
    lines: list[str] = []
    for box in paragraph.iter(f"{_W}txbxContent"):
        if any(a.tag in (f"{_MC}Fallback", f"{_W}txbxContent") for a in box.iterancestors()):
            continue
        lines.extend(_docx_block_lines(box))
    return lines


def _docx_block_lines(container, numbering=None) -> list[str]:
    lines: list[str] = []
    for child in container:
        tag = child.tag
        if tag == f"{_W}p":
            out: list[str] = []
            _docx_inline_text(child, out)
            text = "".join(out)
            if numbering is not None:
                label = numbering.label(child)
                if label and text.strip():
                    text = label + text
            lines.extend(text.split("\n"))
            lines.extend(_docx_textboxes(child))
        elif tag == f"{_W}tbl":
            lines.extend(_docx_table_lines(child, numbering))
        elif tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}moveTo"):
            lines.extend(_docx_block_lines(child, numbering))
    return lines


def _docx_table_lines(table, numbering) -> list[str]:
    lines: list[str] = []
    for row in table.iter(f"{_W}tr"):
        if _nearest(row, "tbl") is not table:
            continue  # a row of a nested table: handled through its cell
        cells = []
        for cell in row.iter(f"{_W}tc"):
            if _nearest(cell, "tr") is not row:
                continue
            cells.append([line for line in _docx_block_lines(cell, numbering) if line.strip()])
        lines.extend(_row_lines(cells))
    return lines


def _nearest(element, local_name: str):
    for ancestor in element.iterancestors(f"{_W}{local_name}"):
        return ancestor
    return None


def _ingest_docx(data: bytes) -> IngestedText:
    _docx_check_zip(data)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        numbering = _DocxNumbering.from_document(document)
        lines = _docx_block_lines(body, numbering)
    except IngestError:
        raise
    except Exception:  # noqa: BLE001 - python-docx/lxml/zipfile raise many kinds of errors
        raise _err("corrupt_docx", "Word 文档已损坏或不是有效的 .docx 文件，无法导入。") from None
    text = _join_lines(lines)
    if not text:
        raise _err("empty", "Word 文档中没有文字。")
    return IngestedText(text=text, format="docx", encoding="")


_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"


def _chinese_number(n: int, digits: str = _CN_DIGITS, ten: str = "十", hundred: str = "百") -> str:
    if n <= 0 or n >= 1000:
        return str(n)
    h, rest = divmod(n, 100)
    t, u = divmod(rest, 10)
    out = digits[h] + hundred if h else ""
    if t:
        out += ("" if t == 1 and not h else digits[t]) + ten
    elif h and u:
        out += digits[0]
    if u:
        out += digits[u]
    return out


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out


def _letters(n: int) -> str:
    if n <= 0:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "koreanCounting", "taiwaneseCountingThousand", "japaneseDigitalTenThousand"):
        return _chinese_number(n)
    if fmt in ("chineseLegalSimplified", "japaneseLegal"):
        return _chinese_number(n, _CN_LEGAL, "拾", "佰")
    if fmt in ("ideographDigital", "taiwaneseDigital"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return _DIZHI[(n - 1) % 12]
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt in ("decimalEnclosedParen",) and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    return str(n)


class _DocxNumbering:
    """Renders Word's automatic list numbering ("一、", "（一）", "1.") that python-docx
    leaves out of paragraph text.  Counters are kept per abstract list, as Word does."""

    def __init__(self, levels, nums, style_numpr):
        self.levels = levels  # abstractNumId -> {ilvl: (start, fmt, text, suffix, legal)}
        self.nums = nums  # numId -> (abstractNumId, {ilvl: startOverride})
        self.style_numpr = style_numpr  # styleId -> (numId, ilvl)
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()

    @classmethod
    def from_document(cls, document) -> "_DocxNumbering | None":
        try:
            root = document.part.numbering_part.element
        except Exception:  # noqa: BLE001 - no numbering part
            return None
        val = f"{_W}val"
        levels: dict[str, dict[int, tuple]] = {}
        for abstract in root.iter(f"{_W}abstractNum"):
            per_level = {}
            for lvl in abstract.iter(f"{_W}lvl"):
                ilvl = int(lvl.get(f"{_W}ilvl", "0"))
                start = lvl.find(f"{_W}start")
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                suff = lvl.find(f"{_W}suff")
                per_level[ilvl] = (
                    int(start.get(val, "1")) if start is not None else 1,
                    fmt.get(val, "decimal") if fmt is not None else "decimal",
                    text.get(val, "") if text is not None else "",
                    suff.get(val, "tab") if suff is not None else "tab",
                    lvl.find(f"{_W}isLgl") is not None,
                )
            levels[abstract.get(f"{_W}abstractNumId")] = per_level
        nums = {}
        for num in root.iter(f"{_W}num"):
            abstract = num.find(f"{_W}abstractNumId")
            if abstract is None:
                continue
            overrides = {}
            for override in num.iter(f"{_W}lvlOverride"):
                start = override.find(f"{_W}startOverride")
                if start is not None:
                    overrides[int(override.get(f"{_W}ilvl", "0"))] = int(start.get(val, "1"))
            nums[num.get(f"{_W}numId")] = (abstract.get(val), overrides)
        style_numpr = {}
        try:
            styles = document.part.styles.element
            based_on = {}
            for style in styles.iter(f"{_W}style"):
                sid = style.get(f"{_W}styleId")
                base = style.find(f"{_W}basedOn")
                if base is not None:
                    based_on[sid] = base.get(val)
                numpr = style.find(f"{_W}pPr/{_W}numPr")
                if numpr is not None:
                    style_numpr[sid] = cls._numpr(numpr)
            for sid in list(based_on):  # inherit numbering along basedOn chains
                seen, cur = set(), sid
                while cur not in style_numpr and cur in based_on and cur not in seen:
                    seen.add(cur)
                    cur = based_on[cur]
                if cur in style_numpr and sid not in style_numpr:
                    style_numpr[sid] = style_numpr[cur]
        except Exception:  # noqa: BLE001
            pass
        return cls(levels, nums, style_numpr)

    @staticmethod
    def _numpr(numpr) -> tuple[str | None, int | None]:
        num_id = numpr.find(f"{_W}numId")
        ilvl = numpr.find(f"{_W}ilvl")
        return (
            num_id.get(f"{_W}val") if num_id is not None else None,
            int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else None,
        )

    def label(self, paragraph) -> str:
        num_id, ilvl = None, None
        ppr = paragraph.find(f"{_W}pPr")
        if ppr is not None:
            style = ppr.find(f"{_W}pStyle")
            if style is not None and style.get(f"{_W}val") in self.style_numpr:
                num_id, ilvl = self.style_numpr[style.get(f"{_W}val")]
            numpr = ppr.find(f"{_W}numPr")
            if numpr is not None:
                own_id, own_lvl = self._numpr(numpr)
                num_id = own_id if own_id is not None else num_id
                ilvl = own_lvl if own_lvl is not None else ilvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        ilvl = ilvl or 0
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for level, start in overrides.items():
                counters[level] = start - 1
        start, fmt, text, suffix, _ = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if fmt in ("bullet", "none") or not text:
            return ""
        legal = levels[ilvl][4]

        def render(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            if level not in levels:
                return ""
            value = counters.get(level, levels[level][0])
            return _format_number(value, "decimal" if legal else levels[level][1])

        label = re.sub(r"%([1-9])", render, text)
        return label + (" " if suffix == "space" else "")


# --------------------------------------------------------------------------- pdf

_PDF_NO_TEXT = "PDF 中没有可提取的文字（可能是扫描件），需要先进行 OCR。"
_PDF_CORRUPT = "PDF 文件已损坏或格式无效，无法读取。"
_DECOR = r"[\s\-—–－_~·•=＝]"
# Page numbers that can never be report text, wherever they are on the page.
_PAGE_NUMBER_RE = re.compile(
    rf"^{_DECOR}*(?:第\s*[0-9一二三四五六七八九十百零〇]+\s*页(?:\s*[,，/／]?\s*共\s*[0-9一二三四五六七八九十百零〇]+\s*页)?"
    rf"|共\s*\d+\s*页\s*第\s*\d+\s*页|page\s*\d+(?:\s*(?:of|/)\s*\d+)?)\s*{_DECOR}*$",
    re.I,
)
_DASHED_NUMBER_RE = re.compile(r"^\s*[\-—–－~]+\s*\d{1,4}\s*[\-—–－~]+\s*$")
# Bare page numbers ("3", "3 / 12", "iv"): only removed at the top or bottom of a page.
_BARE_NUMBER_RE = re.compile(r"^\s*(?:\d{1,4}(?:\s*[/／]\s*\d{1,4})?|[ivxlcdm]{1,7})\s*$", re.I)
_HEADING_RE = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇两0-9]+[章节部分条篇]"
    r"|[一二三四五六七八九十百]+\s*[、.．]"
    r"|[（(]\s*[一二三四五六七八九十百]+\s*[）)]"
    r"|\d{1,2}\s*[、．]|\d{1,2}\.(?!\d)"
    r"|[（(]\s*\d{1,2}\s*[）)]"
    r"|[①-⑳⑴-⒇]"
    r"|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+\s*[、.．])"
)
_SENTENCE_END = "。！？；：…!?;:"
_CLOSERS = "”’」』）)》〉】\"'"
_CID_RE = re.compile(r"\(cid:\d+\)")


@dataclass
class _PdfLine:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    short: bool = False
    indented: bool = False


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(" \t\u3000")
    core = stripped.rstrip(_CLOSERS)
    if core and core != stripped:  # '。”' ends a sentence, '（2020年）' does not
        return core[-1] in _SENTENCE_END
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def _pdf_page_lines(layout, page_no: int) -> list[_PdfLine]:
    from pdfminer.layout import LTTextLine

    raw: list[_PdfLine] = []

    def walk(obj):
        if isinstance(obj, LTTextLine):
            text = obj.get_text().replace("\n", " ").strip()
            if text:
                raw.append(_PdfLine(text, obj.x0, obj.x1, obj.y1, obj.y0, max(obj.height, 1.0), page_no))
            return
        try:
            children = list(obj)
        except TypeError:
            return
        for child in children:
            walk(child)

    walk(layout)
    # Reading order for single-column reports: top to bottom; pieces of one visual row
    # (e.g. table cells) are merged left to right with a tab.
    raw.sort(key=lambda ln: (-ln.top, ln.x0))
    rows: list[_PdfLine] = []
    for line in raw:
        if rows:
            last = rows[-1]
            overlap = min(last.top, line.top) - max(last.bottom, line.bottom)
            if overlap > 0.5 * min(last.size, line.size):
                sep = " " if line.x0 - last.x1 < 0.5 * line.size else "\t"
                if line.x0 >= last.x0:
                    last.text = last.text + sep + line.text
                else:
                    last.text = line.text + sep + last.text
                last.x0, last.x1 = min(last.x0, line.x0), max(last.x1, line.x1)
                last.top, last.bottom = max(last.top, line.top), min(last.bottom, line.bottom)
                continue
        rows.append(line)
    return rows


def _pdf_remove_page_furniture(pages: list[list[_PdfLine]]) -> list[list[_PdfLine]]:
    def key(line: _PdfLine) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text))

    # Running headers/footers: the same first or last line (digits ignored) on many pages.
    edge_counts: Counter[str] = Counter()
    for lines in pages:
        edges = {key(ln) for ln in lines[:1] + lines[-1:]}
        edge_counts.update(edges)
    repeated = {
        k for k, n in edge_counts.items() if len(pages) >= 3 and n >= 3 and n >= 0.5 * len(pages)
    }
    cleaned = []
    for lines in pages:
        kept = []
        for i, line in enumerate(lines):
            at_edge = i == 0 or i == len(lines) - 1
            if _PAGE_NUMBER_RE.match(line.text) or _DASHED_NUMBER_RE.match(line.text):
                continue
            if at_edge and len(lines) > 1 and _BARE_NUMBER_RE.match(line.text):
                continue
            if at_edge and key(line) in repeated:
                continue
            kept.append(line)
        cleaned.append(kept)
    return cleaned


def _pdf_mark_geometry(lines: list[_PdfLine]) -> None:
    """Flag lines that end well before the right margin (paragraph ends, titles) and lines
    that start right of the left margin (first lines of paragraphs, centred titles)."""
    if not lines:
        return
    size = statistics.median(ln.size for ln in lines)
    widest = max(ln.x1 - ln.x0 for ln in lines)
    full = [ln for ln in lines if ln.x1 - ln.x0 >= 0.7 * widest] or lines
    left = min(ln.x0 for ln in full)
    right = statistics.median(ln.x1 for ln in full)
    for ln in lines:
        ln.short = right - ln.x1 > 1.5 * size
        ln.indented = ln.x0 - left > 1.2 * size


def _pdf_paragraphs(lines: list[_PdfLine]) -> list[str]:
    paragraphs: list[str] = []
    prev: _PdfLine | None = None
    for line in lines:
        text = _SPACE_BETWEEN_CJK_RE.sub("", line.text)
        if prev is not None and paragraphs:
            new_paragraph = (
                _ends_sentence(paragraphs[-1])
                or _HEADING_RE.match(text) is not None
                or prev.short
                or line.indented
                or "\t" in prev.text
                or "\t" in text
            )
            if not new_paragraph:
                last = paragraphs[-1]
                sep = " " if last[-1:].isascii() and last[-1:].isalnum() and text[:1].isascii() else ""
                paragraphs[-1] = last + sep + text
                prev = line
                continue
        paragraphs.append(text)
        prev = line
    return paragraphs


def _ingest_pdf(data: bytes) -> IngestedText:
    try:
        from pdfminer.converter import PDFPageAggregator
        from pdfminer.layout import LAParams
        from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
    except ImportError as exc:  # pragma: no cover - pinned dependency
        raise _err("corrupt_pdf", "服务器缺少 PDF 解析组件（pdfminer.six）。") from exc

    warnings: list[str] = []
    pages: list[list[_PdfLine]] = []
    try:
        parser = PDFParser(io.BytesIO(data))
        try:
            document = PDFDocument(parser, password="")
        except (PDFPasswordIncorrect, PDFEncryptionError):
            raise _err("pdf_encrypted", "PDF 已加密（设置了打开密码），无法读取。请先去除密码后再导入。") from None
        manager = PDFResourceManager(caching=True)
        device = PDFPageAggregator(manager, laparams=LAParams(all_texts=True))
        interpreter = PDFPageInterpreter(manager, device)
        for number, page in enumerate(PDFPage.create_pages(document)):
            if number >= MAX_PDF_PAGES:
                warnings.append(f"PDF 超过 {MAX_PDF_PAGES} 页，只导入了前 {MAX_PDF_PAGES} 页。")
                break
            interpreter.process_page(page)
            pages.append(_pdf_page_lines(device.get_result(), number))
    except IngestError:
        raise
    except Exception:  # noqa: BLE001 - pdfminer raises many kinds of errors on bad files
        if not pages:
            raise _err("corrupt_pdf", _PDF_CORRUPT) from None
        warnings.append(f"PDF 第 {len(pages) + 1} 页起无法读取，只导入了前 {len(pages)} 页。")

    # Glyphs without a Unicode mapping come out as "(cid:123)": unreadable without OCR.
    total_chars = sum(len(ln.text) for lines in pages for ln in lines)
    cid_chars = sum(len(m) for lines in pages for ln in lines for m in _CID_RE.findall(ln.text))
    if total_chars and cid_chars > 0.5 * total_chars:
        raise _err("pdf_no_text", "PDF 中的文字无法提取（字体缺少编码映射），需要先进行 OCR。")
    if cid_chars:
        warnings.append("PDF 中有部分文字无法识别（字体缺少编码映射），已略去。")
        for lines in pages:
            for ln in lines:
                ln.text = _CID_RE.sub("", ln.text).strip()
            lines[:] = [ln for ln in lines if ln.text]

    pages = _pdf_remove_page_furniture(pages)
    for lines in pages:
        _pdf_mark_geometry(lines)
    text = _join_lines(_pdf_paragraphs([ln for lines in pages for ln in lines]))
    if not text.strip():
        raise _err("pdf_no_text", _PDF_NO_TEXT)
    return IngestedText(text=text, format="pdf", encoding="", warnings=warnings)


# --------------------------------------------------------------------------- html

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


def _ingest_html(data: bytes) -> IngestedText:
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
    except IngestError:
        raise
    except RecursionError:
        raise _err("unknown_format", "网页结构嵌套过深，无法解析。") from None
    except Exception:  # noqa: BLE001
        raise _err("unknown_format", "网页无法解析，无法导入。") from None
    text = _join_lines(lines)
    if not text:
        raise _err("empty", "网页中没有找到正文文字。")
    return IngestedText(text=text, format="html", encoding=encoding, warnings=warnings, page_meta=meta)
