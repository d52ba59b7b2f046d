"""Reads of the rights app: the subject's own view and the public statistics of objections.
Each runs a fixed number of queries whatever the number of records."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q

from archive.models import ArchiveRequest, IdentifierKind, RequestStatus
from kernel.identity_numbers import identity_number_digests
from records.models import BadRecord, Bureau, RecordStatus, User
from rights.models import (
    ClaimStatus,
    Objection,
    RepairApplication,
    RequestState,
    SubjectClaim,
)

SHOWN_STATUSES = (
    RecordStatus.SCHEDULED,
    RecordStatus.PUBLISHED,
    RecordStatus.ARCHIVED,
    RecordStatus.WITHDRAWN,
)


@dataclass(frozen=True)
class Grant:
    """Access granted to the subject's archived records: by whom (the bureau), when, for
    which window. The requester is not named (the issue §4)."""

    bureau: str
    decided_on: datetime.date
    access_from: datetime.date
    access_until: datetime.date


@dataclass
class OwnView:
    claims: list[SubjectClaim]
    records: list[BadRecord] = field(default_factory=list)
    objections: list[Objection] = field(default_factory=list)
    repairs: list[RepairApplication] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)


def _subject_filter(claims: list[SubjectClaim]) -> Q:
    operators = {c.operator_id for c in claims if c.operator_id}
    practitioners = {c.practitioner_id for c in claims if c.practitioner_id}
    return Q(operator_id__in=operators) | Q(practitioner_id__in=practitioners)


def _grants(archived: list[BadRecord]) -> list[Grant]:
    """Approved archive requests that match one of the subject's archived records, by the
    rule the archive itself applies (ArchiveRequest.matching): same identifier, same name,
    a record filed in the deciding bureau's region."""
    if not archived:
        return []
    names = {r.subject_name_key for r in archived}
    candidates = list(
        ArchiveRequest.objects.filter(status=RequestStatus.APPROVED, subject_name_key__in=names)
        .select_related("bureau")
        .order_by("-decided_at")
    )
    hmacs = {r.pk: r.practitioner.identity_number_hmac for r in archived if r.practitioner}
    grants = []
    for request in candidates:
        kind = request.identifier_kind
        for record in archived:
            if record.subject_name_key != request.subject_name_key:
                continue
            if not record.filing_bureau.path.startswith(request.bureau.path):
                continue
            if kind == IdentifierKind.IDENTITY_NUMBER:
                digests = set(identity_number_digests(request.identifier_value))
                matches = hmacs.get(record.pk, "") in digests
            else:
                matches = getattr(record, kind) == request.identifier
            if matches:
                assert request.access_from and request.access_until and request.decided_at
                grants.append(
                    Grant(
                        bureau=str(request.bureau),
                        decided_on=request.decided_at.date(),
                        access_from=request.access_from,
                        access_until=request.access_until,
                    )
                )
                break
    return grants


def own_view(user: User) -> OwnView:
    claims = list(
        SubjectClaim.objects.filter(account=user).select_related("record").order_by("-id")
    )
    view = OwnView(claims=claims)
    verified = [c for c in claims if c.status == ClaimStatus.VERIFIED]
    if not verified:
        return view
    view.records = list(
        BadRecord.objects.filter(_subject_filter(verified), status__in=SHOWN_STATUSES)
        .select_related("filing_bureau", "practitioner")
        .order_by("-public_from", "-id")
    )
    verified_ids = [c.pk for c in verified]
    view.objections = list(
        Objection.objects.filter(claim_id__in=verified_ids).select_related("record")
    )
    view.repairs = list(
        RepairApplication.objects.filter(claim_id__in=verified_ids).select_related("record")
    )
    view.grants = _grants([r for r in view.records if r.status == RecordStatus.ARCHIVED])
    return view


@dataclass(frozen=True)
class BureauFigures:
    bureau: str
    received: int
    answered: int
    on_time: int
    upheld: int
    repairs_received: int
    repairs_decided_on_time: int
    repairs_approved: int


def objection_statistics() -> list[BureauFigures]:
    """Per publishing bureau: objections received, answered, answered on time and upheld;
    credit-repair applications received, decided on time and approved. The public statistics
    read it, and the supervision capability's timeliness report is meant to. Two grouped
    queries and one for the bureaus' names."""
    objections = {
        row["record__filing_bureau"]: row
        for row in Objection.objects.values("record__filing_bureau").annotate(
            received=Count("id"),
            answered=Count("id", filter=~Q(status=RequestState.OPEN)),
            on_time=Count(
                "id", filter=~Q(status=RequestState.OPEN) & Q(decided_on__lte=F("deadline"))
            ),
            upheld=Count("id", filter=Q(status=RequestState.UPHELD)),
        )
    }
    repairs = {
        row["record__filing_bureau"]: row
        for row in RepairApplication.objects.values("record__filing_bureau").annotate(
            received=Count("id"),
            on_time=Count(
                "id", filter=~Q(status=RequestState.OPEN) & Q(decided_on__lte=F("deadline"))
            ),
            approved=Count("id", filter=Q(status=RequestState.UPHELD)),
        )
    }
    ids = set(objections) | set(repairs)
    bureaus = {b.pk: str(b) for b in Bureau.objects.filter(pk__in=ids)}
    empty: dict[str, Any] = {}
    figures = [
        BureauFigures(
            bureau=bureaus.get(pk, ""),
            received=objections.get(pk, empty).get("received", 0),
            answered=objections.get(pk, empty).get("answered", 0),
            on_time=objections.get(pk, empty).get("on_time", 0),
            upheld=objections.get(pk, empty).get("upheld", 0),
            repairs_received=repairs.get(pk, empty).get("received", 0),
            repairs_decided_on_time=repairs.get(pk, empty).get("on_time", 0),
            repairs_approved=repairs.get(pk, empty).get("approved", 0),
        )
        for pk in ids
    ]
    return sorted(figures, key=lambda f: f.bureau)
