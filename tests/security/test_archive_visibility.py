"""An interested party's archive request (their name, e-mail, proof of interest) and the
archived records granted to them are read on the staff side only by the archive reviewers who
may decide it: those of the addressed bureau and of the bureaus above it. Every other staff
role of those bureaus (filer, reviewer, supervisor, licensing officer, bureau administrator)
finds nothing there: 404, as for a request that does not exist."""

import datetime

import pytest
import time_machine

from archive.services import archive_request_decide
from records.models import RecordStatus
from records.roles import Role
from tests import factories
from tests.archive_helpers import at, file_request
from tests.conftest import client_for, make_user

FILED = datetime.date(2026, 6, 1)
INSIDE = datetime.date(2026, 6, 3)

# Persona -> what each URL answers. Xihu (the addressed bureau) is under Hangzhou.
ALLOWED = {"pan", "archivist", "city_archivist"}
STAFF_WITHOUT_THE_ROLE = ["fang", "rui", "li", "xihu_admin", "su", "national_admin"]
OTHERS = ["qiu", "shang", "bei"]
URLS = ["detail", "records", "proof", "pending_detail", "pending_proof"]


@pytest.fixture
def city_archivist(bureaus):
    """An archive reviewer of the Hangzhou city bureau, above Xihu."""
    return make_user("city_archivist", bureaus["hangzhou"], Role.ARCHIVE_REVIEWER)


@pytest.fixture
def requests_to_xihu(bureaus, fang, archivist, pan):
    agency = factories.operator(region=bureaus["xihu"], name="杭州西湖山水旅行社有限公司")
    factories.record(
        filer=fang,
        subject=agency,
        status=RecordStatus.ARCHIVED,
        basis_date=datetime.date(2023, 2, 20),
        public_from=datetime.date(2023, 3, 1),
    )
    with time_machine.travel(at(FILED), tick=False):
        granted = file_request(
            pan, name=agency.name, identifier=agency.licence_no, bureau=bureaus["xihu"]
        )
        pending = file_request(
            pan, name=agency.name, identifier=agency.licence_no, bureau=bureaus["xihu"]
        )
        archive_request_decide(
            archive_request=granted, by=archivist, approve=True, reasons="购物纠纷当事人"
        )
    return {
        "detail": f"/archive/requests/{granted.pk}/",
        "records": f"/archive/requests/{granted.pk}/records/",
        "proof": f"/archive/requests/{granted.pk}/proof/{granted.proofs.get().pk}/",
        "pending_detail": f"/archive/requests/{pending.pk}/",
        "pending_proof": f"/archive/requests/{pending.pk}/proof/{pending.proofs.get().pk}/",
        "admin_change": f"/admin/archive/archiverequest/{pending.pk}/change/",
    }


@pytest.mark.parametrize("persona", sorted(ALLOWED) + STAFF_WITHOUT_THE_ROLE + OTHERS)
@pytest.mark.parametrize("url_name", URLS)
def test_each_role_opens_an_archive_request_only_if_it_is_the_requester_or_its_reviewer(
    persona, url_name, requests_to_xihu, request, li, su, rui, xihu_admin, national_admin
):
    user = request.getfixturevalue(persona)
    with time_machine.travel(at(INSIDE), tick=False):
        response = client_for(user).get(requests_to_xihu[url_name])
    expected = 200 if persona in ALLOWED else 404
    assert response.status_code == expected, (persona, url_name)


@pytest.mark.parametrize("persona", STAFF_WITHOUT_THE_ROLE)
def test_staff_without_the_archive_role_get_no_request_on_the_admin_side(
    persona, requests_to_xihu, request
):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get(requests_to_xihu["admin_change"]).status_code == 404
    listing = client.get("/admin/archive/archiverequest/")
    assert listing.status_code in (403, 404)
    assert "杭州西湖山水旅行社" not in listing.content.decode()


@pytest.mark.parametrize("persona", ["archivist", "city_archivist"])
def test_archive_reviewers_of_the_bureau_and_above_read_the_granted_records(
    persona, requests_to_xihu, request
):
    user = request.getfixturevalue(persona)
    with time_machine.travel(at(INSIDE), tick=False):
        page = client_for(user).get(requests_to_xihu["records"])
    assert page.status_code == 200
    assert len(page.context["records"]) == 1


def test_a_filer_of_the_addressed_bureau_reads_no_granted_record(requests_to_xihu, fang):
    with time_machine.travel(at(INSIDE), tick=False):
        page = client_for(fang).get(requests_to_xihu["records"])
    assert page.status_code == 404
    assert "杭州西湖山水旅行社" not in page.content.decode()
