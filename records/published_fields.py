"""The published fields (公布事项, SPEC §1) — the one list of what the public sees of a record,
in the order people read it. The public query, the API, the CSV export, the Atom feed, the
detail page and the version snapshot of a correction all read it; a field added or dropped
here is added or dropped everywhere.

Each field names the record's columns it reads (the public query loads exactly those), the
values it contributes to the API (some fields give two keys, the bureau a nested object), and
its text for people (CSV cell, detail page, feed) — None for a machine-only field."""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from records.models import BadRecord, Bureau, Ground, PractitionerKind, Sector, SubjectType
from records.models.bad_records import reference_of


class PublishedRow:
    """A disclosed record's columns as a page of the API or the CSV reads them, with its
    filing bureau: what the published fields read of a record, without a model instance.
    Making a BadRecord of a row that loads twenty of its sixty columns walks every column
    twice (from_db, __init__) and cost more than the page's query. Read-only by convention:
    nothing saves it."""

    filing_bureau: Bureau

    def __init__(self, columns: Iterable[str], values: Iterable[Any], bureau: Bureau) -> None:
        self.__dict__.update(zip(columns, values, strict=True))
        self.filing_bureau = bureau

    @property
    def reference(self) -> str:
        return reference_of(self.id)

    def __getattr__(self, name: str) -> Any:
        # Only for a column the page did not read (the type checker sees the columns as Any).
        raise AttributeError(f"{name} is not among the columns this row was read with")


# What the published fields read: a record, or the same columns as a PublishedRow.
Published = BadRecord | PublishedRow


def choice_labels() -> Mapping[str, Mapping[str, str]]:
    """Display labels of the coded fields in the current language (get_FOO_display re-reads
    the choices every call). Built once per process and language: the choices and their
    translations do not change while the process runs, and turning thirty lazy labels into
    text cost a tenth of a list page's Python. Read-only."""
    language = translation.get_language()
    labels = _LABELS.get(language)
    if labels is None:
        labels = _LABELS[language] = MappingProxyType(
            {
                "ground": MappingProxyType({code: str(label) for code, label in Ground.choices}),
                "kind": MappingProxyType(
                    {
                        **{code: str(label) for code, label in Sector.choices},
                        **{code: str(label) for code, label in PractitionerKind.choices},
                    }
                ),
                "subject_type": MappingProxyType(
                    {code: str(label) for code, label in SubjectType.choices}
                ),
            }
        )
    return labels


_LABELS: dict[str | None, Mapping[str, Mapping[str, str]]] = {}


def bureau_name(bureau: Bureau, language: str | None) -> str:
    """str(bureau) — "西湖区旅游主管部门" — in the current language, which the caller reads
    once for a page (`language`), kept per process: a page names a dozen bureaus, each
    through a translation and a format. Keyed by what the text is made of (Bureau.__str__:
    the language, the level and the region's name), so a renamed bureau is never shown
    under its old name."""
    key = (language, bureau.level, bureau.name)
    name = _BUREAU_NAMES.get(key)
    if name is None:
        if len(_BUREAU_NAMES) >= 20_000:  # renamed bureaus' old names, at most
            _BUREAU_NAMES.clear()
        name = _BUREAU_NAMES[key] = str(bureau)
    return name


_BUREAU_NAMES: dict[tuple[str | None, str, str], str] = {}


class Reading:
    """What a surface needs to render many records: the labels in the current language, the
    address of the detail pages (passed in: records does not know publication's URLs) and
    the bureaus' names, each looked up once."""

    def __init__(self, *, detail_base_url: str) -> None:
        self.labels = choice_labels()
        self.language = translation.get_language()
        self.detail_base_url = detail_base_url
        self._bureaus: dict[int, str] = {}

    def bureau(self, record: Published) -> str:
        name = self._bureaus.get(record.filing_bureau_id)
        if name is None:
            name = self._bureaus[record.filing_bureau_id] = bureau_name(
                record.filing_bureau, self.language
            )
        return name

    def url(self, record: Published) -> str:
        return f"{self.detail_base_url}{record.reference}"


Values = Callable[[Published, Reading], dict[str, Any]]
Text = Callable[[Published, Reading], str]


@dataclass(frozen=True)
class PublishedField:
    name: str
    label: Promise
    columns: tuple[str, ...]
    values: Values
    text: Text | None
    multiline: bool = False  # long text: the page keeps its line breaks


def _column(name: str, label: Promise, *, multiline: bool = False) -> PublishedField:
    """A field shown as stored, under its own name."""
    return PublishedField(
        name,
        label,
        (name,),
        lambda r, _reading: {name: getattr(r, name)},
        lambda r, _reading: getattr(r, name),
        multiline,
    )


def _date(name: str, label: Promise) -> PublishedField:
    return PublishedField(
        name,
        label,
        (name,),
        lambda r, _reading: {name: getattr(r, name)},
        lambda r, _reading: getattr(r, name).isoformat(),
    )


PUBLISHED_FIELDS: tuple[PublishedField, ...] = (
    PublishedField(
        "reference",
        _("Reference"),
        ("id",),
        lambda r, _reading: {"reference": r.reference},
        lambda r, _reading: r.reference,
    ),
    PublishedField(
        "name",
        _("Name"),
        ("subject_name",),
        lambda r, _reading: {"name": r.subject_name},
        lambda r, _reading: r.subject_name,
    ),
    PublishedField(
        "subject_type",
        _("Operator or practitioner"),
        ("subject_type",),
        lambda r, _reading: {"subject_type": r.subject_type},
        lambda r, reading: reading.labels["subject_type"][r.subject_type],
    ),
    PublishedField(
        "kind",
        _("Sector or kind"),
        ("sector", "practitioner_kind"),
        lambda r, _reading: {"sector": r.sector, "practitioner_kind": r.practitioner_kind},
        lambda r, reading: reading.labels["kind"].get(r.sector or r.practitioner_kind, ""),
    ),
    _column("licence_no", _("Licence number")),
    _column("certificate_no", _("Practising certificate number")),
    _column("business_address", _("Business address")),
    _column("legal_representative", _("Legal representative")),
    _column("ground", _("Ground")),
    PublishedField(
        "ground_label",
        _("Ground description"),
        ("ground",),
        lambda r, reading: {"ground_label": reading.labels["ground"][r.ground]},
        lambda r, reading: reading.labels["ground"][r.ground],
    ),
    _column("cause", _("Cause (violation or accident)"), multiline=True),
    _column("penalty_decision", _("Administrative penalty decision"), multiline=True),
    _column("complaint_result", _("Complaint-handling result"), multiline=True),
    _date("public_from", _("Publication start")),
    _date("public_until", _("Last day of publication")),
    PublishedField(
        "publishing_bureau",
        _("Publishing bureau"),
        ("filing_bureau__code", "filing_bureau__name", "filing_bureau__level"),
        lambda r, reading: {
            "publishing_bureau": {
                "code": r.filing_bureau.code,
                "name": reading.bureau(r),
                "region": r.filing_bureau.name,
            }
        },
        lambda r, reading: reading.bureau(r),
    ),
    PublishedField(
        "region_code",
        _("Region code"),
        ("filing_bureau__code",),
        lambda r, _reading: {},  # in the API it is publishing_bureau.code
        lambda r, _reading: r.filing_bureau.code,
    ),
    PublishedField(
        "version",
        _("Version"),
        ("version",),
        lambda r, _reading: {"version": r.version},
        lambda r, _reading: str(r.version),
    ),
    PublishedField(
        "updated_at",
        _("Last changed"),
        ("updated_at",),
        lambda r, _reading: {"updated_at": r.updated_at},
        None,  # for mirrors; people read the version
    ),
    PublishedField(
        "url",
        _("Address on this portal"),
        ("id",),
        lambda r, reading: {"url": reading.url(r)},
        lambda r, reading: reading.url(r),
    ),
)

# The fields people read (CSV columns, detail page, feed entries), in order.
SHOWN_FIELDS = tuple(f for f in PUBLISHED_FIELDS if f.text is not None)


def published_columns() -> tuple[str, ...]:
    """The columns (and joined bureau columns) the published fields read, each once."""
    return tuple(dict.fromkeys(c for f in PUBLISHED_FIELDS for c in f.columns))


def published_values(record: Published, reading: Reading) -> dict[str, Any]:
    """The API's view of a record: every published field's values, Python-typed."""
    values: dict[str, Any] = {}
    for spec in PUBLISHED_FIELDS:
        values.update(spec.values(record, reading))
    return values


def published_texts(record: Published, reading: Reading) -> list[tuple[PublishedField, str]]:
    """The fields people read, each with its text."""
    return [(spec, spec.text(record, reading)) for spec in SHOWN_FIELDS]  # type: ignore[misc]


def published_snapshot(record: BadRecord) -> dict[str, Any]:
    """The record's own published columns as JSON values: what a version keeps of what was
    published (joined bureau columns and bookkeeping excepted)."""
    own = [c for c in published_columns() if "__" not in c and c not in ("id", "updated_at")]
    data = {column: getattr(record, column) for column in own}
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in data.items()}
