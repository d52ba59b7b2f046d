"""Normalisation of names as typed by people: full-width letters, stray spaces, odd dashes."""

import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")


def strip_invisible(value: str) -> str:
    """Drop format characters (zero-width spaces and joiners, direction marks, BOMs) that
    paste in from word processors and make equal names compare unequal."""
    return "".join(c for c in value if unicodedata.category(c) != "Cf")


def normalize_name(value: str) -> str:
    """NFKC (full-width to half-width), invisible characters dropped, trimmed, inner
    whitespace collapsed to one space."""
    text = strip_invisible(unicodedata.normalize("NFKC", value or ""))
    return _WHITESPACE.sub(" ", text).strip()


def search_key(value: str) -> str:
    """A case- and spacing-insensitive key for finding a name by any part of it."""
    return normalize_name(value).replace(" ", "").casefold()
