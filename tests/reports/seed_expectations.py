"""Hand-checked expectations for the five seed reports in fixtures/seeds/.

Every number here was counted by reading the files, not copied from parser output:
level counts include the preamble (level 1, path "0") and unnumbered closing/container
sections; "chrome" lists the exact page-chrome strings present in each raw file, none of
which may survive in a section's heading or text.
"""

SEEDS = {
    # Simplified, one line per paragraph, no chrome. 一、/（一）/1. three levels.
    "000_1f37298efae2cdd4.txt": {
        "title": "2020年法治政府建设工作报告",
        "levels": {1: 4, 2: 13, 3: 27},
        "level1_headings": ["", "2020年工作开展情况", "存在的问题", "2020年工作要点"],
        "chrome": [],
        "page_meta": {},
    },
    # Traditional script; list prefix "03.05 " on the title, the title repeated split over two
    # lines after the issuer; closing paragraphs + (一)…(六) after 七; tail 分享到/相關文章.
    "001_976e8a09f65312dd.txt": {
        "title": "蘇州工業園區管理委員會關於2019年法治政府建設工作情況的報告",
        "levels": {1: 9, 2: 32},
        "level1_headings": [
            "",
            "切實履行“第一責任人”職責,統籌推進法治政府建設",
            "圍繞改革事項,依法全面履行政府職能",
            "提升規範性文件管理水平,夯實依法行政的制度基礎",
            "提高決策質量,加強重大行政決策規範化建設",
            "強化執法監督,協助執法機關提升執法水平",
            "突出監督機制,規範行政權力的行使",
            "積極化解矛盾,推進法治政府建設獲得感",
            "",
        ],
        "chrome": ["分享到", "相關文章", "03.05"],
        "page_meta": {},
    },
    # No title line; "1." directly below 一、 in part 一 and below （一） in part 二;
    # 五、 holds 一是/二是/三是 paragraphs only. Tail: 扫一扫在手机打开当前页面.
    "002_db13024be30b49cc.txt": {
        "title": None,
        "levels": {1: 6, 2: 24, 3: 22},
        "level1_headings": [
            "",
            "2023年度党政主要负责人履行推进法治建设第一责任人职责有关情况",
            "2023年度推进法治政府建设的主要举措和成效",
            "2023年度推进法治政府建设存在的不足和原因",
            "2024年度推进法治政府建设的工作打算",
            "意见、建议及其他需要报告的情况",
        ],
        "chrome": ["扫一扫在手机打开当前页面"],
        "page_meta": {},
    },
    # Broken "五)" between (四) and (六); truncated mid-word at the end ("《河南省行政执法条例").
    # (七)/(八)/(九) each occur once: the file has no repeated block.
    "003_d49c6ffd453cbdca.txt": {
        "title": "平顶山市城乡一体化示范区 落实法治政府建设各项任务情况的报告",
        "levels": {1: 2, 2: 10},
        "level1_headings": ["", "法治政府建设各项任务推进情况"],
        "chrome": [],
        "page_meta": {},
    },
    # Navigation + metadata chrome at the top, ideographic-space indentation, inline
    # "主要举措有：1.…2.…" enumerations inside (五) and (七).
    "004_d6eaf61c1023c0d0.txt": {
        "title": "港口镇2021年法治政府建设年度报告",
        "levels": {1: 10, 2: 38},
        "level1_headings": [
            "",
            "学习贯彻习近平法治思想、中央依法治国工作会议精神等重要法治建设指导思想文件的情况",
            "依法全面履行政府职能",
            "健全依法行政制度体系",
            "坚持严格规范公正文明执法",
            "加强社会矛盾纠纷行政预防调处化解",
            "增强对行政权力的制约和监督",
            "加强法治政府建设的组织领导",
            "法治建设工作存在的不足",
            "下一步工作计划",
        ],
        "chrome": ["无障碍版", "长者助手", "登录", "您当前的位置", "信息来源", "发布日期", "分享:"],
        "page_meta": {"source": "本网", "published": "2022-02-14"},
    },
}
