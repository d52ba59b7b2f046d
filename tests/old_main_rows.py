"""Rows in every table of the schema of main before issue 9 (commit f777529), written through
the historical models of that schema: a small register with each kind of row the portal
holds, so that the test of the forward migration has something to lose.

Only the historical models are used (never the current ones): the tables and their app
labels are those of the old schema, whatever the code says today."""

import datetime
import importlib
from typing import Any

NOW = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 2)
DAY = datetime.timedelta(days=1)

# The role groups and their permissions, as the old migrations granted them.
_ROLE_MIGRATIONS = (
    ("records.migrations.0002_create_roles", "ROLE_PERMISSIONS", ["records"]),
    ("publication.migrations.0002_archive_role_permissions", "ROLE_PERMISSIONS", ["publication"]),
    ("licensing.migrations.0003_grant_licensing_permissions", "GRANTS", ["licensing", "authtoken"]),
)


def _assert_role_groups(apps: Any) -> None:
    """The role groups come from the old migrations, with the permissions they granted."""
    Group = apps.get_model("auth", "Group")
    for module_name, attribute, app_labels in _ROLE_MIGRATIONS:
        grants = getattr(importlib.import_module(module_name), attribute)
        for role, codenames in grants.items():
            held = Group.objects.get(name=role).permissions.filter(
                content_type__app_label__in=app_labels, codename__in=codenames
            )
            assert held.count() == len(codenames), (role, codenames)


def _bureaus(apps: Any) -> dict[str, Any]:
    Bureau = apps.get_model("records", "Bureau")
    national = Bureau.objects.create(code="000000", name="全国", level="national", path="000000/")
    zhejiang = Bureau.objects.create(
        code="330000", name="浙江省", level="province", parent=national, path="000000/330000/"
    )
    hangzhou = Bureau.objects.create(
        code="330100", name="杭州市", level="city", parent=zhejiang, path="000000/330000/330100/"
    )
    xihu = Bureau.objects.create(
        code="330106",
        name="西湖区",
        level="county",
        parent=hangzhou,
        path="000000/330000/330100/330106/",
    )
    return {"national": national, "hangzhou": hangzhou, "xihu": xihu}


def _users(apps: Any, bureaus: dict[str, Any]) -> dict[str, Any]:
    User = apps.get_model("records", "User")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def staff(username: str, bureau: Any, role: str) -> Any:
        user = User.objects.create(
            username=username,
            password="md5$salt$0123456789abcdef",
            first_name="芳",
            last_name="方",
            email=f"{username}@xihu.example.gov.cn",
            is_staff=True,
            bureau=bureau,
        )
        user.groups.add(Group.objects.get(name=role))
        return user

    users = {
        "filer": staff("fang", bureaus["xihu"], "filer"),
        "reviewer": staff("rui", bureaus["xihu"], "reviewer"),
        "archivist": staff("yue", bureaus["xihu"], "archive_reviewer"),
        "officer": staff("li", bureaus["xihu"], "licensing_officer"),
        "admin": staff("zhong", bureaus["national"], "national_admin"),
        "party": User.objects.create(
            username="pan@example.com", password="md5$salt$fedcba", email="pan@example.com"
        ),
    }
    # One permission given to an account directly, outside any group.
    users["reviewer"].user_permissions.add(
        Permission.objects.get(content_type__app_label="records", codename="view_evidence")
    )
    return users


def _subjects(apps: Any, bureaus: dict[str, Any]) -> dict[str, Any]:
    Operator = apps.get_model("records", "Operator")
    Practitioner = apps.get_model("records", "Practitioner")
    xihu = bureaus["xihu"]
    agency = Operator.objects.create(
        name="杭州西湖国际旅行社有限公司",
        name_key="杭州西湖国际旅行社有限公司",
        region=xihu,
        created_by_bureau=xihu,
        sector="travel_agency",
        credit_code="91330106MA2B3C4D5E",
        licence_no="L-ZJ-CJ00001",
        business_address="杭州市西湖区曙光路1号",
        legal_representative="王伟",
    )
    hotel = Operator.objects.create(
        name="西湖宾馆",
        name_key="西湖宾馆",
        region=xihu,
        created_by_bureau=xihu,
        sector="accommodation",
    )
    guide = Practitioner.objects.create(
        name="张导",
        name_key="张导",
        region=xihu,
        created_by_bureau=xihu,
        kind="guide",
        identity_number="330106198001010012",
        certificate_no="D-3301-000001",
        employer=agency,
    )
    return {"agency": agency, "hotel": hotel, "guide": guide}


def _records(
    apps: Any, bureaus: dict[str, Any], users: dict[str, Any], subjects: dict[str, Any]
) -> dict[str, Any]:
    BadRecord = apps.get_model("records", "BadRecord")
    xihu, filer, reviewer = bureaus["xihu"], users["filer"], users["reviewer"]

    def record(number: int, status: str, **fields: Any) -> Any:
        defaults = {
            "subject_type": "operator",
            "operator": subjects["agency"],
            "subject_name": subjects["agency"].name,
            "subject_name_key": subjects["agency"].name_key,
            "licence_no": "L-ZJ-CJ00001",
            "credit_code": "91330106MA2B3C4D5E",
            "identifier_key": "LZJCJ00001",
            "name_grams": "杭州 州西 西湖",
            "sector": "travel_agency",
            "ground": "G1",
            "cause": "擅自变更旅游行程",
            "penalty_decision": "罚款三万元",
            "basis_type": "penalty_decision",
            "basis_number": f"杭西文旅罚〔2026〕{number}号",
            "basis_number_key": f"杭西文旅罚2026{number}号",
            "basis_issuer": "杭州市西湖区文化和广电旅游体育局",
            "basis_issuer_key": "杭州市西湖区文化和广电旅游体育局",
            "basis_date": TODAY - 40 * DAY,
            "obtained_on": TODAY - 30 * DAY,
            "publish_deadline": TODAY - 23 * DAY,
            "period_years": 3,
            "status": status,
            "filing_bureau": xihu,
            "filed_by": filer,
        }
        return BadRecord.objects.create(**{**defaults, **fields})

    reviewed = {"submitted_at": NOW - 20 * DAY, "reviewed_by": reviewer, "reviewed_at": NOW}
    return {
        "draft": record(1, "draft", internal_note="待补充证据"),
        "submitted": record(
            2,
            "submitted",
            submitted_at=NOW - DAY,
            operator=subjects["hotel"],
            subject_name="西湖宾馆",
            subject_name_key="西湖宾馆",
            licence_no="",
            credit_code="",
            identifier_key="",
            sector="accommodation",
            ground="G2",
        ),
        "published": record(
            3,
            "published",
            public_from=TODAY - 20 * DAY,
            public_until=TODAY + 3 * 365 * DAY,
            version=2,
            **reviewed,
        ),
        "withdrawn": record(
            3, "withdrawn", withdrawn_at=NOW, withdrawal_reason="决定被撤销", **reviewed
        ),
        "archived": record(
            4,
            "archived",
            subject_type="practitioner",
            operator=None,
            practitioner=subjects["guide"],
            subject_name="张导",
            subject_name_key="张导",
            licence_no="",
            credit_code="",
            certificate_no="D-3301-000001",
            identifier_key="D3301000001",
            sector="",
            practitioner_kind="guide",
            ground="G5",
            basis_date=datetime.date(2021, 1, 4),
            obtained_on=datetime.date(2021, 1, 6),
            publish_deadline=datetime.date(2021, 1, 13),
            is_late=True,
            period_years=2,
            public_from=datetime.date(2021, 1, 15),
            public_until=datetime.date(2023, 1, 14),
            archived_at=datetime.datetime(2023, 1, 15, tzinfo=datetime.UTC),
            **reviewed,
        ),
    }


def _record_history(apps: Any, users: dict[str, Any], records: dict[str, Any]) -> None:
    published = records["published"]
    apps.get_model("records", "BadRecordVersion").objects.create(
        record=published,
        version=1,
        data={"subject_name": published.subject_name, "cause": "擅自变更行程"},
        correction_reason="更正违法事实表述",
        corrected_by=users["reviewer"],
    )
    apps.get_model("records", "Evidence").objects.create(
        record=published,
        file=f"evidence/{published.pk}/0123456789abcdef0123456789abcdef.pdf",
        original_name="处罚决定书.pdf",
        content_type="application/pdf",
        size=48213,
        sha256="a" * 64,
        uploaded_by=users["filer"],
    )
    AuditEvent = apps.get_model("records", "AuditEvent")
    AuditEvent.objects.create(
        actor=users["reviewer"],
        action="record_publish",
        object_type="badrecord",
        object_id=str(published.pk),
        record=published,
        before={"status": "submitted"},
        after={"status": "published", "public_from": str(TODAY - 20 * DAY)},
        reason="审核通过",
    )
    AuditEvent.objects.create(
        action="disclosures_expire",
        object_type="badrecord",
        object_id=str(records["archived"].pk),
        record=records["archived"],
        before={"status": "published"},
        after={"status": "archived"},
    )
    AuditEvent.objects.create(
        actor=users["admin"], action="user_create", object_type="user", object_id="fang"
    )
    OutboxJob = apps.get_model("records", "OutboxJob")
    OutboxJob.objects.create(
        name="record_feed_ping", payload={"record_id": published.pk}, available_at=NOW
    )
    OutboxJob.objects.create(
        name="record_feed_ping",
        payload={},
        available_at=NOW,
        status="dead",
        attempts=5,
        last_error="Timeout",
        finished_at=NOW,
    )


def _archive(
    apps: Any, bureaus: dict[str, Any], users: dict[str, Any], records: dict[str, Any]
) -> None:
    party = users["party"]
    apps.get_model("publication", "InterestedParty").objects.create(
        user=party, full_name="潘晓", email_verified_at=NOW - 30 * DAY
    )
    LoginThrottle = apps.get_model("publication", "LoginThrottle")
    LoginThrottle.objects.create(key="b" * 64, failures=3)
    LoginThrottle.objects.create(key="c" * 64, failures=5, locked_until=NOW + DAY)

    ArchiveRequest = apps.get_model("publication", "ArchiveRequest")
    fields = {
        "requester": party,
        "subject_name": "张导",
        "subject_name_key": "张导",
        "identifier_kind": "certificate_no",
        "identifier": "D-3301-000001",
        "relationship": "tourist",
        "explanation": "2020年随团出游",
        "bureau": bureaus["xihu"],
        "filed_on": TODAY - 10 * DAY,
        "deadline": TODAY + 5 * DAY,
    }
    approved = ArchiveRequest.objects.create(
        **fields,
        status="approved",
        decided_by=users["archivist"],
        decided_at=NOW - 2 * DAY,
        decision_reasons="利害关系成立",
        decision_emailed_at=NOW - 2 * DAY,
        access_from=TODAY - 2 * DAY,
        access_until=TODAY + 28 * DAY,
    )
    pending = ArchiveRequest.objects.create(
        **{**fields, "identifier_kind": "identity_number", "identifier": "330106198001010012"},
        reminded_on=TODAY,
    )
    ProofFile = apps.get_model("publication", "ProofFile")
    for request, name in ((approved, "合同.pdf"), (pending, "行程单.jpg")):
        ProofFile.objects.create(
            archive_request=request,
            file=f"proof/{request.pk}/fedcba9876543210fedcba9876543210.pdf",
            original_name=name,
            content_type="application/pdf",
            size=1024,
            sha256="d" * 64,
        )
    apps.get_model("publication", "ArchiveAccessLog").objects.create(
        user=party, archive_request=approved, record=records["archived"]
    )


def _licensing(apps: Any, bureaus: dict[str, Any], users: dict[str, Any]) -> None:
    xihu, officer = bureaus["xihu"], users["officer"]
    CheckBatch = apps.get_model("licensing", "CheckBatch")
    batch = CheckBatch.objects.create(
        bureau=xihu,
        officer=officer,
        file_name="申请人清单.xlsx",
        rows=[{"applicant_name": "西湖宾馆", "identity_number": ""}],
        row_errors=[{"row": 3, "error": "缺少名称"}],
        total=2,
        processed=1,
        status="running",
    )
    CheckBatchPart = apps.get_model("licensing", "CheckBatchPart")
    CheckBatchPart.objects.create(batch=batch, first=0, last=1, processed=1, status="done")
    CheckBatchPart.objects.create(batch=batch, first=1, last=2, claimed_until=NOW + DAY)

    # Applicant checks and conclusions refuse UPDATE (and DELETE on PostgreSQL) by trigger:
    # each is written with one INSERT and never touched again.
    ApplicantCheck = apps.get_model("licensing", "ApplicantCheck")
    common = {
        "bureau": xihu,
        "officer": officer,
        "application_type": "travel_agency_licence",
        "application_ref": "浙文旅许〔2026〕18号",
        "applicant_kind": "operator",
    }
    listed = ApplicantCheck.objects.create(
        **common,
        number="LC-330106-2026-000001",
        verification_code="K7Q2M9X4",
        source="web",
        applicant_name="杭州西湖国际旅行社有限公司",
        credit_code="91330106MA2B3C4D5E",
        legal_representative="王伟",
        principal_persons=[{"name": "张导", "identity_masked": "330106********0012"}],
        verdict="listed",
        matches=[{"reference": "TR00000003", "ground": "G1"}],
        archived=[{"reference": "TR00000005"}],
        connected=[],
    )
    ApplicantCheck.objects.create(
        **{**common, "applicant_kind": "person", "application_type": "guide_certificate"},
        number="LC-330106-2026-000002",
        verification_code="P3W8N1Z6",
        source="batch",
        batch=batch,
        batch_row=2,
        applicant_name="李四",
        identity_masked="330106********0034",
        identity_hmac="e" * 64,
        verdict="not_listed",
    )
    apps.get_model("licensing", "CheckConclusion").objects.create(
        applicant_check=listed, conclusion="same", note="信用代码一致", by=officer
    )


def _django_tables(apps: Any, users: dict[str, Any], records: dict[str, Any]) -> None:
    apps.get_model("authtoken", "Token").objects.create(key="f" * 40, user=users["officer"])
    apps.get_model("sessions", "Session").objects.create(
        session_key="s" * 32, session_data="e30:signed", expire_date=NOW + 14 * DAY
    )
    ContentType = apps.get_model("contenttypes", "ContentType")
    apps.get_model("admin", "LogEntry").objects.create(
        action_time=NOW,
        user=users["filer"],
        content_type=ContentType.objects.get(app_label="records", model="badrecord"),
        object_id=str(records["draft"].pk),
        object_repr="TR00000001",
        action_flag=1,
        change_message='[{"added": {}}]',
    )


def old_main_populate(apps: Any) -> None:
    """Fill every table of the old schema; `apps` are its historical models."""
    _assert_role_groups(apps)
    bureaus = _bureaus(apps)
    users = _users(apps, bureaus)
    subjects = _subjects(apps, bureaus)
    records = _records(apps, bureaus, users, subjects)
    _record_history(apps, users, records)
    _archive(apps, bureaus, users, records)
    _licensing(apps, bureaus, users)
    _django_tables(apps, users, records)
