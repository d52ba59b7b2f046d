"""Fang files a record in the admin with evidence and submits it; Rui, her reviewer, publishes
it; a visitor sees it on the public list; Rui corrects it, then withdraws it, and the visitor
no longer finds it. Three browsers, each with its own session, all through real forms (the
operator is chosen in the admin's autocomplete box, which needs JavaScript)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from records.models import BadRecord, Ground, RecordStatus, SubjectType
from tests import factories
from tests.browser.conftest import staff_sign_in, zh, zh_label

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AGENCY = "杭州西湖国际旅行社有限公司"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def label(field: str) -> re.Pattern:
    """A record field's label as the admin shows it."""
    return zh_label(str(BadRecord._meta.get_field(field).verbose_name))


def open_transition(page, record: BadRecord, title: str) -> None:
    page.goto(f"/admin/records/badrecord/{record.pk}/change/")
    page.get_by_role("link", name=zh(title)).click()
    expect(page).to_have_url(re.compile(r"/transition/"))


@pytest.fixture
def agency(bureaus):
    return factories.operator(region=bureaus["xihu"], name=AGENCY, licence_no="L-ZJ-CJ00001")


def test_a_record_is_filed_submitted_published_corrected_and_withdrawn(
    portal, fang, rui, agency, tmp_path
):
    evidence = tmp_path / "现场检查笔录.pdf"
    evidence.write_bytes(PDF)
    today = timezone.localdate()

    filer = portal.new_page()
    staff_sign_in(filer, "fang", next_path="/admin/records/badrecord/add/")
    filer.get_by_label(zh(str(SubjectType.OPERATOR.label)), exact=True).check()
    filer.locator("#id_operator + .select2").click()
    filer.locator(".select2-search__field").fill("西湖国际")
    filer.get_by_role("option", name=re.compile(AGENCY)).click()
    filer.get_by_label(label("ground")).select_option(Ground.G1.value)
    filer.get_by_label(label("cause")).fill("强迫游客购物，擅自增加购物点")
    filer.get_by_label(label("penalty_decision")).fill("罚款人民币二万元")
    filer.get_by_label(label("basis_type")).select_option("penalty_decision")
    filer.get_by_label(label("basis_number")).fill("杭西文旅罚〔2026〕88号")
    filer.get_by_label(label("basis_issuer")).fill("杭州市西湖区文化和广电旅游体育局")
    filer.get_by_label(label("basis_date")).fill(today.isoformat())
    filer.locator("input[type=file]").first.set_input_files(evidence)
    filer.get_by_role("button", name=zh("Save"), exact=True).click()
    expect(filer.locator(".messagelist")).to_be_visible()

    record = BadRecord.objects.get()
    assert record.status == RecordStatus.DRAFT and record.evidence.count() == 1
    open_transition(filer, record, "Submit for review")
    filer.get_by_role("button", name=zh("Submit for review")).click()
    expect(filer.locator(".messagelist")).to_be_visible()
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED

    reviewer = portal.new_page()
    staff_sign_in(reviewer, "rui")
    open_transition(reviewer, record, "Approve and publish")
    reviewer.get_by_role("button", name=zh("Approve and publish")).click()
    expect(reviewer.locator(".messagelist")).to_be_visible()
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED

    visitor = portal.new_page()
    visitor.goto("/disclosures/")
    visitor.get_by_role("link", name=AGENCY).click()
    expect(visitor).to_have_url(re.compile(rf"/disclosures/{record.reference}$"))
    expect(visitor.locator("dl.record")).to_contain_text("强迫游客购物")
    expect(visitor.locator("main")).not_to_contain_text("现场检查笔录")  # evidence stays private

    open_transition(reviewer, record, "Correct the published record")
    reviewer.get_by_label(label("cause")).fill("擅自变更行程，强迫游客购物")
    reviewer.get_by_label(zh_label("Reason for the correction")).fill("事由表述更正")
    reviewer.get_by_role("button", name=zh("Correct the published record")).click()
    expect(reviewer.locator(".messagelist")).to_be_visible()
    visitor.reload()
    expect(visitor.locator("dl.record")).to_contain_text("擅自变更行程")

    open_transition(reviewer, record, "Withdraw from publication")
    reviewer.get_by_label(zh_label("Reason for the withdrawal")).fill("行政复议撤销原处罚决定")
    reviewer.get_by_role("button", name=zh("Withdraw from publication")).click()
    expect(reviewer.locator(".messagelist")).to_be_visible()
    record.refresh_from_db()
    assert record.status == RecordStatus.WITHDRAWN

    gone = visitor.goto(f"/disclosures/{record.reference}")
    assert gone is not None and gone.status == 404
    visitor.goto("/disclosures/")
    expect(visitor.get_by_text(AGENCY)).to_have_count(0)
