"""Hand-checked topics for every level-1 and level-2 section of four seed reports.

Read as a researcher would, section by section, against the chapters of the 法治政府建设实施
纲要 (not by running the code).  Each entry is ``(level, heading fragment, topic key)``; the
fragment is a distinctive, simplified-script piece of the heading (the test folds the parsed
heading to simplified before looking for it), chosen to survive differences in how the
parser keeps or strips the number and trailing punctuation.  A fragment starting with
``text:`` identifies a heading-less block (the preamble, or seed 001's unnumbered closing
block) by the start of its text.

Judgement calls, so that a reader can disagree knowingly:

* Umbrella chapters ("一、2020年工作开展情况", "二、…主要举措和成效", "一、法治政府建设各项
  任务推进情况") are ``overview``; their children carry the specific topics.
* 政府法律顾问 sections are ``decision_making`` (the 纲要 puts the legal-adviser system under
  行政决策); but 一村（社区）一法律顾问 is a public legal service for villagers, filed with
  ``dispute_resolution``.
* 法治政府建设宣传 / 法治培训 / 学法 sections are ``legal_literacy``; 党委会、中心组 study of
  习近平法治思想 under a first-responsible-person chapter is ``leadership``.
* Seed 003 "(一)规范行政权力运行" reads like oversight but is about delegating approval powers
  (简政放权, 292 项行政职权): ``government_functions``.
* Seed 002 "(七)完善共建共治共享的社会治理新格局" mixes 普法, 司法所, 信用 and 公共法律服务;
  the 纲要 files 社会治理 under 依法全面履行政府职能: ``government_functions``.
  "(八)全区法治建设工作亮点特色" is ``other``.
* Seed 004 "(七)强化重大突发事件依法处置" stays with its parent (``law_enforcement``):
  the topic list has no emergency-response topic.
* Everything under 存在的问题/不足 is ``problems`` and under 下一步/工作打算/工作要点 is
  ``next_steps``, whatever the item talks about.
* The preamble before the first numbered chapter is ``overview``.
* Seed 001 has no numbered chapters for problems and next year: an unnumbered block opens with
  the problems ("……但仍存在一些薄弱环节和问题，主要是：……") and ends with a lead-in
  ("2020年……我们将重点做好以下五方面工作：") introducing (一)…(六).  The block is
  ``problems`` (its own text is the problem statement); (一)…(六) are ``next_steps``.
"""

EXPECTED_TOPICS: dict[str, list[tuple[int, str, str]]] = {
    "000_1f37298efae2cdd4.txt": [
        (1, "text:2020年,区人民政府认真贯彻落实", "overview"),
        (1, "2020年工作开展情况", "overview"),
        (2, "夯实法治政府建设基础", "leadership"),
        (2, "依法全面履行政府职能", "government_functions"),
        (2, "完善依法行政制度体系", "institutional_system"),
        (2, "推进行政决策科学化、民主化、法治化", "decision_making"),
        (2, "坚持严格公正文明执法", "law_enforcement"),
        (2, "强化对行政权力的制约和监督", "oversight"),
        (2, "依法有效化解社会矛盾", "dispute_resolution"),
        (2, "全面提高政府工作人员法治思维和依法行政能力", "legal_literacy"),
        (1, "存在的问题", "problems"),
        (1, "2020年工作要点", "next_steps"),
        (2, "加快法治政府建设进程", "next_steps"),
        (2, "加快推动政府职能转变", "next_steps"),
        (2, "加快提高行政决策水平", "next_steps"),
        (2, "着力提升行政执法效能", "next_steps"),
        (2, "依法有效化解矛盾纠纷", "next_steps"),
    ],
    "001_976e8a09f65312dd.txt": [
        (1, "text:2019年,在市政府的正确领导下", "overview"),
        (1, "切实履行“第一责任人”职责", "leadership"),
        (2, "加强对法治政府建设的组织领导", "leadership"),
        (2, "加大对政府工作人员的法治培训力度", "legal_literacy"),
        (2, "强化对法治政府建设的宣传工作", "legal_literacy"),
        (2, "优化政府法律顾问管理制度", "decision_making"),
        (1, "围绕改革事项,依法全面履行政府职能", "government_functions"),
        (2, "大力推进“放管服”改革", "government_functions"),
        (2, "持续优化园区营商环境", "government_functions"),
        (2, "深入推进社会信用体系建设", "government_functions"),
        (2, "完善应急体系、落实安全生产责任", "government_functions"),
        (1, "提升规范性文件管理水平", "institutional_system"),
        (2, "依法开展规范性文件合法性审查工作", "institutional_system"),
        (2, "落实规范性文件制定主体清单编制工作", "institutional_system"),
        (2, "扎实开展规范性文件备案和清理工作", "institutional_system"),
        (2, "认真完成法律法规等草案征求意见工作", "institutional_system"),
        (1, "提高决策质量,加强重大行政决策规范化建设", "decision_making"),
        (2, "细化重大行政决策程序操作规则", "decision_making"),
        (2, "落实重大行政决策工作各项要求", "decision_making"),
        (2, "继续做好重大行政决策规范管理试点工作", "decision_making"),
        (1, "强化执法监督,协助执法机关提升执法水平", "law_enforcement"),
        (2, "进一步贯彻落实行政执法“三项制度”", "law_enforcement"),
        (2, "积极开展行政执法主体资格审核确认工作", "law_enforcement"),
        (2, "认真完成行政执法证件申领和换证工作", "law_enforcement"),
        (2, "组织开展行政执法案卷评查", "law_enforcement"),
        (1, "突出监督机制,规范行政权力的行使", "oversight"),
        (2, "加强政府守信践诺机制建设", "oversight"),
        (2, "加强对公务人员的诚信管理", "oversight"),
        (2, "持续推进政务公开工作", "oversight"),
        (2, "完善新闻发言人制度、突发事件信息发布制度", "oversight"),
        (1, "积极化解矛盾,推进法治政府建设获得感", "dispute_resolution"),
        (2, "稳妥做好行政复议工作", "dispute_resolution"),
        (2, "积极做好行政应诉工作", "dispute_resolution"),
        (2, "建立健全行政调解工作机制", "dispute_resolution"),
        (1, "text:2019年园区法治政府建设工作虽取得一定成效", "problems"),
        # After the unnumbered lead-in "我们将重点做好以下五方面工作：".
        (2, "继续加强统筹部署", "next_steps"),
        (2, "切实增强依法行政能力建设", "next_steps"),
        (2, "进一步做好规范性文件审核工作", "next_steps"),
        (2, "持续深化“放管服”改革", "next_steps"),
        (2, "重点规范行政执法行为", "next_steps"),
        (2, "加强行政复议应诉工作", "next_steps"),
    ],
    "002_db13024be30b49cc.txt": [
        (1, "text:2023年,在市委、市政府的坚强领导下", "overview"),
        (1, "党政主要负责人履行推进法治建设第一责任人职责有关情况", "leadership"),
        (2, "强化法治理论学习", "leadership"),
        (2, "坚持党的全面领导", "leadership"),
        (2, "发挥督考一体作用", "leadership"),
        (2, "健全完善体制机制", "leadership"),
        (2, "聚焦年度重点工作", "leadership"),
        (2, "开展省级示范创建", "leadership"),
        (2, "开展调研成果展示", "leadership"),
        (1, "推进法治政府建设的主要举措和成效", "overview"),
        (2, "为全区中心工作提供法治保障", "government_functions"),
        (2, "深入推进政府职能转变和优化", "government_functions"),
        (2, "依法行政制度供给提质增效", "institutional_system"),
        (2, "推进严格规范公正文明执法", "law_enforcement"),
        (2, "加强行政权力制约监督", "oversight"),
        (2, "深化矛盾纠纷多元化解工作", "dispute_resolution"),
        (2, "完善共建共治共享的社会治理新格局", "government_functions"),
        (2, "全区法治建设工作亮点特色", "other"),
        (1, "推进法治政府建设存在的不足和原因", "problems"),
        (2, "法治建设工作存在一定程度的不均衡", "problems"),
        (2, "执法人员业务水平需进一步提高", "problems"),
        (2, "综合执法体制改革以来遗留的体制机制问题", "problems"),
        (2, "基层法治建设各项制度体系正在完善", "problems"),
        (1, "2024年度推进法治政府建设的工作打算", "next_steps"),
        (2, "加强党对全面依法治区工作的领导", "next_steps"),
        (2, "完善全面依法治区机构体制", "next_steps"),
        (2, "推动法治专门队伍开展专题培训", "next_steps"),
        (2, "加强全面依法治区暨法治建设落实情况督察检查", "next_steps"),
        (2, "加大典型案例的挖掘和宣传力度", "next_steps"),
        (1, "意见、建议及其他需要报告的情况", "other"),
    ],
    "003_d49c6ffd453cbdca.txt": [
        (1, "text:示范区党工委、管委会深入学习贯彻", "overview"),
        (1, "法治政府建设各项任务推进情况", "overview"),
        (2, "规范行政权力运行", "government_functions"),
        (2, "健全重大行政决策机制", "decision_making"),
        (2, "积极推进政府法律顾问制度", "decision_making"),
        (2, "深入推进服务型行政执法建设", "law_enforcement"),
        (2, "全面落实行政执法责任制", "law_enforcement"),
        (2, "严格规范性文件管理情况", "institutional_system"),
        (2, "落实行政应诉规定", "dispute_resolution"),
        (2, "提升政府工作人员依法行政能力", "legal_literacy"),
        (2, "建立健全法治政府建设落实机制", "leadership"),
        (2, "宣传法治政府建设情况", "legal_literacy"),
    ],
    "004_d6eaf61c1023c0d0.txt": [
        (1, "text:2021年,我镇在市委、市政府的正确领导下", "overview"),
        (1, "学习贯彻习近平法治思想、中央依法治国工作会议精神", "leadership"),
        (2, "及时召开党委会学习贯彻落实习近平法治思想", "leadership"),
        (2, "严格学习贯彻落实“一规划两纲要”", "leadership"),
        (2, "学习宣传本年度新施行、新修订法律法规情况", "legal_literacy"),
        (1, "依法全面履行政府职能", "government_functions"),
        (2, "做好疫情防控相关行政管理措施和政策性文件的制定工作", "government_functions"),
        (2, "全面推行清单管理制度", "government_functions"),
        (2, "深入推进“放管服”改革", "government_functions"),
        (2, "创新监管方式", "government_functions"),
        (2, "提高政府服务效能", "government_functions"),
        (2, "全面推进数字政府建设", "government_functions"),
        (2, "持续优化法治化营商环境", "government_functions"),
        (1, "健全依法行政制度体系", "institutional_system"),
        (2, "配合政府立法调研工作", "institutional_system"),
        (2, "加强行政规范性文件制定和监督管理", "institutional_system"),
        (2, "健全动态清理工作机制", "institutional_system"),
        (2, "严格落实重大行政决策程序", "decision_making"),
        (1, "坚持严格规范公正文明执法", "law_enforcement"),
        (2, "深化行政执法体制改革", "law_enforcement"),
        (2, "加大重点领域执法力度", "law_enforcement"),
        (2, "推动扫黑除恶常态化", "law_enforcement"),
        (2, "提高行政执法规范化水平", "law_enforcement"),
        (2, "加强对行政执法制约和监督", "law_enforcement"),
        (2, "创新行政执法方式", "law_enforcement"),
        (2, "强化重大突发事件依法处置", "law_enforcement"),
        (1, "加强社会矛盾纠纷行政预防调处化解", "dispute_resolution"),
        (2, "健全依法有效化解矛盾纠纷机制", "dispute_resolution"),
        (2, "加强一村(社区)一法律顾问工作", "dispute_resolution"),
        (2, "发挥行政复议化解行政争议主渠道作用", "dispute_resolution"),
        (2, "有序推进行政裁决工作", "dispute_resolution"),
        (2, "加强和规范行政应诉工作", "dispute_resolution"),
        (1, "增强对行政权力的制约和监督", "oversight"),
        (1, "加强法治政府建设的组织领导", "leadership"),
        (2, "加强党对法治政府建设的领导", "leadership"),
        (2, "配合完善法治政府建设推进机制", "leadership"),
        (2, "全面加强依法行政意识和能力建设", "legal_literacy"),
        (1, "法治建设工作存在的不足", "problems"),
        (2, "综合执法体制改革工作经验亮点不足", "problems"),
        (2, "多元矛盾纠纷化解机制建设不足", "problems"),
        (2, "行政审批效能需要进一步提升", "problems"),
        (1, "下一步工作计划", "next_steps"),
        (2, "进一步加强党政主要负责人对法治建设工作的领导", "next_steps"),
        (2, "健全公众参与、专家论证和政府集体讨论决定相结合的民主科学决策机制", "next_steps"),
        (2, "健全行政监督机制,严格规范公正文明执法", "next_steps"),
        (2, "畅通权利救济渠道,依法防范和化解社会矛盾", "next_steps"),
        (2, "健全法律咨询服务工作机制和保障机制", "next_steps"),
        (2, "压实事先法律论证责任", "next_steps"),
    ],
}
