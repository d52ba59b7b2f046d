"""Applicant checks through the officer pages: verdicts, the information section, conclusions,
the printed record, the public /verify/ page, immutability and who may do what."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from kernel.models import AuditEvent
from licensing.models import ApplicantCheck, CheckConclusion
from records.models import RecordStatus
from tests import factories
from tests.conftest import client_for

TODAY = datetime.date(2026, 11, 27)
NOON = datetime.datetime(2026, 11, 27, 4, 0, tzinfo=datetime.UTC)  # 12:00 in Shanghai


@pytest.fixture(autouse=True)
def fixed_clock():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture(autouse=True)
def empty_throttle_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def agency(bureaus, fang):
    """A travel agency on the public list since 45 days ago, filed in Xihu."""
    operator = factories.operator(
        region=bureaus["xihu"], name="杭州西湖国际旅行社有限公司", licence_no="L-ZJ-CJ00001"
    )
    factories.record(
        filer=fang,
        subject=operator,
        status=RecordStatus.PUBLISHED,
        basis_date=TODAY - datetime.timedelta(days=50),
        public_from=TODAY - datetime.timedelta(days=45),
    )
    return operator


@pytest.fixture
def guide(bureaus, fang, agency):
    person = factories.practitioner(
        region=bureaus["xihu"], name="陈晓峰", certificate_no="D-3301-008817", employer=agency
    )
    factories.record(
        filer=fang,
        subject=person,
        status=RecordStatus.PUBLISHED,
        basis_date=TODAY - datetime.timedelta(days=40),
        public_from=TODAY - datetime.timedelta(days=38),
    )
    return person


def company(**fields):
    return {
        "applicant_kind": "operator",
        "name": "",
        "application_type": "travel_agency_licence",
        "application_ref": "浙文旅许〔2026〕001号",
        **fields,
    }


def person(**fields):
    return {
        "applicant_kind": "person",
        "name": "",
        "application_type": "guide_certificate",
        "application_ref": "导证2026-001",
        **fields,
    }


def run_check(user, data):
    response = client_for(user).post("/licensing/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ApplicantCheck.objects.get(number=response.url.split("/")[-2])


def test_full_width_traditional_name_of_a_listed_company_is_listed(li, agency):
    check = run_check(li, company(name="杭州西湖國際旅行社（有限公司）"))
    assert check.verdict == "listed"
    assert check.matches[0]["reasons"] == ["name_same_normalised"]
    page = client_for(li).get(f"/licensing/checks/{check.number}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "杭州西湖国际旅行社有限公司" in page.content.decode()


def test_a_full_width_licence_number_alone_is_enough(li, agency):
    check = run_check(li, company(name="某某公司", licence_no="Ｌ－ＺＪ－ＣＪ００００１"))
    assert check.verdict == "listed"
    assert "licence_no_same" in check.matches[0]["reasons"]


def test_a_similar_company_name_is_a_possible_match_with_its_score(li, agency):
    check = run_check(li, company(name="杭州西湖国旅旅行社有限公司"))
    assert check.verdict == "possible_match"
    assert 80 <= check.matches[0]["score"] < 95
    assert check.matches[0]["reasons"] == ["name_similar"]


def test_a_same_name_with_another_credit_code_is_only_a_possible_match(li, agency):
    other_code = factories.credit_code(999)
    check = run_check(li, company(name="杭州西湖国际旅行社有限公司", credit_code=other_code))
    assert check.verdict == "possible_match"
    assert "credit_code_differs" in check.matches[0]["reasons"]


def test_an_unrelated_company_is_not_listed(li, agency):
    assert run_check(li, company(name="宁波海纳文化娱乐有限公司")).verdict == "not_listed"


def test_a_guide_is_listed_by_certificate_number(li, guide):
    check = run_check(li, person(name="陈晓峰", certificate_no="d-3301-008817"))
    assert check.verdict == "listed"


def test_a_person_is_listed_by_identity_number_and_it_is_never_stored_in_full(li, guide):
    check = run_check(li, person(name="陳曉峰", identity_number=guide.identity_number))
    assert check.verdict == "listed"
    assert check.identity_masked == guide.identity_number_masked
    stored = ApplicantCheck.objects.filter(pk=check.pk).values().get()
    assert guide.identity_number not in str(stored)
    assert guide.identity_number not in str(list(AuditEvent.objects.values()))


def test_a_person_of_the_same_name_is_a_possible_match_not_listed(li, guide):
    check = run_check(li, person(name="陳曉峰"))
    assert check.verdict == "possible_match"


def test_a_person_with_another_identity_number_is_not_the_listed_person(li, guide):
    other = factories.identity_number(77, birth="19900101")
    assert run_check(li, person(name="陈晓峰", identity_number=other)).verdict == "not_listed"


def test_two_character_names_are_matched_on_the_database(li, fang, bureaus):
    zhang = factories.practitioner(region=bureaus["xihu"], name="张伟")
    factories.record(filer=fang, subject=zhang, status=RecordStatus.PUBLISHED, public_from=TODAY)
    assert run_check(li, person(name="張偉")).verdict == "possible_match"
    assert run_check(li, person(name="张卫")).verdict == "not_listed"


def test_a_record_is_listed_on_its_last_public_day_and_archived_information_after(
    li, fang, bureaus
):
    operator = factories.operator(region=bureaus["xihu"], name="杭州山水旅行社有限公司")
    record = factories.record(
        filer=fang, subject=operator, status=RecordStatus.PUBLISHED, public_from=TODAY
    )
    record.public_until = TODAY
    record.save()
    assert run_check(li, company(name="杭州山水旅行社有限公司")).verdict == "listed"
    with time_machine.travel(NOON + datetime.timedelta(days=1), tick=False):
        check = run_check(li, company(name="杭州山水旅行社有限公司"))
    assert check.verdict == "not_listed"
    assert [m["record"] for m in check.archived] == [record.reference]


def test_archived_records_show_only_within_the_officers_jurisdiction(li, bei, bureaus):
    beijing_firm = factories.operator(region=bureaus["dongcheng"], name="北京长风旅行社有限公司")
    factories.record(
        filer=bei,
        subject=beijing_firm,
        status=RecordStatus.ARCHIVED,
        public_from=TODAY.replace(year=2023),
    )
    check = run_check(li, company(name="北京长风旅行社有限公司"))
    assert check.verdict == "not_listed"
    assert check.archived == []


def test_a_listed_legal_representative_is_shown_apart_from_the_verdict(li, fang, bureaus):
    boss = factories.practitioner(region=bureaus["xihu"], name="周志远", kind="principal")
    factories.record(
        filer=fang, subject=boss, ground="G4", status=RecordStatus.PUBLISHED, public_from=TODAY
    )
    check = run_check(
        li,
        company(
            name="杭州新开旅行社有限公司",
            legal_representative="周志远",
            principal_persons="王五\n周志远 " + boss.identity_number,
        ),
    )
    assert check.verdict == "not_listed"
    assert [m["role"] for m in check.connected] == ["legal_representative", "principal_person"]
    assert check.principal_persons[1]["identity_masked"] == boss.identity_number_masked
    page = client_for(li).get(f"/licensing/checks/{check.number}/").content.decode()
    assert boss.identity_number not in page


def test_bad_input_names_each_field_and_saves_nothing(li):
    response = client_for(li).post(
        "/licensing/",
        person(name="", identity_number="110101199003078888", application_ref=""),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "identity_number", "application_ref"}
    assert not ApplicantCheck.objects.exists()


def test_the_officer_records_a_conclusion_that_is_appended(li, agency):
    check = run_check(li, company(name="杭州西湖國際旅行社"))
    client = client_for(li)
    refused = client.post(
        f"/licensing/checks/{check.number}/conclusion/", {"conclusion": "not_same", "note": ""}
    )
    assert refused.status_code == 400
    client.post(f"/licensing/checks/{check.number}/conclusion/", {"conclusion": "same"})
    client.post(
        f"/licensing/checks/{check.number}/conclusion/",
        {"conclusion": "follow_up", "note": "营业执照地址待核实"},
    )
    assert list(check.conclusions.values_list("conclusion", flat=True)) == ["follow_up", "same"]
    check.refresh_from_db()
    assert check.verdict == "listed"


def test_a_check_cannot_be_changed_in_the_database(li, agency):
    check = run_check(li, company(name="杭州西湖国际旅行社"))
    with pytest.raises(DatabaseError), transaction.atomic():
        ApplicantCheck.objects.filter(pk=check.pk).update(verdict="not_listed")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            ApplicantCheck.objects.filter(pk=check.pk).delete()
    assert ApplicantCheck.objects.get(pk=check.pk).verdict == "listed"


def test_the_admin_shows_checks_read_only(li, agency):
    check = run_check(li, company(name="杭州西湖国际旅行社"))
    client = client_for(li)
    assert client.get("/admin/licensing/applicantcheck/").status_code == 200
    page = client.get(f"/admin/licensing/applicantcheck/{check.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.get(f"/admin/licensing/applicantcheck/{check.pk}/delete/").status_code == 403


def test_the_printed_record_carries_number_code_and_verdict(li, agency):
    check = run_check(li, company(name="杭州西湖国际旅行社"))
    page = client_for(li).get(f"/licensing/checks/{check.number}/print/").content.decode()
    assert check.number in page and check.verification_code in page
    assert "licensing.css" in page


def test_verify_confirms_a_check_with_its_number_and_code(li, agency, guide):
    check = run_check(li, person(name="陈晓峰", identity_number=guide.identity_number))
    page = client_for(None).post(
        "/verify/", {"number": check.number.lower(), "code": check.verification_code.lower()}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "陈晓峰" in text and check.bureau.name in text
    assert guide.identity_number not in text and guide.identity_number_masked not in text
    assert guide.certificate_no not in text


def test_verify_answers_the_same_for_a_wrong_code_and_a_wrong_number(li, agency):
    check = run_check(li, company(name="杭州西湖国际旅行社"))
    client = client_for(None)
    wrong_code = client.post("/verify/", {"number": check.number, "code": "AAAAAAAAAA"})
    wrong_number = client.post("/verify/", {"number": "LC20260101-AAAAAA", "code": "X"})
    assert wrong_code.status_code == wrong_number.status_code == 404
    assert check.applicant_name not in wrong_code.content.decode()

    def answer(response):
        main = response.content.decode().split('role="alert">')[1]
        return main.split("</p>")[0]

    assert answer(wrong_code) == answer(wrong_number)


def test_verify_is_throttled(li, agency, settings):
    client = client_for(None)
    statuses = [
        client.post("/verify/", {"number": "X", "code": "Y"}).status_code for _ in range(21)
    ]
    assert statuses[:20] == [404] * 20
    assert statuses[20] == 429


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("li", 200),
        ("xihu_admin", 200),
        ("national_admin", 200),
        ("fang", 403),
        ("rui", 403),
        ("su", 403),
        ("archivist", 403),
        ("stranger", 403),
    ],
)
def test_only_licensing_officers_and_administrators_open_the_check_page(
    db, request, persona, expected
):
    user = request.getfixturevalue(persona)
    assert client_for(user).get("/licensing/").status_code == expected
    assert client_for(user).get("/licensing/batches/").status_code == expected


def test_an_anonymous_visitor_is_sent_to_sign_in():
    response = client_for(None).get("/licensing/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/?next=/licensing/")


def test_a_stranger_cannot_post_a_check(stranger, agency):
    response = client_for(stranger).post("/licensing/", company(name="杭州西湖国际旅行社"))
    assert response.status_code == 403
    assert not ApplicantCheck.objects.exists()


def test_an_officer_sees_only_their_bureaus_checks(li, bureaus, agency, xihu_admin, su):
    from records.roles import Role
    from tests.conftest import make_user

    other = make_user("li2", bureaus["shangcheng"], Role.LICENSING_OFFICER)
    city_admin = make_user("hz_admin", bureaus["hangzhou"], Role.BUREAU_ADMIN)
    mine = run_check(li, company(name="杭州西湖国际旅行社"))
    theirs = run_check(other, company(name="杭州西湖国际旅行社"))
    for url in ("/licensing/checks/{}/", "/licensing/checks/{}/print/"):
        assert client_for(li).get(url.format(theirs.number)).status_code == 404
        assert client_for(other).get(url.format(mine.number)).status_code == 404
        assert client_for(city_admin).get(url.format(mine.number)).status_code == 200
        assert client_for(xihu_admin).get(url.format(theirs.number)).status_code == 404
        assert client_for(su).get(url.format(mine.number)).status_code == 403
    listing = client_for(li).get("/licensing/").content.decode()
    assert mine.number in listing and theirs.number not in listing
    assert (
        client_for(li).get(f"/admin/licensing/applicantcheck/{theirs.pk}/change/").status_code
        == 404
    )


def test_only_the_checking_bureau_records_a_conclusion(li, bureaus, agency):
    from records.roles import Role
    from tests.conftest import make_user

    city_admin = make_user("hz_admin", bureaus["hangzhou"], Role.BUREAU_ADMIN)
    check = run_check(li, company(name="杭州西湖国际旅行社"))
    client_for(city_admin).post(
        f"/licensing/checks/{check.number}/conclusion/", {"conclusion": "same"}
    )
    assert not CheckConclusion.objects.exists()


def test_the_check_page_costs_the_same_number_of_queries_for_5_and_30_checks(li, agency):
    client = client_for(li)

    def grow(n):
        for _ in range(n):
            run_check(li, company(name="杭州西湖国际旅行社"))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/licensing/").status_code == 200
        return len(queries)

    grow(5)
    small = count()
    grow(25)
    assert count() == small


def test_the_staff_list_of_checks_finds_a_check_by_number_reference_or_part_of_the_name(li, agency):
    wanted = run_check(li, company(name="Hangzhou ABC 旅游有限公司", application_ref="REF-7731"))
    other = run_check(li, company(name="宁波海港酒店", application_ref="REF-1000"))
    client = client_for(li)

    def numbers(term: str) -> list[str]:
        html = client.get("/admin/licensing/applicantcheck/", {"q": term}).content.decode()
        return [n for n in (wanted.number, other.number) if n in html]

    assert numbers(wanted.number.lower()) == [wanted.number]
    assert numbers("REF-7731") == [wanted.number]
    assert numbers("abc 旅游") == [wanted.number]
    assert numbers("海港") == [other.number]
    assert numbers("不存在") == []
    assert numbers("") == [wanted.number, other.number]
