"""Normalisation of names as typed by people: full-width letters, stray spaces, odd dashes."""

import functools
import importlib.util
import re
import unicodedata
from pathlib import Path

import msgpack
from opencc import OpenCC

_WHITESPACE = re.compile(r"\s+")


def strip_invisible(value: str) -> str:
    """Drop format characters (zero-width spaces and joiners, direction marks, BOMs) that
    paste in from word processors and make equal names compare unequal."""
    if value.isprintable():  # format characters are never printable: nothing to drop
        return value
    return "".join(c for c in value if unicodedata.category(c) != "Cf")


def normalize_name(value: str) -> str:
    """NFKC (full-width to half-width), invisible characters dropped, trimmed, inner
    whitespace collapsed to one space."""
    text = strip_invisible(unicodedata.normalize("NFKC", value or ""))
    return _WHITESPACE.sub(" ", text).strip()


@functools.cache
def _to_simplified() -> OpenCC:
    return OpenCC("t2s")


def to_simplified(value: str) -> str:
    """Traditional characters to simplified (國際 → 国际); other text passes unchanged."""
    return _to_simplified().convert(value) if value else value


# Standard simplified characters (GB 2312) that the variant table maps and that are folded
# all the same: each is a variant of the other in names (锺/钟 both write the surname Zhong).
# The table's other mappings of GB 2312 characters join distinct standard characters (园 →
# 圆, 机 → 几, 冈 → 罔, 贰 → 二) that tell companies apart: those are not folded.
STANDARD_VARIANTS = {"锺": "钟", "於": "于", "馀": "余", "麽": "么"}


def _is_standard(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@functools.cache
def _variant_table() -> dict[int, str]:
    """Variant characters → their standard simplified form (靑 → 青, 淸 → 清, 敎 → 教), from
    the variant table of the char-converter package (v2s, about 6,500 characters; data CC
    BY-SA 4.0). Read from the package's data file without importing the package, whose
    loader needs setuptools' deprecated pkg_resources. Only characters outside GB 2312 are
    folded, and those of STANDARD_VARIANTS; targets are chased, so folding twice changes
    nothing."""
    spec = importlib.util.find_spec("char_converter")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("char-converter is not installed (pip install char-converter)")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "v2s.msgpack"
    table: dict[str, list[str]] = msgpack.unpackb(path.read_bytes(), raw=False)
    simplify = _to_simplified().convert
    fold: dict[str, str] = {}
    for variant, standards in table.items():
        target = simplify(standards[0]) if standards else variant
        if len(variant) != 1 or len(target) != 1 or target == variant or _is_standard(variant):
            continue
        fold[variant] = target
    fold.update(STANDARD_VARIANTS)
    for variant, target in fold.items():
        seen = {variant}
        while target in fold and target not in seen:
            seen.add(target)
            target = fold[target]
        fold[variant] = target
    return {ord(variant): target for variant, target in fold.items() if variant != target}


def fold_variants(value: str) -> str:
    """Variant characters to their standard form: 北京靑年 → 北京青年, 锺 → 钟. Applied after
    the traditional → simplified conversion, before names are compared or keyed."""
    return value.translate(_variant_table()) if value else value


def search_key(value: str) -> str:
    """A key for finding a name by any part of it, whatever the width, case, spacing,
    traditional/simplified form or variant characters typed: 杭州 西湖國際 and 杭州西湖国际
    give the same key, and so do 北京靑年 and 北京青年. The variant fold comes last, so a key
    stored before it existed is brought up to date by folding the key itself
    (records migration 0010)."""
    return fold_variants(to_simplified(normalize_name(value).replace(" ", "").casefold()))


def short_grams(key: str) -> str:
    """The single characters and pairs of a search key, space-separated, letters and digits
    only: PostgreSQL indexes them for searches of one or two characters (张伟), which are
    too short for trigrams."""
    chars = [c if c.isalnum() else " " for c in key]
    grams = {c for c in chars if c != " "}
    grams |= {a + b for a, b in zip(chars, chars[1:], strict=False) if " " not in (a, b)}
    return " ".join(sorted(grams))
