"""Shared pieces of the subject's-rights tests: a listed agency, its verified account."""

import datetime

from records.models import BadRecord, RecordStatus, User
from rights.models import SubjectClaim
from rights.services.claims import subject_claim_decide, subject_claim_file
from tests import factories
from tests.archive_helpers import at, proof

TODAY = datetime.date(2026, 11, 27)  # a Friday
NOW = at(TODAY)


def listed_agency(filer: User, *, start: datetime.date = datetime.date(2026, 6, 1), **fields):
    subject = factories.operator(region=filer.bureau, name="杭州西湖山水旅行社有限公司")
    return factories.record(
        filer=filer,
        subject=subject,
        status=RecordStatus.PUBLISHED,
        public_from=start,
        basis_date=start - datetime.timedelta(days=10),
        **fields,
    )


def claim_for(account: User, record: BadRecord, *, language: str = "zh-hans") -> SubjectClaim:
    return subject_claim_file(
        by=account,
        data={
            "record_reference": record.reference,
            "identifier_kind": "licence_no",
            "identifier": record.licence_no,
            "acting_person": "张经理",
        },
        proofs=[proof("授权委托书.pdf")],
        language=language,
    )


def verified(account: User, record: BadRecord, reviewer: User, **kw) -> SubjectClaim:
    return subject_claim_decide(
        claim=claim_for(account, record, **kw), by=reviewer, verify=True, reasons="材料齐全"
    )
