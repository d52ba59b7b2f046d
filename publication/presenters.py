"""Rows of the public tables, prepared in Python: a template that looks up display values,
URLs and dates twenty times per page costs more than the page's queries.

A page of the list reads exactly ROW_COLUMNS (publication.selectors) as plain values
(`values_list`), not records: making a model instance of each row cost more than the rest of
the row's work."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import translation

from publication.selectors import ROW_COLUMNS, bureaus_by_id
from records.models import BadRecord
from records.models.bad_records import reference_of
from records.published_fields import bureau_name, choice_labels


# Not frozen: a frozen dataclass sets each field through object.__setattr__, and a page
# makes up to a hundred rows. Nothing changes a row once made.
@dataclass(slots=True)
class Row:
    reference: str
    url: str
    name: str
    kind: str
    identifier: str
    ground: str
    ground_label: str
    bureau: str

    @property
    def ground_meaning(self) -> str:
        """The label without its leading code ("G1 · …" → "…"): the code is shown beside it."""
        code, sep, meaning = self.ground_label.partition(" · ")
        return meaning if sep and code == self.ground else self.ground_label

    public_from: str
    public_until: str


def listed_rows(values: Iterable[Sequence[Any]]) -> list[Row]:
    """Rows from ROW_COLUMNS' values (a `values_list(*ROW_COLUMNS)` query's tuples)."""
    base = reverse("publication:detail", args=["TR0"])[: -len("TR0")]
    bureaus: dict[int, str] = {}
    held = bureaus_by_id()
    names = choice_labels()
    kinds, grounds = names["kind"], names["ground"]
    language = translation.get_language()
    rows = []
    for (
        pk, name, sector, practitioner_kind, licence_no, certificate_no, ground,
        public_from, public_until, bureau_id,
    ) in values:  # fmt: skip
        if public_from is None or public_until is None:
            raise ValueError(f"{reference_of(pk)} has no publication dates: it is not disclosed")
        bureau = bureaus.get(bureau_id)
        if bureau is None:
            if bureau_id not in held:  # a bureau created since the names were read
                held = bureaus_by_id(fresh=True)
            bureau = bureaus[bureau_id] = bureau_name(held[bureau_id], language)
        reference = reference_of(pk)
        rows.append(
            Row(
                reference=reference,
                url=base + reference,
                name=name,
                kind=kinds.get(sector or practitioner_kind, ""),
                identifier=licence_no or certificate_no,
                ground=ground,
                ground_label=grounds.get(ground, ground),
                bureau=bureau,
                public_from=public_from.isoformat(),
                public_until=public_until.isoformat(),
            )
        )
    return rows


def disclosure_rows(records: Iterable[BadRecord]) -> list[Row]:
    """Rows from loaded records (with their filing bureau)."""
    return listed_rows(tuple(_value(record, name) for name in ROW_COLUMNS) for record in records)


def _value(record: BadRecord, name: str) -> Any:
    value: Any = record
    for part in name.split("__"):
        value = getattr(value, part)
    return value
