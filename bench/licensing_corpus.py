"""A labelled corpus of name pairs for the licence-review matching (issue 4, point 8).

Each pair is (applicant as typed, name on the list, kind, label): `same` when both denote one
subject written differently (traditional characters, full-width spaces and brackets, another
company form, the region dropped or bracketed, stray spaces and punctuation, or an officer's
input-method slip of one character), `different` when they are two subjects with similar
names (one character of the brand changed, the same brand in another city, another brand or
another trade, a person whose name differs by one character).

The pairs are built from fixed word lists with a fixed random seed, so the corpus is the same
on every machine; `python bench/licensing_corpus.py > bench/licensing_corpus.csv` rewrites it.
"""

import csv
import random
import sys

from opencc import OpenCC

SEED = 20261127
S2T = OpenCC("s2t")

CITIES = [
    "杭州",
    "宁波",
    "温州",
    "北京",
    "上海",
    "昆明",
    "大理",
    "成都",
    "长沙",
    "南昌",
    "武汉",
    "丽江",
]
PROVINCES = {
    "杭州": "浙江省",
    "宁波": "浙江省",
    "温州": "浙江省",
    "昆明": "云南省",
    "大理": "云南省",
    "丽江": "云南省",
    "成都": "四川省",
    "长沙": "湖南省",
    "南昌": "江西省",
    "武汉": "湖北省",
    "北京": "",
    "上海": "",
}
BRANDS = [
    "西湖",
    "山水",
    "湖光",
    "锦程",
    "悦途",
    "金桥",
    "云游",
    "青禾",
    "远方",
    "嘉途",
    "和风",
    "福瑞",
    "鸿运",
    "天行",
    "星辰",
    "恒达",
    "瑞丰",
    "海纳",
    "安途",
    "逸程",
    "晨曦",
    "翠屏",
    "彩云",
    "银杏",
    "知行",
    "清风",
    "望山",
    "揽月",
    "长风",
    "驿路",
    "悠然",
    "九州",
    "四海",
    "博远",
    "聚友",
    "宏图",
    "竹影",
    "松涛",
    "明珠",
    "百川",
]
TRADES = [
    "国际旅行社",
    "旅行社",
    "旅游",
    "景区管理",
    "大酒店",
    "酒店管理",
    "旅游客运",
    "餐饮管理",
    "文化娱乐",
    "工艺品",
]
FORMS = ["有限公司", "有限责任公司", "股份有限公司", "集团有限公司"]
# Look-alike characters that an applicant's name may differ by from a listed company's.
SWAPS = {
    "山": "珊",
    "水": "木",
    "湖": "河",
    "光": "辉",
    "程": "成",
    "途": "图",
    "桥": "乔",
    "云": "芸",
    "青": "清",
    "远": "园",
    "方": "芳",
    "嘉": "佳",
    "和": "禾",
    "风": "峰",
    "福": "富",
    "瑞": "锐",
    "鸿": "宏",
    "运": "韵",
    "天": "田",
    "行": "航",
    "星": "兴",
    "辰": "晨",
    "恒": "衡",
    "达": "大",
    "丰": "峰",
    "海": "凯",
    "纳": "娜",
    "安": "岸",
    "逸": "易",
    "晨": "辰",
    "曦": "熙",
    "翠": "萃",
    "屏": "平",
    "彩": "采",
    "银": "金",
    "杏": "幸",
    "知": "智",
    "清": "青",
    "望": "旺",
    "揽": "览",
    "月": "悦",
    "长": "常",
    "驿": "亦",
    "路": "鹿",
    "悠": "优",
    "然": "燃",
    "九": "久",
    "州": "洲",
    "四": "泗",
    "博": "搏",
    "聚": "巨",
    "友": "有",
    "宏": "鸿",
    "图": "途",
    "竹": "筑",
    "影": "颖",
    "松": "嵩",
    "涛": "韬",
    "明": "鸣",
    "珠": "株",
    "百": "佰",
    "川": "船",
    "西": "溪",
    "锦": "金",
    "悦": "越",
    "金": "锦",
    "禾": "和",
    "远方": "远芳",
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉萍红鹏飞辉晓峰"
GIVEN_SWAPS = {
    "伟": "玮",
    "芳": "方",
    "娜": "纳",
    "敏": "民",
    "静": "婧",
    "丽": "莉",
    "强": "墙",
    "磊": "垒",
    "军": "君",
    "洋": "阳",
    "勇": "永",
    "艳": "燕",
    "杰": "洁",
    "娟": "鹃",
    "涛": "滔",
    "明": "铭",
    "超": "潮",
    "秀": "绣",
    "霞": "夏",
    "平": "萍",
    "刚": "钢",
    "英": "瑛",
    "华": "桦",
    "玉": "钰",
    "萍": "平",
    "红": "虹",
    "鹏": "朋",
    "飞": "菲",
    "辉": "晖",
    "晓": "小",
    "峰": "锋",
}
FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


def _company(rng: random.Random) -> tuple[str, str, str, str]:
    city, brand, trade, form = (
        rng.choice(CITIES),
        rng.choice(BRANDS),
        rng.choice(TRADES),
        rng.choice(FORMS[:2]),
    )
    return city, brand, trade, form


def _variant(rng: random.Random, city: str, brand: str, trade: str, form: str) -> str:
    """The same company written another way (one to three changes at once)."""
    changes = rng.sample(
        [
            "traditional",
            "form",
            "no_region",
            "region_city_suffix",
            "province",
            "bracket_region",
            "spaces",
            "bracket_form",
            "full_width_space",
            "no_form",
        ],
        k=rng.randint(1, 3),
    )
    region = city
    body = brand + trade
    suffix = form
    if "form" in changes:
        suffix = rng.choice([f for f in FORMS if f != form])
    if "no_form" in changes:
        suffix = ""
    if "bracket_form" in changes and suffix:
        suffix = f"（{suffix}）"
    if "region_city_suffix" in changes:
        region = city + "市"
    if "province" in changes and PROVINCES[city]:
        region = PROVINCES[city] + region
    name = region + body + suffix
    if "bracket_region" in changes:
        name = body + f"（{city}）" + suffix
    if "no_region" in changes:
        name = body + suffix
    if "spaces" in changes:
        name = " ".join([name[:2], name[2:5], name[5:]])
    if "full_width_space" in changes:
        name = name.replace(body, "\u3000" + body, 1).translate(FULL_WIDTH)
    if "traditional" in changes:
        name = S2T.convert(name)
    return name


def _lookalike(rng: random.Random, brand: str) -> str:
    for _ in range(20):
        i = rng.randrange(len(brand))
        if brand[i] in SWAPS:
            return brand[:i] + SWAPS[brand[i]][0] + brand[i + 1 :]
    return brand[::-1]


def pairs() -> list[tuple[str, str, str, str, str]]:
    """(applicant, listed, kind, label, how)"""
    rng = random.Random(SEED)
    out: list[tuple[str, str, str, str, str]] = []
    for _ in range(130):
        city, brand, trade, form = _company(rng)
        listed = city + brand + trade + form
        out.append((_variant(rng, city, brand, trade, form), listed, "operator", "same", "variant"))
    for i in range(130):
        city, brand, trade, form = _company(rng)
        listed = city + brand + trade + form
        how = ("lookalike", "other_city", "other_brand", "other_trade")[i % 4]
        if how == "lookalike":
            applicant = city + _lookalike(rng, brand) + trade + form
        elif how == "other_city":
            applicant = rng.choice([c for c in CITIES if c != city]) + brand + trade + form
        elif how == "other_brand":
            applicant = city + rng.choice([b for b in BRANDS if b != brand]) + trade + form
        else:
            applicant = city + brand + rng.choice([t for t in TRADES if t != trade]) + form
        out.append((applicant, listed, "operator", "different", how))
    for _ in range(30):
        # An officer's slip of the pinyin input method: the listed company itself, with one
        # character of its brand replaced by a homophone or look-alike.
        city, brand, trade, form = _company(rng)
        listed = city + brand + trade + form
        out.append(
            (city + _lookalike(rng, brand) + trade + form, listed, "operator", "same", "ime_typo")
        )
    for _ in range(40):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", GIVEN[rng.randrange(30)]])
        written = rng.choice([S2T.convert(name), name[0] + " " + name[1:], f" {name} "])
        out.append((written, name, "person", "same", "variant"))
    for _ in range(40):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", GIVEN[rng.randrange(30)]])
        i = rng.randrange(1, len(name))
        other = name[:i] + GIVEN_SWAPS.get(name[i], "某")[0] + name[i + 1 :]
        out.append((other, name, "person", "different", "one_character"))
    return out


# Latin brands (ABC国际旅行社) and the variant characters an applicant may type for a listed
# name's standard ones (the reverse of kernel.names.fold_variants).
LATIN_BRANDS = ["ABC", "CITS", "CYTS", "UTOUR", "HNA", "JTB", "TUI", "KLOOK", "EZTRAVEL", "GZL"]
VARIANTS = {
    "青": "靑",
    "于": "於",
    "钟": "锺",
    "清": "淸",
    "教": "敎",
    "峰": "峯",
    "真": "眞",
    "启": "啓",
    "为": "爲",
    "线": "綫",
}
VARIANT_BRANDS = ["青禾", "清风", "启航", "真诚", "峰景", "钟灵", "青年", "于山", "为民", "天线"]
GENERATED_SEED = 20261202


def generated_pairs(count: int = 600) -> list[tuple[str, str, str, str, str]]:
    """A larger corpus of the changes issue 17 names, built like pairs(): two brand characters
    swapped (上海秋春 / 上海春秋), one letter of a Latin brand changed (ABD / ABC), a variant
    character (靑 / 青), the region dropped or added, the company form dropped, added or changed,
    and two of these at once. Labelled by the change only: the test compares the database's
    levels with the matching module's, whatever the truth."""
    rng = random.Random(GENERATED_SEED)
    brands = BRANDS + VARIANT_BRANDS
    hows = ("swap", "latin", "variant", "region", "form", "two")
    out: list[tuple[str, str, str, str, str]] = []
    for i in range(count):
        how = hows[i % len(hows)]
        city, brand, trade, form = _company(rng)
        if how == "latin":
            brand = rng.choice(LATIN_BRANDS)
        elif how == "variant":
            brand = rng.choice(VARIANT_BRANDS)
        listed = city + brand + trade + form
        changes = [rng.choice(hows[:5]) for _ in range(2)] if how == "two" else [how]
        region, body, suffix = city, brand, form
        for change in changes:
            if change == "swap" and len(body) >= 2:
                j = rng.randrange(len(body) - 1)
                body = body[:j] + body[j + 1] + body[j] + body[j + 2 :]
            elif change == "latin":
                if not body.isascii():
                    body = rng.choice(LATIN_BRANDS)
                    listed = city + body + trade + form
                j = rng.randrange(len(body))
                letter = rng.choice([c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c != body[j]])
                body = body[:j] + letter + body[j + 1 :]
            elif change == "variant":
                if not any(c in VARIANTS for c in body):
                    body = rng.choice(VARIANT_BRANDS)
                    listed = city + body + trade + form
                body = "".join(VARIANTS.get(c, c) for c in body)
            elif change == "region":
                region = "" if rng.random() < 0.5 else (PROVINCES[city] or city + "市") + city
                if region.endswith(city + city):
                    region = region[: -len(city)]
            else:
                suffix = rng.choice(["", *(f for f in FORMS if f != form)])
        out.append((region + body + trade + suffix, listed, "operator", "generated", how))
    # Listed names that are the applicant's with a region or company form added, and
    # brands of other companies swapped into the same city: near names that are not the same.
    for _ in range(count // 6):
        city, brand, trade, form = _company(rng)
        other = rng.choice([b for b in brands if b != brand])
        out.append(
            (
                city + brand + trade + form,
                city + other + trade + form,
                "operator",
                "generated",
                "other",
            )
        )
    return out


if __name__ == "__main__":
    writer = csv.writer(sys.stdout)
    writer.writerow(["applicant", "listed", "kind", "label", "how"])
    writer.writerows(pairs())
