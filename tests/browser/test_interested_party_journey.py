"""A tourist signs up, confirms her e-mail address, asks to read the credit archive about the
agency she dealt with, attaching proof; the Xihu archive reviewer approves in the admin; she
reads the archived record; after the access window she cannot any more. E-mails are outbox
jobs: the test drains the outbox where the worker would and reads the mail Django sent. The
window's end is reached with time_machine, which moves the live server's clock too (it runs
in this process)."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import expect

from archive.models import ArchiveRequest, IdentifierKind, Relationship, RequestStatus
from kernel.jobs import outbox_drain
from records.models import RecordStatus
from tests import factories
from tests.archive_helpers import PDF, at
from tests.browser.conftest import staff_sign_in, zh, zh_label

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AGENCY = "杭州西湖老友旅行社有限公司"
LICENCE = "L-ZJ-CJ00077"
EMAIL = "xu.tourist@example.org"
PASSWORD = "Lakeside-walk-2026"


@pytest.fixture
def archived_record(bureaus, fang):
    """Published in June 2023 for two years: in the archive since June 2025."""
    agency = factories.operator(region=bureaus["xihu"], name=AGENCY, licence_no=LICENCE)
    return factories.record(
        filer=fang,
        subject=agency,
        status=RecordStatus.ARCHIVED,
        public_from=datetime.date(2023, 6, 1),
        basis_date=datetime.date(2023, 5, 25),
        cause="擅自变更行程，降低住宿标准",
    )


def sign_in(page, login: str = EMAIL) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(zh_label("E-mail address or user name")).fill(login)
    page.get_by_label(zh_label("Password")).fill(PASSWORD)
    page.locator("main").get_by_role("button", name=zh("Sign in")).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_an_interested_party_signs_up_requests_is_approved_reads_and_loses_access(
    portal, archivist, archived_record, tmp_path
):
    proof = tmp_path / "旅游合同.pdf"
    proof.write_bytes(PDF)

    party = portal.new_page()
    party.goto("/accounts/signup/")
    party.get_by_label(zh_label("Full name")).fill("许游客")
    party.get_by_label(zh_label("E-mail address")).fill(EMAIL)
    party.get_by_label(zh_label("Password")).fill(PASSWORD)
    party.get_by_label(zh_label("Password again")).fill(PASSWORD)
    party.locator("main").get_by_role("button", name=zh("Sign up")).click()
    expect(party).to_have_url(re.compile(r"/accounts/signup/done/$"))

    assert outbox_drain() >= 1
    (message,) = [m for m in mail.outbox if EMAIL in m.to]
    link = re.search(r"https?://\S+/accounts/verify/\S+/", message.body)
    assert link is not None, message.body
    assert link.group(0).startswith(portal.url)
    party.goto(link.group(0))
    expect(party.get_by_role("heading", level=1)).to_be_visible()

    sign_in(party)
    party.goto("/archive/requests/new/")
    party.get_by_label(zh_label("Name of the operator or practitioner")).fill(AGENCY)
    party.get_by_label(zh_label("Type of identifier")).select_option(
        label=zh(str(IdentifierKind.LICENCE_NO.label))
    )
    party.get_by_label(zh_label("Identifier")).fill("l-zj-cj00077")
    party.get_by_label(zh_label("Region")).select_option(label="浙江省 · 杭州市 · 西湖区")
    party.get_by_label(zh(str(Relationship.TOURIST.label))).check()
    party.get_by_label(zh_label("Proof of your interest")).set_input_files(proof)
    party.get_by_role("button", name=zh("File the request")).click()
    archive_request = ArchiveRequest.objects.get()
    expect(party).to_have_url(re.compile(rf"/archive/requests/{archive_request.pk}/$"))
    expect(party.locator("main")).not_to_contain_text("擅自变更行程")  # nothing shown yet

    reviewer = portal.new_page()
    staff_sign_in(reviewer, "archivist", next_path="/admin/archive/archiverequest/")
    reviewer.get_by_role("link", name=archive_request.reference).click()
    expect(reviewer.locator("#content-main")).to_contain_text("旅游合同")  # the proof file
    expect(reviewer.locator("#content-main")).to_contain_text(archived_record.reference)
    reviewer.get_by_role("link", name=zh("Approve or refuse"), exact=True).click()
    reviewer.get_by_label(zh("Approve"), exact=True).check()
    reviewer.get_by_label(zh_label("Reasons")).fill("申请人为该案旅游合同当事人，予以查阅。")
    reviewer.locator("#content-main").get_by_role("button").click()
    expect(reviewer.locator(".messagelist")).to_be_visible()
    archive_request.refresh_from_db()
    assert archive_request.status == RequestStatus.APPROVED

    outbox_drain()
    assert any(EMAIL in m.to for m in mail.outbox[1:]), "the decision e-mail"

    party.reload()
    party.get_by_role("link", name=zh("Read the archived records")).click()
    expect(party).to_have_url(re.compile(rf"/archive/requests/{archive_request.pk}/records/$"))
    expect(party.locator("main")).to_contain_text(archived_record.reference)
    expect(party.locator("main")).to_contain_text("擅自变更行程")

    day_after = archive_request.access_until + datetime.timedelta(days=1)
    with time_machine.travel(at(day_after, hour=9), tick=True):
        sign_in(party)  # the session of a month ago has expired
        party.goto(f"/archive/requests/{archive_request.pk}/")
        expect(party.locator("main")).to_contain_text(AGENCY)
        expect(party.get_by_role("link", name=zh("Read the archived records"))).to_have_count(0)
        ended = party.goto(f"/archive/requests/{archive_request.pk}/records/")
        assert ended is not None and ended.status == 404
