"""The demo's fixed tables: accounts, counties, the case stories and name parts."""

import datetime
from dataclasses import dataclass

from records.models import (
    BasisType,
    PractitionerKind,
    Sector,
)
from records.roles import Role

DEMO_PASSWORD = "demo-pass-2026"
SEED = 20260301
DEMO_PREFIX = "demo-"
# The interested party of the credit-archive demo: a public account with a verified e-mail,
# no bureau and no staff status (it signs in at /accounts/login/, never in the admin).
DEMO_PARTY = "demo-party"
DEMO_PARTY_NAME = "潘晓"
# The county whose archived records the demo archive reviewer (demo-archive) decides on.
DEMO_ARCHIVE_COUNTY = "330106"
FEATURED_AGENCY = "杭州西湖国际旅行社有限公司"
FEATURED_LICENCE = "L-ZJ-CJ00001"

DAY = datetime.timedelta(days=1)


class DemoBureausMissing(Exception):
    """The bureaus the demo files in are not loaded."""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    bureau_code: str
    last_name: str
    first_name: str


# The accounts printed for people to log in with; a second filer/reviewer pair in Beijing and
# in Yunnan lets one try what another county may and may not see.
DEMO_ACCOUNTS = (
    DemoAccount("demo-filer", Role.FILER, "330106", "方", "芳"),
    DemoAccount("demo-reviewer", Role.REVIEWER, "330106", "芮", "明"),
    DemoAccount("demo-supervisor", Role.SUPERVISOR, "330100", "苏", "建华"),
    DemoAccount("demo-licensing", Role.LICENSING_OFFICER, "330106", "李", "静"),
    DemoAccount("demo-archive", Role.ARCHIVE_REVIEWER, "330106", "岳", "文"),
    DemoAccount("demo-bureau-admin", Role.BUREAU_ADMIN, "330106", "白", "涛"),
    DemoAccount("demo-national-admin", Role.NATIONAL_ADMIN, "000000", "钟", "国强"),
    DemoAccount("demo-filer-beijing", Role.FILER, "110101", "魏", "娜"),
    DemoAccount("demo-reviewer-beijing", Role.REVIEWER, "110101", "金", "磊"),
    DemoAccount("demo-filer-yunnan", Role.FILER, "530702", "和", "丽娟"),
    DemoAccount("demo-reviewer-yunnan", Role.REVIEWER, "530702", "杨", "光"),
)


@dataclass(frozen=True)
class County:
    code: str
    province: str
    place: str  # how documents name the county: 杭州市西湖区, 义乌市
    short: str  # the city as company names begin: 杭州, 西双版纳
    prefix: str  # the issuing-body abbreviation in document numbers: 杭西
    bureau_name: str
    police: str
    police_prefix: str
    court_code: str  # as in (2025)浙0106民初1234号
    licence_prefix: str
    guide_prefix: str
    streets: tuple[str, ...]
    weight: int
    surnames: str = ""  # local surnames, added to the common ones

    @property
    def address_prefix(self) -> str:
        return self.place if self.place.startswith(self.province) else self.province + self.place


# fmt: off
COUNTIES = (
    County("330106", "浙江省", "杭州市西湖区", "杭州", "杭西", "杭州市西湖区文化和广电旅游体育局",
           "杭州市公安局西湖区分局", "杭公西", "浙0106", "L-ZJ", "D-3301",
           ("文三路", "天目山路", "北山街", "龙井路", "曙光路", "西溪路", "杨公堤"), 6),
    County("330102", "浙江省", "杭州市上城区", "杭州", "杭上", "杭州市上城区文化和广电旅游体育局",
           "杭州市公安局上城区分局", "杭公上", "浙0102", "L-ZJ", "D-3301",
           ("河坊街", "南山路", "延安路", "解放路", "清泰街", "中山中路"), 3),
    County("330782", "浙江省", "义乌市", "义乌", "义", "义乌市文化和广电旅游体育局",
           "义乌市公安局", "义公", "浙0782", "L-ZJ", "D-3307",
           ("稠州北路", "篁园路", "宾王路", "工人北路", "福田路"), 2),
    County("110101", "北京市", "北京市东城区", "北京", "京东", "北京市东城区文化和旅游局",
           "北京市公安局东城分局", "京公东", "京0101", "L-BJ", "D-1101",
           ("王府井大街", "东直门内大街", "前门大街", "东四北大街", "崇文门外大街"), 4),
    County("110105", "北京市", "北京市朝阳区", "北京", "京朝", "北京市朝阳区文化和旅游局",
           "北京市公安局朝阳分局", "京公朝", "京0105", "L-BJ", "D-1101",
           ("建国路", "朝阳北路", "三里屯路", "东三环中路", "亮马桥路"), 2),
    County("530702", "云南省", "丽江市古城区", "丽江", "丽古", "丽江市古城区文化和旅游局",
           "丽江市公安局古城分局", "丽公古", "云0702", "L-YN", "D-5307",
           ("七一街", "五一街", "新义街", "福慧路", "香格里大道"), 4, "和木"),
    County("530102", "云南省", "昆明市五华区", "昆明", "昆五", "昆明市五华区文化和旅游局",
           "昆明市公安局五华分局", "昆公五", "云0102", "L-YN", "D-5301",
           ("东风西路", "正义路", "青年路", "翠湖南路", "人民中路"), 2),
    County("532801", "云南省", "景洪市", "西双版纳", "景", "景洪市文化和旅游局",
           "景洪市公安局", "景公", "云2801", "L-YN", "D-5328",
           ("宣慰大道", "勐泐大道", "嘎兰中路", "曼听路"), 2, "刀岩玉"),
)
# fmt: on
COUNTY = {county.code: county for county in COUNTIES}
# Drafts, submissions and returns sit where the printed filers and reviewers work.
DESK_COUNTIES = ("330106", "110101", "530702")

# Who issues each kind of basis document, and what kind it is.
ISSUER_BASIS = {
    "bureau": BasisType.PENALTY_DECISION,
    "market": BasisType.PENALTY_DECISION,
    "transport": BasisType.PENALTY_DECISION,
    "police": BasisType.PENALTY_DECISION,
    "government": BasisType.ACCIDENT_REPORT,
    "court_civil": BasisType.CIVIL_JUDGMENT,
    "court_enforce": BasisType.ENFORCEMENT_RULING,
    "court_criminal": BasisType.CRIMINAL_JUDGMENT,
    "complaint": BasisType.COMPLAINT_RESULT,
}


@dataclass(frozen=True)
class Story:
    """One kind of case. `subject` is a sector (an operator) or a practitioner kind."""

    ground: str
    subject: str
    cause: str
    issuer: str
    penalty: str = ""
    complaint: str = ""
    fine: tuple[int, int] = (30, 300)  # thousands of yuan
    weight: int = 2
    period_years: int = 0  # 0: the default period
    period_legal_basis: str = ""
    employed: bool = True  # a practitioner works for an operator

    @property
    def is_operator(self) -> bool:
        return self.subject in Sector.values


S = Sector
K = PractitionerKind
LVYOUFA = "依据《中华人民共和国旅游法》"
# fmt: off
STORIES = (
    Story("G1", S.TRAVEL_AGENCY, "以不合理低价组织旅游活动，在行程中安排游客进入指定购物场所，"
          "以拖延行程方式变相强迫游客购物。", "bureau",
          LVYOUFA + "第九十八条，责令改正，没收违法所得人民币{gain}元，并处罚款人民币{fine}元。",
          "经调解，旅行社退还游客购物款及团费差价共计人民币{refund}元，并书面赔礼道歉。", weight=5),
    Story("G1", S.TRAVEL_AGENCY, "未经游客同意擅自变更旅游行程，减少合同约定的游览景点两处，"
          "并降低住宿标准。", "bureau",
          LVYOUFA + "第一百条，责令改正，处罚款人民币{fine}元。",
          "旅行社按合同约定退还未游览景点门票费用及住宿差价人民币{refund}元。", weight=4),
    Story("G1", S.SHOPPING, "向团队游客销售以次充好的玉石饰品，夸大宣传诱导高价购买，并拒绝"
          "游客退货。", "market",
          "依据《中华人民共和国消费者权益保护法》第五十六条，责令改正，没收违法所得人民币{gain}元，"
          "并处罚款人民币{fine}元。", "商户为游客办理退货，退还货款人民币{refund}元。", (50, 250)),
    Story("G1", S.ACCOMMODATION, "以虚假房型图片招徕游客预订，实际提供的客房与宣传严重不符，"
          "且拒不退还预付房费。", "market",
          "依据《中华人民共和国消费者权益保护法》第五十六条，责令改正，处罚款人民币{fine}元。",
          "退还游客预付房费人民币{refund}元。", (10, 100)),
    Story("G1", S.TRANSPORT, "旅游包车途中以油价上涨为由向游客加收车费，对拒绝支付的游客拒载"
          "并将其滞留路边。", "transport",
          "依据《中华人民共和国道路运输条例》有关规定，责令改正，处罚款人民币{fine}元。", "",
          (5, 30)),
    Story("G1", S.CATERING, "向旅游团提供的团餐严重缩水，菜品数量与约定不符并以次充好。",
          "market", "依据《中华人民共和国消费者权益保护法》第五十六条，责令改正，"
          "处罚款人民币{fine}元。", "餐厅退还游客餐费差价并赔偿人民币{refund}元。", (10, 60)),
    Story("G1", S.ENTERTAINMENT, "演艺场所向团队游客强行推销高价“贵宾座”套票，未明码标价。",
          "market", "依据《价格违法行为行政处罚规定》第十三条，责令改正，没收违法所得人民币"
          "{gain}元，处罚款人民币{fine}元。", "", (1, 5)),
    Story("G1", K.GUIDE, "带团期间以“不购物不准离开”为由强迫游客购物，并向游客索取小费。",
          "bureau", LVYOUFA + "第九十八条，没收违法所得人民币{gain}元，处罚款人民币{fine}元，"
          "暂扣导游证三个月。", "退还游客被迫购物款项人民币{refund}元。", (2, 20), 5),
    Story("G1", K.GUIDE, "擅自变更接待计划，中止导游活动，将游客滞留在景区停车场四小时。",
          "bureau", LVYOUFA + "第一百条，处罚款人民币{fine}元，暂扣导游证一个月。", "",
          (2, 20)),
    Story("G1", K.TOUR_LEADER, "出境带团期间擅自增加另行付费旅游项目，未经游客同意向游客收取"
          "额外费用。", "bureau", LVYOUFA + "第九十八条，没收违法所得人民币{gain}元，"
          "处罚款人民币{fine}元。", "", (2, 20)),
    Story("G2", S.SCENIC_AREA, "节假日超过最大承载量接待游客，未及时采取限流疏导措施，观景平台"
          "发生踩踏事故，造成游客3人重伤、11人轻伤。", "government",
          "事故调查报告认定景区经营单位负主要责任；依据《中华人民共和国安全生产法》第一百一十四条，"
          "处罚款人民币{fine}元，责令停业整顿十五日。", "", (200, 1000), 1),
    Story("G2", S.TRANSPORT, "旅游包车驾驶员连续驾驶超过四小时未休息，车辆在山区路段侧翻，"
          "造成2名游客死亡、9人受伤，公司安全管理缺失，负主要责任。", "government",
          "依据《中华人民共和国安全生产法》第一百一十四条，处罚款人民币{fine}元，"
          "吊销道路旅客运输经营许可证。", "", (300, 1000), 1),
    Story("G2", S.ENTERTAINMENT, "游乐设施未经定期检验即投入运营，运行中安全压杠失效，"
          "致两名游客坠落受伤。", "government",
          "依据《中华人民共和国特种设备安全法》第八十四条，责令停止使用，处罚款人民币{fine}元。",
          "", (30, 300), 1),
    Story("G2", S.ACCOMMODATION, "酒店疏散通道被杂物堵塞，客房发生火灾时游客疏散受阻，"
          "造成1人死亡、4人受伤。", "government",
          "依据《中华人民共和国安全生产法》第一百一十四条，处罚款人民币{fine}元。", "",
          (300, 1000), 1),
    Story("G2", S.CATERING, "接待旅游团时提供变质食品，导致42名游客集体食物中毒，经调查认定为"
          "经营者主要责任。", "government",
          "依据《中华人民共和国食品安全法》第一百二十四条，没收违法所得，处罚款人民币{fine}元，"
          "吊销食品经营许可证。", "", (100, 500), 1),
    Story("G3", S.TRAVEL_AGENCY, "因旅游合同纠纷，经人民法院判决承担全部违约责任。",
          "court_civil", "判决退还游客团费人民币{refund}元，并赔偿损失人民币{comp}元。"),
    Story("G3", S.TRAVEL_AGENCY, "拒不履行生效民事判决确定的退还游客团费义务，经强制执行仍未"
          "履行，被纳入失信被执行人名单。", "court_enforce",
          "依法纳入失信被执行人名单，执行标的人民币{refund}元。", weight=1, period_years=3,
          period_legal_basis="《最高人民法院关于公布失信被执行人名单信息的若干规定》第二条"),
    Story("G3", S.ACCOMMODATION, "游客在酒店泳池因防护设施缺失受伤，人民法院判决酒店承担主要"
          "赔偿责任。", "court_civil", "判决赔偿游客医疗费、误工费等共计人民币{comp}元。"),
    Story("G3", S.SCENIC_AREA, "景区栈道护栏年久失修，游客倚靠时护栏断裂坠落受伤，人民法院判决"
          "景区承担全部赔偿责任。", "court_civil", "判决赔偿游客各项损失共计人民币{comp}元。"),
    Story("G3", K.GUIDE, "导游带团期间擅自离团，致游客行李财物丢失，人民法院判决其承担主要赔偿"
          "责任。", "court_civil", "判决赔偿游客财产损失人民币{comp}元。"),
    Story("G4", K.PRINCIPAL, "作为旅行社实际负责人，以低价出境游名义收取游客团费后卷款逃匿，"
          "犯合同诈骗罪。", "court_criminal",
          "判处有期徒刑三年六个月，并处罚金人民币{fine}元，责令退赔游客经济损失。", "",
          (20, 100), 1),
    Story("G4", K.GUIDE, "带团期间因游客拒绝购物，纠集他人殴打游客致一人轻伤，犯故意伤害罪。",
          "court_criminal", "判处有期徒刑一年，赔偿被害人经济损失人民币{comp}元。", weight=1),
    Story("G4", K.OTHER, "在旅游购物店内以“专家鉴定”名义向游客高价销售假冒玉石，犯诈骗罪。",
          "court_criminal", "判处有期徒刑二年，并处罚金人民币{fine}元。", "", (10, 50), 1),
    Story("G5", K.GUIDE, "带团乘坐高铁期间霸占他人座位，拒不听从乘务人员劝阻并辱骂乘务员，"
          "扰乱公共交通工具秩序。", "police",
          "依据《中华人民共和国治安管理处罚法》第二十三条，处行政拘留五日。"),
    Story("G5", K.TOUR_LEADER, "带团乘坐航班期间煽动游客以拒绝下机方式“霸机”，扰乱航空器上的"
          "秩序。", "police", "依据《中华人民共和国治安管理处罚法》第二十三条，处行政拘留七日，"
          "并处罚款人民币五百元。", weight=1),
    Story("G5", K.GUIDE, "带团游览期间在古城墙砖体上刻划留言，损坏国家保护的文物。", "police",
          "依据《中华人民共和国治安管理处罚法》第六十三条，处罚款人民币二百元。"),
    Story("G5", K.GUIDE, "带团参观少数民族村寨期间不顾劝阻进入禁忌场所，冒犯当地风俗并引发"
          "群众冲突。", "bureau", "依据《导游人员管理条例》有关规定，责令改正，处罚款人民币"
          "{fine}元，暂扣导游证一个月。", "", (1, 5), 1),
    Story("G6", K.GUIDE, "带团期间辱骂游客“不购物就别想走”，相关视频在网络广泛传播，"
          "造成严重社会不良影响。", "bureau", LVYOUFA + "第九十八条，吊销导游证，"
          "处罚款人民币{fine}元。", "旅行社向涉事游客退还全部团费并公开道歉。", (5, 20), 4),
    Story("G6", S.TRAVEL_AGENCY, "以“零负团费”招揽游客，行程中将游客滞留购物店长达五小时，"
          "事件经媒体报道引发社会广泛关注。", "bureau", LVYOUFA + "第九十八条，责令停业整顿"
          "一个月，没收违法所得人民币{gain}元，并处罚款人民币{fine}元。",
          "退还游客团费并赔偿人民币{refund}元。", (100, 300)),
    Story("G6", S.CATERING, "向游客销售海鲜时按“只”报价、按“斤”结账，收取远超合理价格的费用，"
          "事件经网络传播造成恶劣社会影响。", "market",
          "依据《中华人民共和国价格法》第四十条，处罚款人民币{fine}元，吊销营业执照。",
          "退还游客多收款项人民币{refund}元。", (50, 200)),
    Story("G6", S.SCENIC_AREA, "游客量达到最大承载量时未及时公告，也未采取疏导分流措施，数千名"
          "游客滞留山顶，引发网络舆情。", "bureau",
          LVYOUFA + "第一百零五条，责令改正，责令停业整顿一个月。", weight=1),
    Story("G6", S.ACCOMMODATION, "旺季临时大幅涨价，强行要求已预订游客补交差价，否则取消订单，"
          "引发大量投诉和网络舆情。", "complaint", "",
          "经旅游投诉调解，客栈按原预订价格履行合同，并向游客赔偿人民币{refund}元。"),
    Story("G7", S.TRAVEL_AGENCY, "承接团队旅游业务未与游客签订书面旅游合同，且未按规定投保"
          "旅行社责任保险。", "bureau",
          "依据《旅行社条例》第五十五条，责令改正，处罚款人民币{fine}元。", "", (20, 100), 4),
    Story("G7", S.TRAVEL_AGENCY, "未取得出境旅游业务经营许可，擅自招徕、组织游客赴境外旅游。",
          "bureau", LVYOUFA + "第九十五条，责令改正，没收违法所得人民币{gain}元，"
          "并处罚款人民币{fine}元。", "", (10, 100)),
    Story("G7", S.TRAVEL_AGENCY, "安排未取得导游证的人员提供导游服务，并要求导游垫付接待费用。",
          "bureau", LVYOUFA + "第九十六条，责令改正，没收违法所得，处罚款人民币{fine}元。",
          "", (5, 50)),
    Story("G7", S.SHOPPING, "旅游购物店向导游、旅行社支付“人头费”和购物回扣，诱导团队游客"
          "消费。", "market", "依据《中华人民共和国反不正当竞争法》有关规定，没收违法所得人民币"
          "{gain}元，处罚款人民币{fine}元。", "", (100, 500)),
    Story("G7", S.SCENIC_AREA, "景区门票价格调整未按规定公示，对持优惠证件游客拒不执行优惠票价。",
          "market", "依据《价格违法行为行政处罚规定》第七条，责令改正，处罚款人民币{fine}元。",
          "退还游客多收票款。", (5, 50), 1),
    Story("G7", K.GUIDE, "未佩戴导游身份标识、未携带电子行程单从事导游活动，经责令改正拒不改正。",
          "bureau", "依据《导游人员管理条例》第二十一条，处罚款人民币五百元。"),
    Story("G7", K.OTHER, "未取得导游证，以“地接向导”名义私自招揽游客并提供有偿讲解服务。",
          "bureau", LVYOUFA + "第一百零二条，责令改正，没收违法所得人民币{gain}元，"
          "处罚款人民币{fine}元。", "", (1, 10), employed=False),
)
FEATURED_STORY = STORIES[0]

# How many records of each outcome; with the two featured records, 200 in all.
OUTCOMES = {
    "published": 90, "late": 14, "scheduled": 8, "ended": 12, "archived": 20, "withdrawn": 8,
    "corrected": 4, "submitted": 16, "returned": 8, "draft": 18,
}
PENDING_OUTCOMES = ("draft", "submitted", "returned")

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许"
    "傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉萍红鹏飞辉"
    "建国文斌宇浩凯婷雪琳晨阳欣怡佳俊峰波宁丹志海燕"
)
BRANDS = (
    "山水", "湖光", "锦程", "悦途", "金桥", "云游", "青禾", "远方", "嘉途", "乐途", "和风", "雅居",
    "福瑞", "鸿运", "天行", "星辰", "恒达", "瑞丰", "海纳", "安途", "逸程", "晨曦", "翠屏", "彩云",
    "银杏", "途乐", "拾光", "知行", "清风", "望山", "揽月", "长风", "驿路", "悠然", "九州", "四海",
    "博远", "聚友", "欣程", "佳和", "宏图", "竹影", "松涛", "明珠", "百川", "古道", "新程", "蓝天",
)
COMPANY_FORMS = {
    S.TRAVEL_AGENCY: ("国际旅行社有限公司", "旅行社有限公司", "旅游有限公司"),
    S.SCENIC_AREA: ("景区管理有限公司", "旅游开发有限公司", "文化旅游发展有限公司"),
    S.TRANSPORT: ("旅游客运有限公司", "汽车租赁有限公司", "游船有限公司"),
    S.ACCOMMODATION: ("酒店管理有限公司", "大酒店有限公司", "客栈"),
    S.CATERING: ("餐饮管理有限公司", "酒家有限公司", "海鲜大排档"),
    S.SHOPPING: ("珠宝玉石有限公司", "茶业有限公司", "工艺品有限公司", "土特产商行"),
    S.ENTERTAINMENT: ("演艺有限公司", "文化娱乐有限公司", "游乐园有限公司"),
}
# Practitioners work for an operator of this sector.
EMPLOYER_SECTOR = {K.GUIDE: S.TRAVEL_AGENCY, K.TOUR_LEADER: S.TRAVEL_AGENCY,
                   K.PRINCIPAL: S.TRAVEL_AGENCY, K.OTHER: S.SHOPPING}
RETURN_COMMENTS = (
    "处罚决定书文号与上传的附件不一致，请核对后重新提交。",
    "事由描述过于简略，请补充违法事实发生的时间、地点和涉及游客人数。",
    "请上传行政处罚决定书扫描件。",
    "营业地址与营业执照登记地址不符，请核实。",
)
WITHDRAWAL_REASONS = (
    "当事人申请行政复议，原行政处罚决定被依法撤销。",
    "经核查，录入主体有误，与处罚决定书所列当事人不一致。",
    "人民法院二审改判，当事人不再承担主要责任。",
)
INTERNAL_NOTES = ("当事人已缴纳罚款。", "已责令整改，待复查。", "当事人上年度曾被投诉三次。",
                  "媒体已有报道，注意舆情。")
# Where practitioners were born: region codes of identity numbers.
BIRTHPLACES = ("330106", "330102", "330782", "110101", "110105", "530102", "532801", "530111",
               "330203", "330602", "510104", "430102", "360102", "420106")
# fmt: on
