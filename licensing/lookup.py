"""The lookup itself (a read): an applicant in, a verdict and the matches out. Writing the
check down is licensing.services.checks' job.

Verdict rules (SPEC §7, issue 4):
- *listed*: an active (publicly listed today) record matches by an identifier — licence
  number, credit code, certificate number, identity number — or, for a company, by name at or
  above LICENSING_LISTED_NAME_SCORE with no identifier saying it is another company;
- *possible match*: an active record whose name scores at or above
  LICENSING_REVIEW_NAME_SCORE, or a person of the same name (names are shared by many people,
  so a person is never *listed* by name alone);
- *not listed* otherwise.
Archived or ended records and listed persons connected to a company are reported beside the
verdict and never change it.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from kernel.identifiers import lookup_key
from kernel.identity_numbers import identity_number_digests
from licensing import candidates
from licensing.matching import Score, score_operator_names, score_person_names
from licensing.models import ApplicantKind, Verdict
from records.models import BadRecord, Bureau
from records.models.bad_records import SubjectType

LISTED, POSSIBLE = "listed", "possible"


@dataclass
class Person:
    name: str
    identity_number: str = ""  # normalised, never stored


@dataclass
class Applicant:
    kind: str  # ApplicantKind
    name: str
    credit_code: str = ""
    licence_no: str = ""
    certificate_no: str = ""
    identity_number: str = ""  # normalised, never stored
    legal_representative: Person | None = None
    principal_persons: list[Person] = field(default_factory=list)


@dataclass
class LookupResult:
    verdict: str
    matches: list[dict[str, Any]]
    archived: list[dict[str, Any]]
    connected: list[dict[str, Any]]


def _same(a: str, b: str) -> bool:
    return bool(a and b and lookup_key(a) == lookup_key(b))


def _differ(a: str, b: str) -> bool:
    return bool(a and b and lookup_key(a) != lookup_key(b))


def _assess_operator(applicant: Applicant, record: BadRecord) -> tuple[str, Score, list[str]]:
    operator = record.operator
    reasons: list[str] = []
    licences = {record.licence_no, operator.licence_no if operator else ""} - {""}
    codes = {record.credit_code, operator.credit_code if operator else ""} - {""}
    if any(_same(applicant.licence_no, v) for v in licences):
        reasons.append("licence_no_same")
    if any(_same(applicant.credit_code, v) for v in codes):
        reasons.append("credit_code_same")
    names = {record.subject_name, operator.name if operator else ""} - {""}
    score = max(
        (score_operator_names(applicant.name, n) for n in names),
        key=lambda s: s.value,
        default=Score(0.0, ""),
    )
    if score.value >= settings.LICENSING_REVIEW_NAME_SCORE:
        reasons.append(score.reason)
    conflicts = []
    if (
        codes
        and not reasons.count("credit_code_same")
        and any(_differ(applicant.credit_code, v) for v in codes)
    ):
        conflicts.append("credit_code_differs")
    if (
        licences
        and "licence_no_same" not in reasons
        and any(_differ(applicant.licence_no, v) for v in licences)
    ):
        conflicts.append("licence_no_differs")
    if "licence_no_same" in reasons or "credit_code_same" in reasons:
        return LISTED, Score(100.0, reasons[0]), reasons
    if score.value >= settings.LICENSING_LISTED_NAME_SCORE and not conflicts:
        return LISTED, score, reasons
    if score.value >= settings.LICENSING_REVIEW_NAME_SCORE:
        return POSSIBLE, score, reasons + conflicts
    return "", score, reasons


def _assess_person(
    person: Person, certificate_no: str, record: BadRecord
) -> tuple[str, Score, list[str]]:
    practitioner = record.practitioner
    # Compared by keyed hash: the stored number is not decrypted (_records defers it).
    stored = practitioner.identity_number_hmac if practitioner else ""
    if person.identity_number and stored:
        if stored in identity_number_digests(person.identity_number):
            return LISTED, Score(100.0, "identity_number_same"), ["identity_number_same"]
        return "", Score(0.0, ""), []  # an identity number is for life: another person
    certificates = {record.certificate_no, practitioner.certificate_no if practitioner else ""}
    certificates -= {""}
    if any(_same(certificate_no, v) for v in certificates):
        return LISTED, Score(100.0, "certificate_no_same"), ["certificate_no_same"]
    names = {record.subject_name, practitioner.name if practitioner else ""} - {""}
    score = max(
        (score_person_names(person.name, n) for n in names),
        key=lambda s: s.value,
        default=Score(0.0, ""),
    )
    if score.value < 100:
        return "", score, []
    reasons = [score.reason]
    if any(_differ(certificate_no, v) for v in certificates):
        reasons.append("certificate_no_differs")
    return POSSIBLE, score, reasons


def _describe(record: BadRecord, level: str, score: Score, reasons: list[str]) -> dict[str, Any]:
    return {
        "record": record.reference,
        "record_id": record.pk,
        "name": record.subject_name,
        "identifier": record.identifier_no or record.credit_code,
        "subject_type": record.subject_type,
        "ground": record.ground,
        "bureau": str(record.filing_bureau),
        "public_from": record.public_from.isoformat() if record.public_from else "",
        "public_until": record.public_until.isoformat() if record.public_until else "",
        "status": record.status,
        "level": level,
        "score": score.value,
        "reasons": reasons,
    }


def _records(base: QuerySet[BadRecord], *, operators: set[int], persons: set[int]) -> list:
    if not operators and not persons:
        return []
    return list(
        base.filter(Q(operator_id__in=operators) | Q(practitioner_id__in=persons))
        .select_related("operator", "practitioner", "filing_bureau")
        .defer("practitioner__identity_number")
        .order_by("pk")
    )


def _assess_all(applicant: Applicant, records: list[BadRecord]) -> list[dict[str, Any]]:
    found = []
    for record in records:
        if applicant.kind == ApplicantKind.OPERATOR:
            if record.subject_type != SubjectType.OPERATOR:
                continue
            level, score, reasons = _assess_operator(applicant, record)
        else:
            if record.subject_type != SubjectType.PRACTITIONER:
                continue
            person = Person(applicant.name, applicant.identity_number)
            level, score, reasons = _assess_person(person, applicant.certificate_no, record)
        if level:
            found.append(_describe(record, level, score, reasons))
    found.sort(key=lambda m: (m["level"] != LISTED, -m["score"], m["record_id"]))
    return found


def _connected(applicant: Applicant, today: datetime.date) -> list[dict[str, Any]]:
    people = [(p, "legal_representative") for p in [applicant.legal_representative] if p]
    people += [(p, "principal_person") for p in applicant.principal_persons]
    found: list[dict[str, Any]] = []
    for person, role in people:
        ids = candidates.practitioner_ids(
            name=person.name, identity_number=person.identity_number, certificate_no=""
        )
        public = BadRecord.objects.public(on=today)
        for record in _records(public, operators=set(), persons=ids):
            level, score, reasons = _assess_person(person, "", record)
            if level:
                described = _describe(record, level, score, reasons)
                described["role"] = role
                described["person"] = person.name
                found.append(described)
    return found


def archived_or_ended(bureau: Bureau, today: datetime.date) -> QuerySet[BadRecord]:
    """The credit archive as the records app defines it, within the bureau's jurisdiction."""
    return BadRecord.objects.in_archive(on=today).in_jurisdiction(bureau)


def lookup(*, applicant: Applicant, bureau: Bureau, today: datetime.date | None = None):
    """Find the applicant on the public list; report archived records of the bureau's
    jurisdiction and listed connected persons beside the verdict."""
    today = today or timezone.localdate()
    if applicant.kind == ApplicantKind.OPERATOR:
        operators = candidates.operator_ids(
            name=applicant.name,
            credit_code=applicant.credit_code,
            licence_no=applicant.licence_no,
        )
        persons: set[int] = set()
    else:
        operators = set()
        persons = candidates.practitioner_ids(
            name=applicant.name,
            identity_number=applicant.identity_number,
            certificate_no=applicant.certificate_no,
        )
    # Two queries, not one: an OR of both visibility rules across the joins costs
    # PostgreSQL ten times longer to plan than the two simple queries take together.
    active = _records(BadRecord.objects.public(on=today), operators=operators, persons=persons)
    ended = _records(archived_or_ended(bureau, today), operators=operators, persons=persons)
    matches = _assess_all(applicant, active)
    levels = {m["level"] for m in matches}
    verdict = (
        Verdict.LISTED
        if LISTED in levels
        else Verdict.POSSIBLE_MATCH
        if POSSIBLE in levels
        else Verdict.NOT_LISTED
    )
    connected = _connected(applicant, today) if applicant.kind == ApplicantKind.OPERATOR else []
    return LookupResult(
        verdict=verdict,
        matches=matches,
        archived=_assess_all(applicant, ended),
        connected=connected,
    )
