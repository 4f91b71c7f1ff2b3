"""Every field of every row of the real development set (fixtures/real_dev/index.tsv).

One test per (row, field), judged by `reports.measure_fidelity` (its docstring says how each
field is judged; rows whose place the text alone does not determine accept an empty part
there, and are not judged on the full jurisdiction).  What still fails is listed in
KNOWN_FAILURES with what comes out today: those cases are strict xfails, so a fix makes them
pass, fails the test, and forces the entry out of the list.  ACCURACY_FLOOR holds the share
reached per field; it may only go up.
"""

import pytest

from reports.measure_fidelity import FIELDS, accuracy, judge_all, load_rows

KNOWN_FAILURES: dict[str, dict[str, str]] = {
    "title": {
        "d003_tongchengzhen_2025": "got '2025年法治政府建设情况'",
        "d044_seni_2025": "got '建设情况的报告'",
        "d053_pishan_jyj_2022": "got '• 题: 皮山县教育系统2022年度法治政府建设工作报告'",
        "d054_dazu_wjw_2025": "got '[ 主题分类 ] 卫生 [ 体裁分类 ] 工作报告'",
        "d061_binjiangjiedao_2023": "got '您当前所在的位置: 首页 > 政务公开 > 重点领域信息公开 > 法治政府建设 > 年度报告 > 街'",
        "d065_henan_2023": "got '标 题 河南省人民政府关于2023年度法治政府建设情况的报告'",
    },
    "province": {
        "d008_guangdong_2019_trad": "got ''",
        "d032_qianhai_2023": "got ''",
    },
    "city": {
        "d032_qianhai_2023": "got ''",
    },
    "county": {
        "d032_qianhai_2023": "got ''",
    },
    "jurisdiction": {
        "d008_guangdong_2019_trad": "got ///",
        "d032_qianhai_2023": "got ///",
    },
    "year": {
        "d024_xicheng_2022": "got ''",
    },
    "published": {
        "d006_guchengjiedao_2025": "got ''",
        "d011_sichuan_2022": "got ''",
        "d021_haidian_2022": "got ''",
        "d022_haidian_2022_trad": "got ''",
        "d028_haicang_2015": "got ''",
        "d040_jilinshi_2021": "got ''",
        "d042_hainan_2022": "got ''",
        "d043_haikou_2021": "got ''",
        "d048_anhui_2021": "got ''",
        "d050_hebei_2020": "got ''",
        "d054_dazu_wjw_2025": "got ''",
        "d063_cuizhujiedao_2025_mirror": "got ''",
        "d065_henan_2023": "got ''",
        "d066_yichang_2020": "got ''",
        "d076_zhejiang_2021": "got ''",
    },
    "level1_headings": {
        "d014_yunnan_2023": "got '主要举措和成效 (一)加强党的领导,健全完善法治政府建设推进机制'",
        "d044_seni_2025": "got ''",
        "d063_cuizhujiedao_2025_mirror": "got ''",
    },
    "no_chrome_left": {
        "d006_guchengjiedao_2025": "left: 浙江/台州-2026-01-27 00:00:00",
        "d009_guangdong_2020": "left: 【打印】 【字体:",
        "d013_jiangsu_zwb_2021": "left: >政府信息公开>法定主动公开内容>文件发布>省政务办文件 ‖ 索 引 号: 14105833M/20",
        "d021_haidian_2022": "left: 日期:2023-03-31 10:00",
        "d022_haidian_2022_trad": "left: 日期:2023-03-31 10:00",
        "d028_haicang_2015": "left: 25.02.2016 10:00",
        "d029_qujing_jkq_2022": "left: 信息公开",
        "d036_shanghai_2018": "left: 专注分享国内外新闻资讯 ‖ Menu",
        "d038_luodianzhen_2020_trad": "left: 相關詞條",
        "d040_jilinshi_2021": "left: 2022-05-12 14:44",
        "d041_shenyang_2025": "left: • 高举中国特色社会主义伟大旗帜,全面贯彻习近平新时代中国特色社会主义思想,弘扬伟大建党精神,自信自",
        "d042_hainan_2022": "left: 2023-03-27 17:05 来源: 海南省人民政府网 【字体: 打印",
        "d043_haikou_2021": "left: 2022-03-29 17:13:17 来源: 海口市司法局 打印",
        "d048_anhui_2021": "left: 全国青少年普法网登录(法治政府建设情况如何?安徽省政府发布报告) ‖ 更新时间:2022-10-21",
        "d050_hebei_2020": "left: 日期: 2021-04-12 09:35:00 来源: 河北省人民政府网 ‖ 【字号: 打印本页",
        "d052_lingchuan_jyj_2025": "left: 您当前所在的位置: 首页 > 资讯中心 > 专题专栏 > 法治政府建设专栏",
        "d053_pishan_jyj_2022": "left: 皮山县人民政府 ‖ 政府信息公开 ‖ • 索引号: 010435649/2023-00025 ‖ •",
        "d054_dazu_wjw_2025": "left: 中国政府网 | 重庆市人民政府网 区政府 网站专栏 ‖ 首页 政务公开 渝快办 互动交流 ‖ 基层政",
        "d058_chongqing_2020": "left: 请点击右上角 选择浏览器打开 ‖ (欢迎您)注销",
        "d062_minzhijiedao_2025": "left: 深圳政府在线 龙华政府在线PC端 龙华政府在线英文网站 关怀版 龙华政府在线新版移动端",
        "d063_cuizhujiedao_2025_mirror": "left: 探花-探花系列官方最全实战库 ‖ 您现在的位置 主页 > 探花公开 > 法治政府建设 > 罗湖区",
        "d065_henan_2023": "left: 索 引 号 10001-01-2024-00122 失效时间 ‖ 发文机关 河南省人民政府 成文日期",
        "d066_yichang_2020": "left: 栏目:宜昌市人民政府办公室-通知公告 发布时间:2021-02-02",
        "d071_liucheng_2025": "left: 通知公告",
        "d076_zhejiang_2021": "left: • 日期:2022-03-29 14:17",
        "d077_jiashan_2022": "left: > 政务公开 > 政策文件及解读 > 其他文件 > 政府文件",
        "d079_yinchuan_2016": "left: 分享至好友和朋友圈 ‖ ×",
    },
}

ACCURACY_FLOOR: dict[str, float] = {
    "title": 0.9250,
    "kind": 1.0000,
    "province": 0.9750,
    "city": 0.9875,
    "county": 0.9875,
    "town": 1.0000,
    "jurisdiction": 0.9733,
    "department": 1.0000,
    "year": 0.9875,
    "published": 0.8125,
    "script": 1.0000,
    "level1_headings": 0.9625,
    "no_chrome_left": 0.6625,
    "no_text_lost": 1.0000,
}


def _cases():
    for row in load_rows():
        for name in FIELDS:
            reason = KNOWN_FAILURES.get(name, {}).get(row.id)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(row.id, name, marks=marks, id=f"{row.id}-{name}")


@pytest.fixture(scope="module")
def outcomes():
    return {o.row.id: o for o in judge_all()}


@pytest.mark.parametrize(("row_id", "name"), list(_cases()))
def test_field(outcomes, row_id, name):
    outcome = outcomes[row_id]
    if outcome.ok[name] is None:
        pytest.skip("the text alone does not determine the place (see the row's note)")
    assert outcome.ok[name], f"{name}: expected {outcome.row.expected.get(name, '')!r}, got {outcome.actual.get(name)!r}"


def test_known_failures_name_real_rows_and_fields():
    ids = {row.id for row in load_rows()}
    for name, rows in KNOWN_FAILURES.items():
        assert name in FIELDS
        assert set(rows) <= ids


def test_accuracy_per_field_does_not_fall(outcomes):
    table = accuracy(list(outcomes.values()))
    for name, floor in ACCURACY_FLOOR.items():
        right, judged = table[name]
        assert right / judged >= floor - 1e-9, f"{name}: {right}/{judged} below {floor:.1%}"
