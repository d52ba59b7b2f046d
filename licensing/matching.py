"""Name matching for the licence-review lookup (SPEC §7): normalisation and scoring.

Everything that decides whether two names denote the same subject lives here, in plain
Python, so that SQLite and PostgreSQL give the same verdicts: the database only proposes
candidates (see licensing/candidates.py), this module scores them.

Normalisation goes further than kernel.names.search_key: traditional characters become
simplified (OpenCC) and variant characters standard (靑 → 青), punctuation and brackets go,
and the company-form suffix (有限公司 …) and the leading region (北京市, 北京 …) are split
off, so that 杭州西湖國際旅行社（有限公司） and 西湖国际旅行社有限公司 share the core
西湖国际旅行社. Scores come from rapidfuzz.
"""

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from opencc import OpenCC
from rapidfuzz import fuzz

from kernel.names import fold_variants, strip_invisible

_T2S = OpenCC("t2s")

# Punctuation, brackets and symbols of every script (Unicode categories P* and S*), and spaces.
_DROP_CATEGORIES = ("P", "S", "Z")
_BRACKETED = re.compile(
    r"[(\[{（【〔［｛《〈「『]([^)\]}）】〕］｝》〉」』]*)[)\]}）】〕］｝》〉」』]"
)

# Company forms, longest first; stripped repeatedly from the end (集团有限公司 → 集团 → '').
COMPANY_FORMS = (
    "股份有限公司",
    "有限责任公司",
    "股份公司",
    "有限公司",
    "责任公司",
    "分公司",
    "总公司",
    "集团",
    "公司",
    "coltd",
    "limited",
    "company",
    "ltd",
    "inc",
    "co",
)
# Words of a trade that thousands of company names share; they tell nothing about which
# company is meant (licensing.candidates leaves them out of its look-ups).
TRADE_WORDS = (
    "国际旅行社",
    "旅行社",
    "国际",
    "旅游",
    "集团",
    "酒店",
    "宾馆",
    "饭店",
    "民宿",
    "客栈",
    "管理",
    "开发",
    "发展",
    "景区",
    "风景区",
    "餐饮",
    "酒楼",
    "文化",
    "娱乐",
    "演艺",
    "客运",
    "汽车",
    "租赁",
    "游船",
    "商贸",
    "工艺品",
    "游乐园",
    "农家乐",
    "服务",
    "科技",
    "投资",
)
_PROVINCE_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)
_CITY_SUFFIXES = ("地区", "市", "盟")
# 大理白族自治州 → 大理: the short form drops the peoples' names and 自治州.
_AUTONOMOUS = re.compile(
    r"((白|傣|彝|藏|苗|壮|回|土家|哈尼|景颇|傈僳|朝鲜|蒙古|布依|侗|羌|黎|瑶|哈萨克|柯尔克孜|"
    r"纳西|佤|拉祜|布朗|普米|独龙|德昂|阿昌|基诺|水|仡佬|畲|土|撒拉|东乡|保安|裕固|满|京|"
    r"仫佬|毛南)族)+自治州$"
)
# Two companies whose names differ only by their region are two registrations: their score
# stays below the review threshold.
OTHER_REGION_CAP = 70.0
# A core shorter than this is not stripped further: 北京市北京 stays 北京.
MIN_CORE = 2


@functools.lru_cache(maxsize=1)
def _regions() -> tuple[dict[str, str], int]:
    """Region prefixes → canonical short form (浙江省 and 浙江 → 浙江), from the bureau list.
    Province and city names count with or without their suffix; county names only in full
    (西湖区), because their short forms (西湖) are too often part of a brand."""
    path = Path(__file__).resolve().parent.parent / "records" / "data" / "divisions.json"
    divisions = json.loads(path.read_text(encoding="utf-8"))["divisions"]
    regions: dict[str, str] = {}
    for division in divisions:
        name, level = division["name"], division["level"]
        if level == "national":
            continue
        short = name
        suffixes = _PROVINCE_SUFFIXES if level == "province" else _CITY_SUFFIXES
        if level == "city" and _AUTONOMOUS.search(name):
            short = _AUTONOMOUS.sub("", name)
            regions.setdefault(short, short)
        elif level in ("province", "city") or name.endswith("市"):
            for suffix in suffixes:
                if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                    short = name[: -len(suffix)]
                    break
            regions.setdefault(short, short)
        regions.setdefault(name, short)
    longest = max(len(name) for name in regions)
    return regions, longest


@functools.lru_cache(maxsize=32768)
def _is_traditional(char: str) -> bool:
    return _T2S.convert(char) != char


def to_simplified(text: str) -> str:
    """Traditional characters to simplified, then variant characters to their standard form
    (kernel.names.fold_variants: 靑 → 青, 锺 → 钟), as the stored search keys are. OpenCC's
    conversion costs about 80 µs a name; most names are simplified already, and a
    character-by-character test (cached) finds those."""
    if any(_is_traditional(c) for c in text if c > "\u2e7f"):
        text = _T2S.convert(text)
    return fold_variants(text)


def normalise(value: str) -> str:
    """NFKC (full-width → half-width), invisible characters dropped, traditional →
    simplified, case folded, punctuation, brackets and spaces dropped."""
    text = strip_invisible(unicodedata.normalize("NFKC", value or ""))
    text = to_simplified(text).casefold()
    if text.isalnum():  # letters and digits only (most names): nothing to drop
        return text
    return "".join(c for c in text if not unicodedata.category(c).startswith(_DROP_CATEGORIES))


@dataclass(frozen=True)
class NameParts:
    full: str  # normalised, nothing removed
    core: str  # without leading regions and the company form
    regions: frozenset[str]  # canonical short forms of the regions removed


def _split_regions(text: str) -> tuple[str, list[str]]:
    regions, longest = _regions()
    found: list[str] = []
    changed = True
    while changed:
        changed = False
        for size in range(min(longest, len(text) - MIN_CORE), 1, -1):
            prefix = text[:size]
            if prefix in regions:
                found.append(regions[prefix])
                text = text[size:]
                changed = True
                break
    return text, found


def region_prefix_length(text: str) -> int:
    """How many leading characters of a normalised name are its regions (浙江省杭州市西湖 → 6)."""
    rest, _found = _split_regions(text)
    return len(text) - len(rest)


def _strip_forms(text: str) -> str:
    changed = True
    while changed:
        changed = False
        for form in COMPANY_FORMS:
            if text.endswith(form) and len(text) - len(form) >= MIN_CORE:
                text = text[: -len(form)]
                changed = True
                break
    return text


@functools.lru_cache(maxsize=65536)
def name_parts(value: str) -> NameParts:
    """Split a name into its core and the regions it names. A bracketed region anywhere in
    the name (西湖国际旅行社（杭州）有限公司) counts as a region, other brackets keep their text."""
    regions, _longest = _regions()
    raw = strip_invisible(unicodedata.normalize("NFKC", value or ""))
    raw = to_simplified(raw)
    bracketed: list[str] = []

    def unbracket(match: re.Match[str]) -> str:
        inner = normalise(match.group(1))
        if inner in regions:
            bracketed.append(regions[inner])
            return ""
        return inner

    full = normalise(raw)
    unbracketed = _BRACKETED.sub(unbracket, raw)
    text = full if unbracketed == raw else normalise(unbracketed)
    text, found = _split_regions(text)
    core = _strip_forms(text)
    return NameParts(full=full, core=core or full, regions=frozenset(found + bracketed))


@dataclass(frozen=True)
class Score:
    value: float  # 0–100
    reason: str  # a short code, explained to people by licensing.verdicts.REASONS


def score_operator_names(applicant: str, listed: str) -> Score:
    """How alike two company names are. Equal cores score 100, unless both names carry a
    region and the regions differ (杭州山水旅行社 and 宁波山水旅行社 are two companies)."""
    a, b = name_parts(applicant), name_parts(listed)
    if not a.core or not b.core:
        return Score(0.0, "")
    if a.full == b.full:
        raw_equal = (applicant or "").strip() == (listed or "").strip()
        return Score(100.0, "name_identical" if raw_equal else "name_same_normalised")
    other_region = bool(a.regions and b.regions and not a.regions & b.regions)
    if a.core == b.core:
        if other_region:
            return Score(OTHER_REGION_CAP, "name_same_other_region")
        return Score(100.0, "name_same_normalised")
    value = fuzz.ratio(a.core, b.core)
    reason = "name_similar"
    shorter = min(len(a.core), len(b.core))
    if shorter >= 4:
        contained = fuzz.partial_ratio(a.core, b.core) * 0.9
        if contained > value:
            value, reason = contained, "name_contained"
    if other_region:
        value = min(value, OTHER_REGION_CAP)
    return Score(round(value, 1), reason)


def score_person_names(applicant: str, listed: str) -> Score:
    """Personal names are short and shared by many people (张伟): only the same name after
    normalisation counts, and it never makes a verdict of *listed* on its own."""
    a, b = normalise(applicant), normalise(listed)
    if not a or not b:
        return Score(0.0, "")
    if a == b:
        raw_equal = (applicant or "").strip() == (listed or "").strip()
        return Score(100.0, "name_identical" if raw_equal else "person_name_same_normalised")
    return Score(round(fuzz.ratio(a, b), 1), "name_similar")
