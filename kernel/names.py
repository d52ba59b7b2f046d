"""Normalisation of names as typed by people: full-width letters, stray spaces, odd dashes."""

import functools
import re
import unicodedata

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


def search_key(value: str) -> str:
    """A key for finding a name by any part of it, whatever the width, case, spacing or
    traditional/simplified form typed: 杭州 西湖國際 and 杭州西湖国际 give the same key."""
    return to_simplified(normalize_name(value).replace(" ", "").casefold())


def short_grams(key: str) -> str:
    """The single characters and pairs of a search key, space-separated, letters and digits
    only: PostgreSQL indexes them for searches of one or two characters (张伟), which are
    too short for trigrams."""
    chars = [c if c.isalnum() else " " for c in key]
    grams = {c for c in chars if c != " "}
    grams |= {a + b for a, b in zip(chars, chars[1:], strict=False) if " " not in (a, b)}
    return " ".join(sorted(grams))
