"""Plain-text decoding: BOM, UTF-8, UTF-16 without BOM, GB18030 vs Big5 by plausibility,
then charset-normalizer for anything else."""

from __future__ import annotations

import codecs

from reports.ingest.base import _COMMON_PUNCT, _clean_text, _err

# The 1,000 most frequent hanzi of the project's corpus (fixtures/corpus.tar.xz + fixtures/seeds, folded to
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

