"""Normalisation of names as typed by people: full-width letters, stray spaces, odd dashes."""

import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")


def normalize_name(value: str) -> str:
    """NFKC (full-width to half-width), trimmed, inner whitespace collapsed to one space."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", value or "")).strip()


def search_key(value: str) -> str:
    """A case- and spacing-insensitive key for finding a name by any part of it."""
    return normalize_name(value).replace(" ", "").casefold()
