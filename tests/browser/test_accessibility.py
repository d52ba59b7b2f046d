"""axe-core on every public page, the admin pages staff use daily, the licensing pages and the
API docs: no critical and no serious violation (WCAG 2.1 A and AA rules and axe's best
practices). Public pages are checked at a desktop and a phone width, staff pages at the
desktop width they are used at. A page with a known violation is marked xfail with the rule
named, so that it fails as soon as the page is fixed and the mark can go."""

from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from archive.services import archive_request_decide
from kernel.jobs import outbox_drain
from licensing.inputs import clean_check_input
from licensing.models import ApplicantCheck, CheckSource
from licensing.services.batches import batch_create
from licensing.services.checks import applicant_check
from records.models import RecordStatus
from tests import factories
from tests.archive_helpers import file_request
from tests.browser.conftest import DESKTOP, PHONE, axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass
class Scene:
    """One of everything a page can show, for the pages below to open."""

    record: str  # reference of a public record
    request_id: int  # an approved archive request of Pan's
    pending_id: int  # one waiting for its decision
    check: ApplicantCheck
    batch_id: int
    officer_id: int  # a licensing officer's account, for the account pages


@pytest.fixture
def scene(public_list, pan, li, archivist, bureaus, fang) -> Scene:
    agency = factories.operator(region=bureaus["xihu"], name="杭州西湖老友旅行社有限公司")
    factories.record(
        filer=fang, subject=agency, status=RecordStatus.ARCHIVED,
        public_from=public_list.agency.public_from.replace(year=2023),
    )  # fmt: skip
    request = file_request(
        pan, name=agency.name, identifier=agency.licence_no, bureau=bureaus["xihu"]
    )
    archive_request_decide(archive_request=request, by=archivist, approve=True, reasons="同意")
    pending = file_request(
        pan, name=agency.name, identifier=agency.licence_no, bureau=bureaus["xihu"]
    )
    check = applicant_check(
        by=li,
        data=clean_check_input(
            {
                "applicant_kind": "operator",
                "name": public_list.agency.subject_name,
                "licence_no": public_list.agency.licence_no,
                "application_type": "travel_agency_licence",
                "application_ref": "浙旅许〔2026〕1号",
            }
        ),
        source=CheckSource.WEB,
    )
    batch = batch_create(
        by=li,
        file_name="applicants.csv",
        content=(
            "applicant_kind,name,credit_code,licence_no,identity_number,certificate_no,"
            "application_type,application_ref\n"
            "operator,宁波明天旅行社有限公司,,,,,travel_agency_licence,B-1\n"
            "robot,某某,,,,,other,B-2\n"
        ).encode(),
    )
    outbox_drain()
    return Scene(public_list.agency.reference, request.pk, pending.pk, check, batch.pk, li.pk)


# (page, who signs in, path). Who: None for a signed-out visitor, else a persona fixture.
PAGES = [
    ("home", None, lambda s: "/"),
    ("list", None, lambda s: "/disclosures/?region=330000"),
    ("list-bad-filter", None, lambda s: "/disclosures/?published_from=2026-13-01"),
    ("detail", None, lambda s: f"/disclosures/{s.record}"),
    ("quick-check", None, lambda s: "/check/"),
    ("quick-check-listed", None, lambda s: "/check/L-ZJ-CJ00001"),
    ("quick-check-clear", None, lambda s: "/check/L-ZJ-CJ99999"),
    ("statistics", None, lambda s: "/statistics/"),
    ("statistics-province", None, lambda s: "/statistics/330000/"),
    ("verify", None, lambda s: "/verify/"),
    ("signup", None, lambda s: "/accounts/signup/"),
    ("login", None, lambda s: "/accounts/login/"),
    ("password-reset", None, lambda s: "/accounts/password-reset/"),
    ("api-docs", None, lambda s: "/api/docs/"),
    ("archive-requests", "pan", lambda s: "/archive/requests/"),
    ("archive-request-new", "pan", lambda s: "/archive/requests/new/"),
    ("archive-request", "pan", lambda s: f"/archive/requests/{s.request_id}/"),
    ("archive-records", "pan", lambda s: f"/archive/requests/{s.request_id}/records/"),
    ("admin-login", None, lambda s: "/admin/login/"),
    ("admin-index", "fang", lambda s: "/admin/"),
    ("admin-record-list", "fang", lambda s: "/admin/records/badrecord/"),
    ("admin-record-add", "fang", lambda s: "/admin/records/badrecord/add/"),
    (
        "admin-record-history",
        "rui",
        lambda s: f"/admin/records/badrecord/{int(s.record[2:])}/change/",
    ),
    (
        "admin-record-withdraw",
        "rui",
        lambda s: f"/admin/records/badrecord/{int(s.record[2:])}/transition/withdraw/",
    ),
    ("admin-archive-requests", "archivist", lambda s: "/admin/archive/archiverequest/"),
    (
        "admin-archive-request",
        "archivist",
        lambda s: f"/admin/archive/archiverequest/{s.request_id}/change/",
    ),
    (
        "admin-archive-decision",
        "archivist",
        lambda s: f"/admin/archive/archiverequest/{s.pending_id}/decide/",
    ),
    ("admin-calendar-years", "national_admin", lambda s: "/admin/workdays/calendaryear/"),
    ("admin-calendar-add", "national_admin", lambda s: "/admin/workdays/calendaryear/add/"),
    ("licensing-check-new", "li", lambda s: "/licensing/"),
    ("licensing-check", "li", lambda s: f"/licensing/checks/{s.check.number}/"),
    ("licensing-check-print", "li", lambda s: f"/licensing/checks/{s.check.number}/print/"),
    ("licensing-batches", "li", lambda s: "/licensing/batches/"),
    ("licensing-batch", "li", lambda s: f"/licensing/batches/{s.batch_id}/"),
    ("licensing-tokens", "li", lambda s: "/licensing/tokens/"),
    ("admin-account", "national_admin", lambda s: f"/admin/records/user/{s.officer_id}/change/"),
    (
        "admin-account-two-factor",
        "national_admin",
        lambda s: f"/admin/records/user/{s.officer_id}/two-factor/",
    ),
]

STAFF = ("admin-", "licensing-")
CASES = [
    pytest.param(name, who, path, viewport, id=f"{viewport.name}-{name}")
    for name, who, path in PAGES
    for viewport in ((DESKTOP,) if name.startswith(STAFF) else (DESKTOP, PHONE))
]

# Violations found and not yet fixed, by page: the rules and where.
KNOWN: dict[str, str] = {}


@pytest.mark.parametrize(("name", "who", "path", "viewport"), CASES)
def test_the_page_has_no_critical_or_serious_accessibility_violation(
    request, portal, scene, name, who, path, viewport
):
    if name in KNOWN:
        request.applymarker(pytest.mark.xfail(strict=True, reason=f"issue 11: {KNOWN[name]}"))
    user = request.getfixturevalue(who) if who else None
    page = portal.signed_in_page(user) if user else portal.new_page()
    answer = page.goto(path(scene))
    assert answer is not None and answer.status in (200, 400), (path(scene), answer.status)
    if name == "api-docs":  # drawn by Swagger UI's script
        expect(page.locator(".swagger-ui .info")).to_be_visible()
        page.wait_for_load_state("networkidle")

    violations = axe_violations(page)
    assert not violations, f"{name} at {portal.viewport.name}:\n{describe(violations)}"


def test_the_api_docs_stay_accessible_while_a_visitor_tries_the_api(portal, public_list):
    """Swagger UI draws most of its controls only when an operation is opened: every
    operation open, in "try it out" mode, one call made and the schemas shown."""
    page = portal.new_page()
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info")).to_be_visible()
    for summary in page.locator(".opblock-summary-control").all():
        summary.click()
    for button in page.locator(".try-out__btn").all():
        button.click()
    page.locator(".models-control").click()
    for model in page.locator(".model-box-control").all():
        model.click()
    page.locator(".opblock-get .execute").first.click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_have_text(
        "200"
    )

    violations = axe_violations(page)
    assert not violations, f"api docs at {portal.viewport.name}:\n{describe(violations)}"
