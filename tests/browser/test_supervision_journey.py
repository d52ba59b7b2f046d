"""Measures and leads in a real browser (CSRF on, DEBUG off), at a desktop and a phone width:
a citizen reports a lead without an account and follows it with the receipt; Rui, the Xihu
reviewer, triages it; Su, the Hangzhou supervisor, logs a rectification order against a Xihu
record and then its follow-up. axe checks every form page on the way."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from records.models import RecordStatus
from supervision.models import Lead, LeadStatus, SupervisionMeasure
from tests import factories
from tests.browser.conftest import axe_violations, describe, staff_sign_in, zh, zh_label

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AGENCY = "杭州西湖快乐旅行社有限公司"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def no_serious_violations(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}:\n{describe(violations)}"


def report_a_lead(portal, tmp_path, *, text: str = "导游强迫游客购物，不购物不让下车。"):
    photo = tmp_path / "收据.pdf"
    photo.write_bytes(PDF)
    citizen = portal.new_page()
    citizen.goto("/")
    citizen.get_by_role("navigation", name=zh("Main")).get_by_role(
        "link", name=zh("Report a lead")
    ).click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text(zh("Report a lead"))
    no_serious_violations(citizen, f"lead form at {portal.viewport.name}")
    # Sent empty first: every required field says what is missing; nothing is saved.
    citizen.get_by_role("button", name=zh("Send the lead")).click()
    expect(citizen.locator(".has-errors")).to_have_count(4)
    assert not Lead.objects.exists()
    no_serious_violations(citizen, f"lead form with errors at {portal.viewport.name}")
    citizen.get_by_label(zh_label("Name of the operator or practitioner")).fill(AGENCY)
    citizen.get_by_label(zh_label("Region where it happened")).select_option(
        label="浙江省 · 杭州市 · 西湖区"
    )
    citizen.get_by_label(zh_label("When it happened")).fill(timezone.localdate().isoformat())
    citizen.get_by_label(zh_label("What happened")).fill(text)
    citizen.get_by_label(zh_label("Attachments (if any)")).set_input_files(photo)
    citizen.get_by_label(zh_label("Your phone number or e-mail address (optional)")).fill(
        "13812345678"
    )
    citizen.get_by_role("button", name=zh("Send the lead")).click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text(zh("Lead received"))
    number = citizen.locator("#receipt-number").inner_text()
    code = citizen.locator("#receipt-code").inner_text()
    return citizen, number, code


def test_a_citizen_reports_a_lead_and_follows_it_with_the_receipt(portal, bureaus, tmp_path):
    citizen, number, code = report_a_lead(portal, tmp_path)
    lead = Lead.objects.get()
    assert lead.number == number and lead.attachments.count() == 1
    citizen.get_by_role("link", name=zh("Follow the lead")).click()
    citizen.get_by_label(zh("Receipt number")).fill(number)
    citizen.get_by_label(zh("Code"), exact=True).fill(code)
    citizen.get_by_role("button", name=zh("Show the status")).click()
    expect(citizen.locator("#lead-status-value")).to_have_text(zh(str(LeadStatus.RECEIVED.label)))
    expect(citizen.locator("main")).not_to_contain_text("13812345678")
    no_serious_violations(citizen, f"lead status at {portal.viewport.name}")
    citizen.get_by_label(zh("Code"), exact=True).fill("WRONGCODE2")
    citizen.get_by_role("button", name=zh("Show the status")).click()
    expect(citizen.get_by_role("alert")).to_have_text(
        zh("No lead with this receipt number and code was found.")
    )


def test_the_reviewer_triages_a_lead_and_the_reporter_reads_the_answer(
    portal, bureaus, rui, tmp_path
):
    citizen, number, code = report_a_lead(portal, tmp_path)
    reviewer = portal.new_page()
    staff_sign_in(reviewer, "rui", next_path="/admin/supervision/lead/?answer=waiting")
    reviewer.get_by_role("link", name=number).click()
    expect(reviewer.locator("main")).to_contain_text("13812345678")  # the handling bureau
    reviewer.get_by_role("link", name=zh("Triage lead %(number)s") % {"number": number}).click()
    no_serious_violations(reviewer, f"triage page at {portal.viewport.name}")
    # Not accepted without a reason: the field says so and nothing changes.
    reviewer.get_by_label(zh("Do not accept")).check()
    reviewer.get_by_role("button", name=zh("Triage lead %(number)s") % {"number": number}).click()
    expect(reviewer.locator(".form-row.errors")).to_have_count(1)
    assert Lead.objects.get().status == LeadStatus.RECEIVED
    reviewer.get_by_label(zh("Accept"), exact=True).check()
    reviewer.get_by_label(zh_label("Answer to the reporter")).fill("已受理，将组织检查。")
    reviewer.get_by_label(zh_label("Internal note")).fill("与去年投诉为同一导游")
    reviewer.get_by_role("button", name=zh("Triage lead %(number)s") % {"number": number}).click()
    expect(reviewer.locator(".messagelist")).to_be_visible()
    assert Lead.objects.get().status == LeadStatus.ACCEPTED

    citizen.goto("/supervision/leads/follow/")
    citizen.get_by_label(zh("Receipt number")).fill(number)
    citizen.get_by_label(zh("Code"), exact=True).fill(code)
    citizen.get_by_role("button", name=zh("Show the status")).click()
    expect(citizen.locator("#lead-status-value")).to_have_text(zh(str(LeadStatus.ACCEPTED.label)))
    expect(citizen.locator("main")).to_contain_text("已受理，将组织检查。")
    expect(citizen.locator("main")).not_to_contain_text("与去年投诉为同一导游")


def test_the_supervisor_logs_a_rectification_order_and_its_follow_up(
    portal, bureaus, fang, su, tmp_path
):
    agency = factories.operator(region=bureaus["xihu"], name=AGENCY)
    record = factories.record(filer=fang, subject=agency, status=RecordStatus.PUBLISHED)
    order = tmp_path / "责令整改通知书.pdf"
    order.write_bytes(PDF)
    today = timezone.localdate()

    supervisor = portal.new_page()
    staff_sign_in(supervisor, "su", next_path="/admin/supervision/supervisionmeasure/")
    supervisor.get_by_role("link", name=zh("Listed but not supervised")).click()
    expect(supervisor.get_by_role("heading", level=1)).to_have_text(zh("Listed but not supervised"))
    supervisor.goto(f"/admin/supervision/supervisionmeasure/add/?records={record.reference}")
    no_serious_violations(supervisor, f"measure form at {portal.viewport.name}")
    supervisor.get_by_label(zh("Rectification order"), exact=True).check()
    supervisor.get_by_label(zh_label("officers")).fill("王强、李明")
    supervisor.get_by_label(zh_label("findings")).fill("未在经营场所公示收费标准")
    supervisor.get_by_label(zh_label("rectification requirements")).fill("十个工作日内公示")
    supervisor.get_by_label(zh_label("due in working days")).fill("10")
    supervisor.locator("input[type=file]").set_input_files(order)
    supervisor.get_by_role("button", name=zh("Save"), exact=True).click()
    expect(supervisor.locator(".messagelist")).to_be_visible()
    measure = SupervisionMeasure.objects.get()
    assert measure.due_on is not None and measure.due_on > today
    assert measure.attachments.count() == 1 and list(measure.records.all()) == [record]

    supervisor.goto(f"/admin/supervision/supervisionmeasure/{measure.pk}/change/")
    title = zh("Record the follow-up of %(ref)s") % {"ref": measure.reference}
    supervisor.get_by_role("link", name=title).click()
    expect(supervisor).to_have_url(re.compile(r"/decide/follow-up/$"))
    no_serious_violations(supervisor, f"follow-up page at {portal.viewport.name}")
    supervisor.get_by_label(zh("Not rectified")).check()
    supervisor.get_by_label(zh_label("Date of the follow-up")).fill(today.isoformat())
    supervisor.get_by_label(zh_label("What the follow-up found")).fill("仍未公示收费标准")
    supervisor.get_by_role("button", name=title).click()
    expect(supervisor.locator(".messagelist")).to_be_visible()
    measure.refresh_from_db()
    assert measure.result == "not_rectified"
