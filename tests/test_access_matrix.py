"""Every persona against every protected admin URL. A record outside an account's
jurisdiction answers 404 (it does not exist for them); inside it, a role without the right
answers 403; an anonymous or non-staff visitor is sent to the login page."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from intake.models import Import
from records.models import RecordStatus
from records.services.evidence import evidence_add
from rights.services.notices import notice_record
from rights.services.objections import objection_file
from rights.services.repairs import repair_apply
from tests import factories
from tests.archive_helpers import proof
from tests.conftest import client_for, make_party
from tests.rights_helpers import NOW, claim_for, listed_agency, verified

PDF = b"%PDF-1.4\n%%EOF\n"
PERSONAS = [
    "anonymous",
    "stranger",
    "fang",
    "rui",
    "su",
    "shang",
    "bei",
    "li",
    "archivist",
    "xihu_admin",
    "national_admin",
]
LOGIN = 302

# url name → expected status per persona, in PERSONAS order.
MATRIX = {
    "record_list": [LOGIN, LOGIN, 200, 200, 200, 200, 200, 403, 403, 403, 403],
    "record_add": [LOGIN, LOGIN, 200, 403, 403, 200, 200, 403, 403, 403, 403],
    "record_change": [LOGIN, LOGIN, 200, 200, 200, 404, 404, 403, 403, 403, 403],
    "record_publish": [LOGIN, LOGIN, 403, 200, 403, 404, 404, 403, 403, 403, 403],
    "record_submit": [LOGIN, LOGIN, 403, 403, 403, 404, 404, 403, 403, 403, 403],
    # A private file answers 404 to anyone not allowed to read it (kernel.files).
    "record_evidence": [LOGIN, LOGIN, 200, 200, 200, 404, 404, 404, 404, 404, 404],
    "record_delete": [LOGIN, LOGIN, 403, 403, 403, 404, 404, 403, 403, 403, 403],
    "operator_list": [LOGIN, LOGIN, 200, 200, 200, 200, 200, 403, 403, 403, 403],
    "practitioner_change": [LOGIN, LOGIN, 200, 200, 200, 200, 200, 403, 403, 403, 403],
    "user_list": [LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, 200, 200],
    # Accounts outside the account-manager's scope do not exist for them either.
    "xihu_user_change": [LOGIN, LOGIN, 404, 404, 404, 404, 404, 404, 404, 200, 200],
    "beijing_user_change": [LOGIN, LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 200],
    "audit_list": [LOGIN, LOGIN, 200, 200, 200, 200, 200, 403, 403, 200, 200],
    "bureau_list": [LOGIN, LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    # The accountability report (supervision): supervisors and administrators, for their
    # own bureau and the bureaus below it; a bureau above or beside theirs does not exist.
    "accountability_report": [LOGIN, LOGIN, 403, 403, 200, 403, 403, 403, 403, 200, 200],
    "accountability_city": [LOGIN, LOGIN, 403, 403, 200, 403, 403, 403, 403, 404, 200],
    "accountability_beijing": [LOGIN, LOGIN, 403, 403, 404, 403, 403, 403, 403, 404, 200],
    "accountability_print": [LOGIN, LOGIN, 403, 403, 200, 403, 403, 403, 403, 200, 200],
    "accountability_export": [LOGIN, LOGIN, 403, 403, 200, 403, 403, 403, 403, 200, 200],
    # Spreadsheet intake: filers, for their own bureau only (another bureau's import: 404).
    "intake_list": [LOGIN, LOGIN, 200, 403, 403, 200, 200, 403, 403, 403, 403],
    "intake_template": [LOGIN, LOGIN, 200, 403, 403, 200, 200, 403, 403, 403, 403],
    "intake_detail": [LOGIN, LOGIN, 200, 403, 403, 404, 404, 403, 403, 403, 403],
    "intake_evidence": [LOGIN, LOGIN, 200, 403, 403, 404, 404, 403, 403, 403, 403],
}


@pytest.fixture
def world(
    request, bureaus, fang, rui, su, shang, bei, li, archivist, xihu_admin, national_admin, stranger
):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 2, tzinfo=datetime.UTC), tick=False):
        record = factories.record(filer=fang, status=RecordStatus.DRAFT)
        evidence = evidence_add(record=record, by=fang, upload=SimpleUploadedFile("a.pdf", PDF))
    record.status = RecordStatus.SUBMITTED
    record.save(update_fields=["status"])
    guide = factories.practitioner(region=bureaus["xihu"])
    spreadsheet = Import.objects.create(
        bureau=bureaus["xihu"],
        uploaded_by=fang,
        status=Import.Status.CONFIRMED,
        original_name="records.xlsx",
        content_type="application/zip",
        size=1,
        sha256="0" * 64,
    )
    people = {
        "anonymous": None,
        "stranger": stranger,
        "fang": fang,
        "rui": rui,
        "su": su,
        "shang": shang,
        "bei": bei,
        "li": li,
        "archivist": archivist,
        "xihu_admin": xihu_admin,
        "national_admin": national_admin,
    }
    base = f"/admin/records/badrecord/{record.pk}"
    urls = {
        "record_list": "/admin/records/badrecord/",
        "record_add": "/admin/records/badrecord/add/",
        "record_change": f"{base}/change/",
        "record_publish": f"{base}/transition/publish/",
        "record_submit": f"{base}/transition/submit/",
        "record_evidence": f"{base}/evidence/{evidence.pk}/",
        "record_delete": f"{base}/delete/",
        "operator_list": "/admin/records/operator/",
        "practitioner_change": f"/admin/records/practitioner/{guide.pk}/change/",
        "user_list": "/admin/records/user/",
        "xihu_user_change": f"/admin/records/user/{fang.pk}/change/",
        "beijing_user_change": f"/admin/records/user/{bei.pk}/change/",
        "audit_list": "/admin/kernel/auditevent/",
        "bureau_list": "/admin/records/bureau/",
        "accountability_report": "/supervision/accountability/",
        "accountability_city": "/supervision/accountability/?bureau=330100&kind=year&year=2026",
        "accountability_beijing": "/supervision/accountability/?bureau=110000",
        "accountability_print": "/supervision/accountability/print/?kind=month&year=2026&month=3",
        "accountability_export": "/supervision/accountability/report.xlsx",
        "intake_list": "/intake/",
        "intake_template": "/intake/template.xlsx",
        "intake_detail": f"/intake/{spreadsheet.pk}/",
        "intake_evidence": f"/intake/{spreadsheet.pk}/evidence/",
    }
    return people, urls


@pytest.mark.parametrize("url_name", list(MATRIX))
def test_each_persona_gets_exactly_its_roles_access(world, url_name):
    people, urls = world
    got = {}
    for persona in PERSONAS:
        response = client_for(people[persona]).get(urls[url_name])
        got[persona] = response.status_code
    expected = dict(zip(PERSONAS, MATRIX[url_name], strict=True))
    assert got == expected


def test_a_login_redirect_goes_to_the_admin_login_page(world):
    people, urls = world
    response = client_for(people["stranger"]).get(urls["record_change"])
    assert response["Location"].startswith("/admin/login/")


def test_a_county_filer_never_sees_another_countys_record_in_the_list_or_a_search(world, shang):
    people, urls = world
    record_name = client_for(people["fang"]).get(urls["record_list"]).context["cl"].result_list[0]
    for query in ("", f"?q={record_name.subject_name}", f"?q={record_name.basis_number}"):
        response = client_for(shang).get(urls["record_list"] + query)
        assert list(response.context["cl"].result_list) == []


def test_the_city_supervisor_sees_her_counties_records_read_only(world, su):
    people, urls = world
    response = client_for(su).get(urls["record_change"])
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    post = client_for(su).post(urls["record_change"], {"cause": "x"})
    assert post.status_code == 403


def test_identity_numbers_are_shown_in_full_only_to_the_bureau_that_entered_them(world, bureaus):
    people, urls = world
    guide = factories.practitioner(region=bureaus["xihu"])
    url = f"/admin/records/practitioner/{guide.pk}/change/"
    own = client_for(people["fang"]).get(url).content.decode()
    other = client_for(people["shang"]).get(url).content.decode()
    listing = client_for(people["shang"]).get("/admin/records/practitioner/").content.decode()
    masked = guide.identity_number[:6] + "********" + guide.identity_number[-4:]
    assert guide.identity_number in own
    assert guide.identity_number not in other and masked in other
    assert guide.identity_number not in listing and masked in listing


def test_the_national_administrator_renames_a_bureau_and_it_is_audited(
    world, national_admin, bureaus
):
    from kernel.models import AuditEvent

    url = f"/admin/records/bureau/{bureaus['xihu'].pk}/change/"
    response = client_for(national_admin).post(url, {"name": "西湖区（新）"})
    assert response.status_code == 302
    bureaus["xihu"].refresh_from_db()
    assert bureaus["xihu"].name == "西湖区（新）"
    event = AuditEvent.objects.get(action="bureau_rename")
    assert (event.before, event.after) == ({"name": "西湖区"}, {"name": "西湖区（新）"})
    assert client_for(world[0]["fang"]).post(url, {"name": "x"}).status_code == 403


def test_a_subject_saved_twice_at_the_same_moment_gives_a_message_not_a_server_error(
    world, fang, bureaus, monkeypatch
):
    from records.services import subjects

    existing = factories.operator(region=bureaus["xihu"])

    # The form's check passes (as if the other save had not committed yet); the save loses.
    def passes(data, instance=None):
        return {k: data[k] for k in subjects.OPERATOR_FIELDS}

    monkeypatch.setattr(subjects, "operator_clean", passes)
    monkeypatch.setattr("records.forms.operator_clean", passes)
    monkeypatch.setattr(
        "records.models.Operator.validate_constraints", lambda self, exclude=None: None
    )
    page = client_for(fang).get("/admin/records/operator/add/")
    assert page.status_code == 200
    response = client_for(fang).post(
        "/admin/records/operator/add/",
        {
            "name": "同时保存的旅行社",
            "sector": "catering",
            "credit_code": existing.credit_code,
            "licence_no": "",
            "business_address": "",
            "legal_representative": "",
            "region": bureaus["xihu"].pk,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/records/operator/add/"
    from records.models import Operator

    assert Operator.objects.filter(credit_code=existing.credit_code).count() == 1


def test_account_changes_and_password_resets_by_a_bureau_admin_are_audited(world, xihu_admin, fang):
    from kernel.models import AuditEvent

    admin_client = client_for(xihu_admin)
    url = f"/admin/records/user/{fang.pk}/password/"
    response = admin_client.post(
        url,
        {
            "password1": "n3w-Passw0rd-xyz",
            "password2": "n3w-Passw0rd-xyz",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="account_password_set")
    assert (event.actor, event.object_id) == (xihu_admin, str(fang.pk))
    assert "n3w-Passw0rd-xyz" not in str(event.before) + str(event.after)


def test_a_bureau_admin_cannot_move_an_account_to_another_bureau_or_make_a_national_admin(
    world, xihu_admin, bureaus
):
    from django.contrib.auth.models import Group

    from records.models import User

    page = client_for(xihu_admin).get("/admin/records/user/add/")
    bureau_choices = [c[0] for c in page.context["adminform"].form.fields["bureau"].choices if c[0]]
    group_names = {str(g) for g in page.context["adminform"].form.fields["groups"].queryset}
    assert [str(v) for v in bureau_choices] == [str(bureaus["xihu"].pk)]
    assert "national_admin" not in group_names
    national = Group.objects.get(name="national_admin")
    response = client_for(xihu_admin).post(
        "/admin/records/user/add/",
        {
            "username": "sneaky",
            "password1": "Sn3aky-pass-123",
            "password2": "Sn3aky-pass-123",
            "usable_password": "true",
            "bureau": bureaus["beijing"].pk,
            "groups": [national.pk],
            "is_staff": "on",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="sneaky").exists()


def test_the_account_rule_itself_refuses_a_national_role_from_a_bureau_admin(world, xihu_admin):
    from django.core.exceptions import PermissionDenied

    from records.services.accounts import account_check_manageable

    account_check_manageable(by=xihu_admin, bureau_id=xihu_admin.bureau_id, roles=["filer"])
    with pytest.raises(PermissionDenied):
        account_check_manageable(
            by=xihu_admin, bureau_id=xihu_admin.bureau_id, roles=["national_admin"]
        )
    with pytest.raises(PermissionDenied):
        account_check_manageable(by=xihu_admin, bureau_id=xihu_admin.bureau_id + 1, roles=[])


# The subject's rights (rights app).
# Every persona against every URL of the subject's rights (issue 15). A public account acts
# only for a subject it was verified for: for anybody else a subject's page, form or proof
# file does not exist (404). Staff pages follow the admin's rule: outside the account's region
# 404, inside it a role without business there 403, a visitor who is not staff to the login
# page. Zhou is verified for the Xihu agency; Pan is a verified public account that is not.
RIGHTS_PERSONAS = [
    "anonymous",
    "stranger",
    "fang",
    "rui",
    "su",
    "shang",
    "bei",
    "li",
    "archivist",
    "xihu_admin",
    "national_admin",
    "zhou",
    "pan",
]
# The subject's own pages: only a verified public account; its record's forms only for the
# subject it was verified for.
RIGHTS_MATRIX = {
    #                  anon  stran fang rui  su   shang bei  li   arch xadm nadm zhou pan
    "home": [LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200],
    "claim_new": [LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 200],
    "objection_new": [LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 404],
    "repair_new": [LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 200, 404],
    # Proof files: the subject who filed, the publishing bureau's reviewers; 404 for anyone else.
    "claim_proof": [404, 404, 404, 200, 404, 404, 404, 404, 404, 404, 404, 200, 404],
    "objection_proof": [404, 404, 404, 200, 404, 404, 404, 404, 404, 404, 404, 200, 404],
    "repair_proof": [404, 404, 404, 200, 404, 404, 404, 404, 404, 404, 404, 200, 404],
    "statistics": [200] * 13,
    # Staff side. A decision page answers 404 to anyone who may not take the decision
    # (kernel.admin_decisions), as a private file does (kernel.files).
    "claim_list": [LOGIN, LOGIN, 200, 200, 200, 200, 200, 403, 403, 403, 403, LOGIN, LOGIN],
    "claim_change": [LOGIN, LOGIN, 200, 200, 200, 404, 404, 403, 403, 403, 403, LOGIN, LOGIN],
    "claim_decide": [LOGIN, LOGIN, 404, 200, 404, 404, 404, 404, 404, 404, 404, LOGIN, LOGIN],
    "objection_list": [LOGIN, LOGIN, 200, 200, 200, 200, 200, 403, 403, 403, 403, LOGIN, LOGIN],
    "objection_change": [LOGIN, LOGIN, 200, 200, 200, 404, 404, 403, 403, 403, 403, LOGIN, LOGIN],
    "objection_answer": [LOGIN, LOGIN, 404, 200, 404, 404, 404, 404, 404, 404, 404, LOGIN, LOGIN],
    "repair_list": [LOGIN, LOGIN, 200, 200, 200, 200, 200, 403, 403, 403, 403, LOGIN, LOGIN],
    "repair_change": [LOGIN, LOGIN, 200, 200, 200, 404, 404, 403, 403, 403, 403, LOGIN, LOGIN],
    "repair_decide": [LOGIN, LOGIN, 404, 200, 404, 404, 404, 404, 404, 404, 404, LOGIN, LOGIN],
    "notice_list": [LOGIN, LOGIN, 200, 200, 200, 200, 200, 403, 403, 403, 403, LOGIN, LOGIN],
    "notice_missing": [LOGIN, LOGIN, 200, 200, 200, 200, 200, 403, 403, 403, 403, LOGIN, LOGIN],
    "notice_new": [LOGIN, LOGIN, 404, 200, 404, 404, 404, 403, 403, 403, 403, LOGIN, LOGIN],
    "notice_letter": [LOGIN, LOGIN, 200, 200, 200, 404, 404, 403, 403, 403, 403, LOGIN, LOGIN],
    "notice_proof": [LOGIN, LOGIN, 200, 200, 200, 404, 404, 404, 404, 404, 404, LOGIN, LOGIN],
}


@pytest.fixture
def rights_world(
    bureaus, fang, rui, su, shang, bei, li, archivist, xihu_admin, national_admin, stranger
):
    zhou, pan = make_party("zhou"), make_party("pan")
    with time_machine.travel(NOW, tick=False):
        record = listed_agency(fang)
        other = listed_agency(fang)
        claim = verified(zhou, record, rui)
        waiting = claim_for(zhou, other)
        objection = objection_file(by=zhou, record=record, grounds="理由", proofs=[proof()])
        repair = repair_apply(by=zhou, record=record, statement="已整改", proofs=[proof()])
        notice = notice_record(
            by=rui,
            record=record,
            data={"method": "post", "served_on": datetime.date(2026, 6, 2)},
            proofs=[proof()],
        )
    people = {
        "anonymous": None,
        "stranger": stranger,
        "fang": fang,
        "rui": rui,
        "su": su,
        "shang": shang,
        "bei": bei,
        "li": li,
        "archivist": archivist,
        "xihu_admin": xihu_admin,
        "national_admin": national_admin,
        "zhou": zhou,
        "pan": pan,
    }
    admin = "/admin/rights"
    urls = {
        "home": "/rights/",
        "claim_new": "/rights/claims/new/",
        "objection_new": f"/rights/records/{record.pk}/objection/",
        "repair_new": f"/rights/records/{record.pk}/repair/",
        "claim_proof": f"/rights/claims/{claim.pk}/proof/{claim.proofs.get().pk}/",
        "objection_proof": f"/rights/objections/{objection.pk}/proof/{objection.proofs.get().pk}/",
        "repair_proof": f"/rights/repairs/{repair.pk}/proof/{repair.proofs.get().pk}/",
        "statistics": "/rights/statistics/",
        "claim_list": f"{admin}/subjectclaim/",
        "claim_change": f"{admin}/subjectclaim/{waiting.pk}/change/",
        "claim_decide": f"{admin}/subjectclaim/{waiting.pk}/decide/",
        "objection_list": f"{admin}/objection/",
        "objection_change": f"{admin}/objection/{objection.pk}/change/",
        "objection_answer": f"{admin}/objection/{objection.pk}/answer/",
        "repair_list": f"{admin}/repairapplication/",
        "repair_change": f"{admin}/repairapplication/{repair.pk}/change/",
        "repair_decide": f"{admin}/repairapplication/{repair.pk}/decide/",
        "notice_list": f"{admin}/notice/",
        "notice_missing": f"{admin}/notice/missing/",
        "notice_new": f"{admin}/notice/record/{record.pk}/new/",
        "notice_letter": f"{admin}/notice/record/{record.pk}/letter/",
        "notice_proof": f"{admin}/notice/{notice.pk}/proof/{notice.proofs.get().pk}/",
    }
    return people, urls


@pytest.mark.parametrize("url_name", list(RIGHTS_MATRIX))
def test_each_persona_gets_exactly_its_access_to_the_subjects_rights(rights_world, url_name):
    people, urls = rights_world
    got = {}
    with time_machine.travel(NOW, tick=False):
        for persona in RIGHTS_PERSONAS:
            got[persona] = client_for(people[persona]).get(urls[url_name]).status_code
    assert got == dict(zip(RIGHTS_PERSONAS, RIGHTS_MATRIX[url_name], strict=True))


def test_a_public_account_cannot_post_for_a_subject_it_was_not_verified_for(rights_world):
    people, urls = rights_world
    with time_machine.travel(NOW, tick=False):
        for url_name in ("objection_new", "repair_new"):
            response = client_for(people["pan"]).post(
                urls[url_name], {"grounds": "x", "statement": "x", "proofs": [proof()]}
            )
            assert response.status_code == 404
