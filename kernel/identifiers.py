"""Identifiers of subjects and documents (SPEC §4): normalisation and validation.

Each `clean_*` function takes what a person typed and returns the normalised value, or raises
ValidationError with a message that says what is wrong. Check characters are verified with
python-stdnum, which implements GB 32100-2015 and GB 11643.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from kernel.names import strip_invisible

# Hyphen look-alikes people paste from word processors and IMEs.
_DASHES = re.compile(r"[\u2010-\u2015\u2212\u30fc\uff0d\ufe58\ufe63_]")
_SPACES = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[\s-]+")

LICENCE_RE = re.compile(r"^L-[A-Z]{2,3}-[A-Z0-9]{4,12}$")
GUIDE_CERTIFICATE_RE = re.compile(r"^D-\d{4}-\d{4,8}$")


def _compact(value: str) -> str:
    value = strip_invisible(unicodedata.normalize("NFKC", value or ""))
    return _SPACES.sub("", _DASHES.sub("-", value)).upper()


def clean_credit_code(value: str) -> str:
    code = _compact(value).replace("-", "")
    try:
        return uscc.validate(code)
    except InvalidLength:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d."),
            code="length",
            params={"n": len(code)},
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong."),
            code="checksum",
        ) from None
    except (InvalidFormat, InvalidComponent):
        raise ValidationError(
            _(
                "This is not a unified social credit code (wrong characters or registration "
                "authority)."
            ),
            code="format",
        ) from None


def clean_identity_number(value: str) -> str:
    number = _compact(value)
    try:
        return ric.validate(number)
    except InvalidLength:
        raise ValidationError(
            _("A resident identity number has 18 characters; this one has %(n)d."),
            code="length",
            params={"n": len(number)},
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _("The check digit of this resident identity number is wrong."), code="checksum"
        ) from None
    except InvalidComponent:
        try:
            ric.get_birth_date(number)
        except InvalidComponent:
            raise ValidationError(
                _("The birth date in this resident identity number is not a valid date."),
                code="birth_date",
            ) from None
        raise ValidationError(
            _("The first six digits of this resident identity number are not a region code."),
            code="region",
        ) from None
    except InvalidFormat:
        raise ValidationError(
            _("A resident identity number is 17 digits followed by a digit or X."),
            code="format",
        ) from None


def mask_identity_number(number: str) -> str:
    """`110101********1234`: region code and the last four, the birth date hidden."""
    if not number:
        return ""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def _separated(value: str) -> str:
    """Spaces, like dashes, separate the parts of a licence or certificate number
    (`L BJ CJ00001`, `L - BJ - CJ00001`): each run of them becomes one ASCII hyphen. The
    national formats have three parts; a number typed in more (`L BJ CJ 00001`) keeps its
    first two and joins the rest, as the part after the second separator never has one."""
    value = strip_invisible(unicodedata.normalize("NFKC", value or ""))
    parts = [part for part in _SEPARATORS.split(_DASHES.sub("-", value).upper()) if part]
    if len(parts) > 3:
        parts = [*parts[:2], "".join(parts[2:])]
    return "-".join(parts)


def clean_licence_no(value: str) -> str:
    licence = _separated(value)
    if not LICENCE_RE.match(licence):
        raise ValidationError(
            _("A travel agency licence number looks like L-BJ-CJ00001 or L-GD-100123."),
            code="format",
        )
    return licence


def clean_guide_certificate_no(value: str) -> str:
    certificate = _separated(value)
    if not GUIDE_CERTIFICATE_RE.match(certificate):
        raise ValidationError(
            _("A guide certificate number looks like D-1101-012345."), code="format"
        )
    return certificate


def clean_certificate_no(value: str) -> str:
    """Practising certificates other than guides' have no national format: normalise only."""
    return _compact(value)


# The year of a document number is bracketed in many ways: 〔2026〕 (the official form, which
# the key keeps), [2026], (2026), 【2026】, ﹝2026﹞ (NFKC makes it 〔〕), 〖2026〗. They name the
# same document.
_OPENING_BRACKETS = re.compile(r"[\[(【〖]")
_CLOSING_BRACKETS = re.compile(r"[\])】〗]")


def normalize_document_number(value: str) -> str:
    """Basis document numbers are free text: full-width to half-width, spaces dropped, every
    kind of bracket around the year the same."""
    text = strip_invisible(unicodedata.normalize("NFKC", value or ""))
    text = _CLOSING_BRACKETS.sub("〕", _OPENING_BRACKETS.sub("〔", text))
    return _SPACES.sub("", text).upper()


def identifier_fragment(value: str) -> str:
    """A typed piece of a licence, certificate or credit code, in the form they are stored in
    (half-width capitals, ASCII hyphens, no spaces), to be looked for inside them."""
    return _compact(value)


def lookup_key(value: str) -> str:
    """The form a typed licence, certificate or credit code is looked up by."""
    return _compact(value).replace("-", "")
