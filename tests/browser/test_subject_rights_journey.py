"""A listed agency's manager proves she acts for it, objects to its record and is answered;
later she applies for credit repair and the record leaves the public list. Real Chromium at
1366 and 390 px against the live server (DEBUG off, CSRF on); axe checks each page she and
the reviewer use. E-mails are outbox jobs: the test drains the outbox where the worker
would."""

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from kernel.jobs import outbox_drain
from records.models import BadRecord, RecordStatus
from rights.models import (
    ClaimIdentifier,
    ClaimStatus,
    Objection,
    RepairApplication,
    RequestState,
    SubjectClaim,
)
from tests import factories
from tests.archive_helpers import PDF
from tests.browser.conftest import axe_violations, describe, staff_sign_in, zh, zh_label
from tests.conftest import PASSWORD, make_party
from tests.rights_helpers import verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AGENCY = "杭州西湖山水旅行社有限公司"
LICENCE = "L-ZJ-CJ00088"


@pytest.fixture
def listed(bureaus, fang, rui):
    agency = factories.operator(region=bureaus["xihu"], name=AGENCY, licence_no=LICENCE)
    return factories.record(
        filer=fang,
        subject=agency,
        status=RecordStatus.PUBLISHED,
        public_from=datetime.date(2026, 6, 1),
        basis_date=datetime.date(2026, 5, 20),
        penalty_decision="罚款人民币三万元",
    )


@pytest.fixture
def zhou(db):
    return make_party("zhou")


def sign_in(page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(zh_label("E-mail address or user name")).fill("zhou")
    page.get_by_label(zh_label("Password")).fill(PASSWORD)
    page.locator("main").get_by_role("button", name=zh("Sign in")).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_a_subject_proves_who_it_is_objects_and_is_answered(portal, listed, zhou, rui, tmp_path):
    letter = tmp_path / "授权委托书.pdf"
    letter.write_bytes(PDF)
    subject = portal.new_page()
    sign_in(subject)
    subject.goto("/rights/")
    assert_accessible(subject)
    subject.get_by_role("link", name=zh("Prove you are the subject")).first.click()
    subject.get_by_label(zh_label("Reference of one of your records")).fill(listed.reference)
    subject.get_by_label(zh_label("Type of identifier")).select_option(
        label=zh(str(ClaimIdentifier.LICENCE_NO.label))
    )
    subject.get_by_label(zh_label("Identifier")).fill(LICENCE.lower())
    subject.get_by_label(zh_label("Name of the person acting")).fill("周经理")
    subject.get_by_label(zh_label("Authorisation letter or identity document")).set_input_files(
        letter
    )
    assert_accessible(subject)
    subject.get_by_role("button", name=zh("File the claim")).click()
    expect(subject).to_have_url(re.compile(r"/rights/$"))
    claim = SubjectClaim.objects.get()

    reviewer = portal.new_page()
    staff_sign_in(reviewer, "rui", next_path=f"/admin/rights/subjectclaim/{claim.pk}/change/")
    expect(reviewer.locator("#content-main")).to_contain_text("授权委托书")
    reviewer.get_by_role("link", name=zh("Verify or refuse")).click()
    reviewer.get_by_label(zh("Verified"), exact=True).check()
    reviewer.get_by_label(zh_label("Reasons")).fill("许可证号与授权委托书一致。")
    reviewer.locator("#content-main").get_by_role("button").click()
    expect(reviewer.locator(".messagelist")).to_be_visible()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED

    subject.reload()
    subject.get_by_role("link", name=re.compile(re.escape(listed.reference))).first.click()
    expect(subject).to_have_url(re.compile(rf"/rights/records/{listed.pk}/objection/$"))
    subject.get_by_label(zh_label("Grounds of the objection")).fill("罚款金额有误，应为三千元。")
    subject.get_by_label(zh_label("Proof")).set_input_files(letter)
    assert_accessible(subject)
    subject.get_by_role("button", name=zh("File the objection")).click()
    expect(subject).to_have_url(re.compile(r"/rights/$"))
    objection = Objection.objects.get()

    visitor = portal.new_page()
    visitor.goto(f"/disclosures/{listed.reference}")
    expect(visitor.locator("main")).to_contain_text("异议处理中")
    assert_accessible(visitor)

    reviewer.goto(f"/admin/rights/objection/{objection.pk}/change/")
    reviewer.get_by_role("link", name=zh("Answer"), exact=True).click()
    reviewer.get_by_label(zh("Upheld: correct the record")).check()
    reviewer.get_by_label(zh_label("Reasons")).fill("经核实，罚款金额笔误。")
    reviewer.get_by_label(zh_label("Corrected penalty decision")).fill("罚款人民币三千元")
    reviewer.locator("#content-main").get_by_role("button").click()
    expect(reviewer.locator(".messagelist")).to_be_visible()
    objection.refresh_from_db()
    assert objection.status == RequestState.UPHELD

    subject.reload()
    expect(subject.locator("main")).to_contain_text("经核实，罚款金额笔误。")
    expect(subject.locator("main")).to_contain_text(objection.decided_on.isoformat())
    assert_accessible(subject)
    visitor.reload()
    expect(visitor.locator("main")).to_contain_text("罚款人民币三千元")
    expect(visitor.locator("main")).not_to_contain_text("异议处理中")

    outbox_drain()
    assert any("zhou@example.org" in m.to and objection.reference in m.subject for m in mail.outbox)

    visitor.goto("/rights/statistics/")
    expect(visitor.locator("main table")).to_contain_text("1")
    assert_accessible(visitor)


def test_a_subject_applies_for_repair_and_the_record_leaves_the_list(
    portal, listed, zhou, rui, tmp_path
):
    verified(zhou, listed, rui)
    receipt = tmp_path / "缴款凭证.pdf"
    receipt.write_bytes(PDF)
    subject = portal.new_page()
    sign_in(subject)
    subject.goto(f"/rights/records/{listed.pk}/repair/")
    subject.get_by_label(zh_label("Rectification")).fill("罚款已缴纳，整改已通过验收。")
    subject.get_by_label(zh_label("Proof of rectification")).set_input_files(receipt)
    assert_accessible(subject)
    subject.get_by_role("button", name=zh("Apply")).click()
    expect(subject).to_have_url(re.compile(r"/rights/$"))
    application = RepairApplication.objects.get()

    reviewer = portal.new_page()
    staff_sign_in(
        reviewer, "rui", next_path=f"/admin/rights/repairapplication/{application.pk}/change/"
    )
    reviewer.get_by_role("link", name=zh("Approve or reject")).click()
    assert_accessible(reviewer)
    reviewer.get_by_label(zh("Approve: the record leaves the list")).check()
    reviewer.get_by_label(zh_label("Reasons")).fill("整改到位，准予修复。")
    reviewer.locator("#content-main").get_by_role("button").click()
    expect(reviewer.locator(".messagelist")).to_be_visible()

    listed.refresh_from_db()
    assert listed.status == RecordStatus.ARCHIVED and listed.end_reason == "repaired"
    assert not BadRecord.objects.public().filter(pk=listed.pk).exists()
    visitor = portal.new_page()
    response = visitor.goto(f"/disclosures/{listed.reference}")
    assert response is not None and response.status == 404
    visitor.goto("/disclosures/")
    expect(visitor.locator("main")).not_to_contain_text(AGENCY)

    subject.reload()
    expect(subject.locator("main")).to_contain_text("整改到位，准予修复。")
    expect(subject.locator("main")).to_contain_text(zh("Approved: the record left the list"))
    assert_accessible(subject)


def test_a_reviewer_prints_the_notice_letter_and_records_the_notice(portal, listed, rui, tmp_path):
    receipt = tmp_path / "挂号信回执.pdf"
    receipt.write_bytes(PDF)
    reviewer = portal.new_page()
    staff_sign_in(reviewer, "rui", next_path="/admin/rights/notice/missing/?overdue=1")
    expect(reviewer.locator("#content-main")).to_contain_text(listed.reference)
    assert_accessible(reviewer)
    reviewer.get_by_role("link", name=zh("Notice letter")).click()
    expect(reviewer.locator("h1")).to_have_text("旅游经营服务不良信息公布告知书")
    expect(reviewer.locator("main")).to_contain_text("罚款人民币三万元")
    assert_accessible(reviewer)
    reviewer.go_back()
    reviewer.get_by_role("link", name=zh("Record the notice")).click()
    reviewer.get_by_label(zh_label("Method")).select_option("post")
    reviewer.get_by_label(zh_label("Served on")).fill("2026-06-03")
    reviewer.get_by_label(zh_label("Proof of notice")).set_input_files(receipt)
    assert_accessible(reviewer)
    reviewer.get_by_role("button", name=zh("Record the notice")).click()
    expect(reviewer.locator(".messagelist")).to_be_visible()
    assert listed.notices.get().proofs.count() == 1
