"""`manage.py seed_demo`: the demo accounts and records of a local trial (SPEC §9)."""

import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import TestCase, override_settings
from django.utils import timezone, translation

from accounts.two_factor import two_factor_current_code
from demo.seeding import (
    DEMO_ACCOUNTS,
    DEMO_PARTY,
    DEMO_PASSWORD,
    FEATURED_AGENCY,
    FEATURED_LICENCE,
    demo_summary,
)
from kernel import identifiers
from kernel.models import AuditEvent
from kernel.periods import last_public_day
from records.models import (
    BadRecord,
    BadRecordVersion,
    Ground,
    Operator,
    Practitioner,
    PractitionerKind,
    RecordStatus,
    Sector,
    SubjectType,
    User,
)
from records.models.bad_records import GROUNDS_FOR
from records.roles import Role
from tests.test_audit_chain import tamperer
from workdays.working_days import add_working_days


def seed_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (User, BadRecord, Operator, Practitioner, AuditEvent, BadRecordVersion)
    }


class SeededDemoTests(TestCase):
    """The demo is loaded once for the class, on the bureaus of `load_bureaus`."""

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_bureaus", stdout=io.StringIO())
        with override_settings(DEBUG=True), translation.override("en"):
            cls.output = seed_demo()
        cls.today = timezone.localdate()

    def test_the_demo_has_measures_and_leads_in_the_xihu_reviewers_county(self):
        from supervision.models import Lead, SupervisionMeasure

        measures = SupervisionMeasure.objects.filter(bureau__code__in=["330106", "330100"])
        assert measures.count() == 2
        assert measures.rectification_overdue(on=self.today).count() == 1
        leads = Lead.objects.filter(bureau__code="330106")
        assert leads.waiting().count() == 2 and leads.overdue(on=self.today).count() == 1

    def test_the_demo_audit_trail_is_an_intact_hash_chain(self):
        out = io.StringIO()
        call_command("verify_audit_chain", stdout=out)
        assert out.getvalue() == f"{AuditEvent.objects.count()} events checked, chain intact.\n"

    def test_editing_or_deleting_one_demo_audit_event_breaks_the_chain(self):
        event = AuditEvent.objects.filter(action="record_publish").order_by("id")[10]
        tamperings = [
            (
                "UPDATE kernel_auditevent SET after = '{}' WHERE id = %s",
                f"Event #{event.pk} does not match its hash",
            ),
            ("DELETE FROM kernel_auditevent WHERE id = %s", f"Event #{event.pk + 1} does not"),
        ]
        for statement, problem in tamperings:
            with transaction.atomic():
                with tamperer() as cursor:
                    cursor.execute(statement, [event.pk])
                with pytest.raises(CommandError, match=problem):
                    call_command("verify_audit_chain", stdout=io.StringIO())
                transaction.set_rollback(True)

    def test_every_role_has_one_demo_account_in_its_group(self):
        for role in Role:
            accounts = [a for a in DEMO_ACCOUNTS if a.role == role]
            assert accounts, role
            for account in accounts:
                user = User.objects.get(username=account.username)
                assert list(user.groups.values_list("name", flat=True)) == [role.value]
                assert user.is_staff and user.is_active and not user.is_superuser
                assert user.bureau.code == account.bureau_code
                assert user.check_password(DEMO_PASSWORD)

    def test_the_printed_table_names_each_account_its_bureau_and_the_password(self):
        for account in DEMO_ACCOUNTS:
            line = next(line for line in self.output.splitlines() if account.username in line)
            assert f"({account.bureau_code})" in line
            assert DEMO_PASSWORD in line
        assert "浙江省杭州市西湖区 (330106)" in self.output
        assert "local demo only" in self.output

    def test_the_demo_interested_party_is_a_verified_public_account_and_is_printed(self):
        party = User.objects.get(username=DEMO_PARTY)
        assert party.is_active and not party.is_staff and party.bureau is None
        assert not party.groups.exists()
        assert party.interested_party.email_verified_at is not None
        assert party.check_password(DEMO_PASSWORD)
        line = next(line for line in self.output.splitlines() if DEMO_PARTY in line)
        assert DEMO_PASSWORD in line and "/accounts/login/" in line
        name, licence, _region = demo_summary(created=False).archive_example
        assert f"{name} (licence {licence})" in self.output

    def test_the_listed_subject_demo_names_a_public_record_of_the_demo_reviewers_county(self):
        reference, name, licence = demo_summary(created=False).subject_example
        record = BadRecord.objects.public().get(pk=int(reference[2:]))
        assert record.subject_name == name and record.licence_no == licence
        assert record.filing_bureau.code == "330106"
        assert f"record {reference}, licence {licence}" in self.output

    def test_helper_accounts_that_file_other_counties_cannot_log_in(self):
        printed = {a.username for a in DEMO_ACCOUNTS} | {DEMO_PARTY}
        helpers = User.objects.filter(username__startswith="demo-").exclude(username__in=printed)
        assert helpers.exists()
        assert not any(user.has_usable_password() for user in helpers)

    def test_about_two_hundred_records_in_zhejiang_beijing_and_yunnan(self):
        assert 180 <= BadRecord.objects.count() <= 220
        provinces = {
            path.split("/")[1]
            for path in BadRecord.objects.values_list("filing_bureau__path", flat=True)
        }
        assert provinces == {"330000", "110000", "530000"}
        assert BadRecord.objects.filter(filing_bureau__level="county").count() == (
            BadRecord.objects.count()
        )

    def test_every_ground_status_sector_and_kind_of_subject_is_present(self):
        assert set(BadRecord.objects.values_list("ground", flat=True)) == set(Ground.values)
        assert set(BadRecord.objects.values_list("status", flat=True)) == set(RecordStatus.values)
        assert set(
            BadRecord.objects.filter(subject_type=SubjectType.OPERATOR).values_list(
                "operator__sector", flat=True
            )
        ) == set(Sector.values)
        assert set(
            BadRecord.objects.filter(subject_type=SubjectType.PRACTITIONER).values_list(
                "practitioner__kind", flat=True
            )
        ) == set(PractitionerKind.values)

    def test_every_published_ground_and_sector_is_on_the_public_list(self):
        public = BadRecord.objects.public()
        assert set(public.values_list("ground", flat=True)) == set(Ground.values)
        assert set(public.exclude(operator=None).values_list("operator__sector", flat=True)) == set(
            Sector.values
        )

    def test_grounds_fit_their_subjects(self):
        for subject_type, ground in BadRecord.objects.values_list("subject_type", "ground"):
            assert ground in GROUNDS_FOR[subject_type]

    def test_identifiers_are_valid_and_normalised(self):
        for operator in Operator.objects.all():
            assert identifiers.clean_credit_code(operator.credit_code) == operator.credit_code
            if operator.licence_no:
                assert identifiers.clean_licence_no(operator.licence_no) == operator.licence_no
        for person in Practitioner.objects.all():
            number = person.identity_number
            assert identifiers.clean_identity_number(number) == number
            if person.kind == PractitionerKind.GUIDE:
                assert identifiers.clean_guide_certificate_no(person.certificate_no) == (
                    person.certificate_no
                )
        assert Operator.objects.filter(sector=Sector.TRAVEL_AGENCY).exclude(licence_no="").count()

    def test_ended_records_exist_and_are_not_public(self):
        ended = BadRecord.objects.filter(status=RecordStatus.PUBLISHED, public_until__lt=self.today)
        assert ended.count() >= 5
        assert not BadRecord.objects.public().filter(pk__in=ended).exists()

    def test_the_public_list_holds_only_current_published_records(self):
        public = BadRecord.objects.public()
        assert public.count() >= 80
        assert set(public.values_list("status", flat=True)) == {RecordStatus.PUBLISHED}
        assert not public.filter(public_until__lt=self.today).exists()
        assert not public.filter(public_from__gt=self.today).exists()

    def test_the_public_pages_show_the_published_demo_records_and_none_that_ended(self):
        public = set(BadRecord.objects.public().values_list("id", flat=True))
        ended = BadRecord.objects.filter(status=RecordStatus.PUBLISHED, public_until__lt=self.today)
        page = self.client.get("/disclosures/?page_size=100&page=1").content.decode()
        page += self.client.get("/disclosures/?page_size=100&page=2").content.decode()
        shown = {int(ref) for ref in re.findall(r"/disclosures/TR(\d+)", page)}
        assert shown == public
        assert not shown & set(ended.values_list("id", flat=True))
        api = self.client.get("/api/v1/disclosures/?page_size=100").json()
        assert len(api["results"]) == 100 and api["next"]
        assert self.client.get("/disclosures.csv").status_code == 200
        assert self.client.get("/disclosures/feed.atom").status_code == 200
        assert self.client.get("/api/schema/").status_code == 200

    def test_scheduled_records_are_not_public_today_but_are_on_their_first_day(self):
        scheduled = BadRecord.objects.filter(status=RecordStatus.SCHEDULED)
        assert scheduled.exists()
        assert not BadRecord.objects.public().filter(status=RecordStatus.SCHEDULED).exists()
        for record in scheduled:
            assert record.public_from > self.today
            assert BadRecord.objects.public(on=record.public_from).filter(pk=record.pk).exists()

    def test_back_dated_records_keep_the_period_deadline_and_lateness_rules(self):
        disclosed = BadRecord.objects.exclude(public_from=None)
        assert disclosed.filter(public_from__lt=self.today).count() >= 100
        for record in disclosed:
            assert record.public_until == last_public_day(record.public_from, record.period_years)
            assert record.is_late == (record.public_from > record.publish_deadline)
        for record in BadRecord.objects.all():
            assert record.obtained_on >= record.basis_date
            assert record.publish_deadline == add_working_days(
                record.obtained_on, settings.PUBLICATION_DEADLINE_WORKING_DAYS
            )
        assert BadRecord.objects.filter(status=RecordStatus.PUBLISHED, is_late=True).count() >= 5
        archived = BadRecord.objects.filter(status=RecordStatus.ARCHIVED)
        assert not archived.filter(public_until__gte=self.today).exists()

    def test_records_went_through_the_services_with_their_audit_events(self):
        for record in BadRecord.objects.all():
            actions = set(AuditEvent.objects.for_record(record).values_list("action", flat=True))
            assert "record_create" in actions
            if record.status != RecordStatus.DRAFT:
                assert "record_submit" in actions
            if record.public_from:
                assert "record_publish" in actions
        withdrawn = BadRecord.objects.filter(status=RecordStatus.WITHDRAWN)
        assert withdrawn.exists()
        assert all(record.withdrawal_reason for record in withdrawn)
        assert all(
            record.return_comment
            for record in BadRecord.objects.filter(status=RecordStatus.RETURNED)
        )

    def test_each_record_is_filed_in_its_county_and_reviewed_by_someone_else(self):
        for record in BadRecord.objects.select_related("filed_by", "reviewed_by"):
            assert record.filed_by.bureau_id == record.filing_bureau_id
            if record.reviewed_by:
                assert record.reviewed_by != record.filed_by
                assert record.reviewed_by.bureau_id == record.filing_bureau_id

    def test_a_corrected_record_keeps_its_earlier_version(self):
        corrected = BadRecord.objects.filter(version=2)
        assert corrected.exists()
        for record in corrected:
            earlier = BadRecordVersion.objects.get(record=record, version=1)
            assert earlier.data["penalty_decision"] != record.penalty_decision

    def test_the_listed_travel_agency_is_public_under_its_licence_number(self):
        record = BadRecord.objects.public().get(licence_no=FEATURED_LICENCE)
        assert record.subject_name == FEATURED_AGENCY
        assert record.filing_bureau.code == "330106"
        assert (
            BadRecord.objects.public()
            .filter(practitioner__employer__licence_no=FEATURED_LICENCE)
            .exists()
        )

    def test_the_demo_reviewers_have_submissions_waiting(self):
        for username in ("demo-reviewer", "demo-reviewer-beijing", "demo-reviewer-yunnan"):
            bureau = User.objects.get(username=username).bureau
            waiting = BadRecord.objects.filter(filing_bureau=bureau, status=RecordStatus.SUBMITTED)
            assert waiting.exists(), username

    @override_settings(DEBUG=True)
    def test_a_second_run_creates_nothing_and_prints_the_same_accounts(self):
        before = counts()
        output = seed_demo()
        assert counts() == before
        assert "nothing changed" in output
        assert output.splitlines()[1:] == self.output.splitlines()[1:]


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    call_command("load_bureaus", stdout=io.StringIO())
    with pytest.raises(CommandError, match="DEBUG"):
        seed_demo()
    assert not User.objects.exists()
    assert not BadRecord.objects.exists()


@pytest.mark.django_db
def test_seed_demo_runs_without_debug_when_forced(settings):
    settings.DEBUG = False
    call_command("load_bureaus", stdout=io.StringIO())
    output = seed_demo("--force")
    assert "demo-filer" in output
    assert BadRecord.objects.count() >= 180


@pytest.mark.django_db
def test_seed_demo_asks_for_the_bureaus_first(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="load_bureaus"):
        seed_demo()
    assert not User.objects.exists()


def demo_staff_client(client, username: str):
    """A client signed in through the admin's sign-in form, with the code of the
    authenticator the seeding enrolled."""
    account = User.objects.get(username=username)
    response = client.post(
        "/admin/login/",
        {
            "username": username,
            "password": DEMO_PASSWORD,
            "otp_code": two_factor_current_code(account),
        },
    )
    assert response.status_code == 302, username
    return client


class DemoAccountsDoTheirRolesPartTests(TestCase):
    """Each demo account, signed in with the printed password, can do exactly its role's part
    of the intake flow in the admin, and nothing more."""

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_bureaus", stdout=io.StringIO())
        with override_settings(DEBUG=True), translation.override("en"):
            seed_demo()
        xihu = BadRecord.objects.filter(filing_bureau__code="330106")
        cls.draft = xihu.filter(status=RecordStatus.DRAFT, submitted_at=None).first()
        cls.submitted = xihu.filter(status=RecordStatus.SUBMITTED).first()

    def signed_in(self, username: str):
        """One client per account and test: a TOTP code signs in once only."""
        clients = self.__dict__.setdefault("_clients", {})
        if username not in clients:
            clients[username] = demo_staff_client(self.client_class(), username)
        return clients[username]

    def url(self, record: BadRecord, action: str = "") -> str:
        base = f"/admin/records/badrecord/{record.pk}/"
        return base + (f"transition/{action}/" if action else "change/")

    def test_the_demo_filer_drafts_and_submits_but_does_not_publish(self):
        filer = self.signed_in("demo-filer")
        assert filer.get("/admin/records/badrecord/add/").status_code == 200
        assert filer.post(self.url(self.draft, "submit")).status_code == 302
        self.draft.refresh_from_db()
        assert self.draft.status == RecordStatus.SUBMITTED
        assert filer.get(self.url(self.submitted, "publish")).status_code == 403

    def test_the_demo_reviewer_publishes_and_returns_but_does_not_file(self):
        reviewer = self.signed_in("demo-reviewer")
        assert reviewer.get("/admin/records/badrecord/add/").status_code == 403
        assert (
            reviewer.post(self.url(self.submitted, "publish"), {"public_from": ""}).status_code
            == 302
        )
        self.submitted.refresh_from_db()
        assert self.submitted.status == RecordStatus.PUBLISHED

    def test_the_demo_supervisor_reads_her_counties_records_and_changes_nothing(self):
        supervisor = self.signed_in("demo-supervisor")
        assert supervisor.get(self.url(self.submitted)).status_code == 200
        assert supervisor.get("/admin/records/badrecord/add/").status_code == 403
        assert supervisor.get(self.url(self.submitted, "publish")).status_code == 403

    def test_the_other_demo_roles_have_no_part_in_intake(self):
        for username in (
            "demo-licensing",
            "demo-archive",
            "demo-bureau-admin",
            "demo-national-admin",
        ):
            client = self.signed_in(username)
            assert client.get("/admin/records/badrecord/").status_code == 403, username
        assert self.signed_in("demo-bureau-admin").get("/admin/records/user/").status_code == 200
        assert self.signed_in("demo-national-admin").get("/admin/records/user/").status_code == 200

    def test_the_beijing_demo_filer_cannot_see_a_hangzhou_record(self):
        beijing = self.signed_in("demo-filer-beijing")
        assert beijing.get(self.url(self.submitted)).status_code == 404


class DemoArchiveScenarioTests(TestCase):
    """The issue's demo: the demo party files a request about a demo subject with archived
    records, demo-archive approves it, the party reads exactly those records, and the access
    log shows the reading."""

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_bureaus", stdout=io.StringIO())
        with override_settings(DEBUG=True), translation.override("en"):
            seed_demo()

    def test_request_approval_reading_and_access_log(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from archive.models import ArchiveAccessLog, ArchiveRequest
        from records.models import Bureau

        name, licence, _region = demo_summary(created=False).archive_example
        party = self.client_class()
        signed_in = party.post("/accounts/login/", {"login": DEMO_PARTY, "password": DEMO_PASSWORD})
        assert signed_in.status_code == 302
        filed = party.post(
            "/archive/requests/new/",
            {
                "subject_name": name,
                "identifier_kind": "licence_no",
                "identifier": licence,
                "bureau": Bureau.objects.get(code="330106").pk,
                "relationship": "tourist",
                "proofs": [SimpleUploadedFile("contract.pdf", b"%PDF-1.4\n%%EOF\n")],
            },
        )
        assert filed.status_code == 302, filed.context and filed.context["form"].errors
        archive_request = ArchiveRequest.objects.get()
        reviewer = demo_staff_client(self.client_class(), "demo-archive")
        decided = reviewer.post(
            f"/admin/archive/archiverequest/{archive_request.pk}/decide/",
            {"decision": "approve", "reasons": "购物合同纠纷当事人"},
        )
        assert decided.status_code == 302
        page = party.get(f"/archive/requests/{archive_request.pk}/records/")
        expected = set(
            BadRecord.objects.in_archive()
            .filter(licence_no=licence, subject_name=name, filing_bureau__code="330106")
            .values_list("pk", flat=True)
        )
        assert expected
        assert {record.pk for record in page.context["records"]} == expected
        assert set(ArchiveAccessLog.objects.values_list("record_id", flat=True)) == expected
        log = reviewer.get("/admin/archive/archiveaccesslog/")
        assert DEMO_PARTY in log.content.decode()
