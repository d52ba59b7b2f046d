"""Rows of the public tables, prepared in Python: a template that looks up display values,
URLs and dates twenty times per page costs more than the page's queries."""

from dataclasses import dataclass

from django.urls import reverse

from records.models import BadRecord
from records.published_fields import choice_labels


@dataclass(frozen=True)
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


def disclosure_rows(records: list[BadRecord]) -> list[Row]:
    base = reverse("publication:detail", args=["TR0"])[: -len("TR0")]
    bureaus: dict[int, str] = {}
    names = choice_labels()
    rows = []
    for record in records:
        public_from, public_until = record.public_from, record.public_until
        if public_from is None or public_until is None:
            raise ValueError(f"{record.reference} has no publication dates: it is not disclosed")
        bureau = bureaus.get(record.filing_bureau_id)
        if bureau is None:
            bureau = bureaus[record.filing_bureau_id] = str(record.filing_bureau)
        rows.append(
            Row(
                reference=record.reference,
                url=base + record.reference,
                name=record.subject_name,
                kind=names["kind"].get(record.sector or record.practitioner_kind, ""),
                identifier=record.identifier_no,
                ground=record.ground,
                ground_label=names["ground"].get(record.ground, record.ground),
                bureau=bureau,
                public_from=public_from.isoformat(),
                public_until=public_until.isoformat(),
            )
        )
    return rows
