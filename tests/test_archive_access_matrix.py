"""Every archive URL × the people of SPEC §6: anonymous, another party, the granted party,
the granted party after the window, the archive reviewer of the region and staff of another
region. Outside the grant an archive URL answers 404 (the request does not exist for them);
pages that are about no particular request send anonymous visitors to the sign-in page."""

import datetime

import pytest
import time_machine

from archive.models import ArchiveAccessLog
from archive.services import archive_request_decide
from kernel.audit_chain import audit_chain_verify
from kernel.models import AuditEvent
from records.models import RecordStatus
from tests import factories
from tests.archive_helpers import at, file_request
from tests.conftest import client_for

FILED = datetime.date(2026, 6, 1)
APPROVED = datetime.date(2026, 6, 2)
INSIDE = datetime.date(2026, 6, 3)
LAST_DAY = datetime.date(2026, 7, 1)  # approval day + 30 days - 1
PAST = datetime.date(2026, 7, 2)
LOGIN = 302

PERSONAS = ["anonymous", "qiu", "pan", "pan_after_window", "archivist", "bei"]
MATRIX = {
    "list": [LOGIN, 200, 200, 200, 404, 404],
    "new": [LOGIN, 200, 200, 200, 404, 404],
    "detail": [404, 404, 200, 200, 200, 404],
    "records": [404, 404, 200, 404, 200, 404],
    "proof": [404, 404, 200, 200, 200, 404],
    "pending_records": [404, 404, 404, 404, 200, 404],
    "admin_request": [LOGIN, LOGIN, LOGIN, LOGIN, 200, 404],
    "admin_decide": [LOGIN, LOGIN, LOGIN, LOGIN, 200, 404],
    "admin_access_log": [LOGIN, LOGIN, LOGIN, LOGIN, 200, 200],
}


@pytest.fixture
def archive(bureaus, fang, shang, bei, archivist, pan, qiu):
    """One travel agency with records in and out of the archive, in and out of Xihu; Pan's
    approved request about it to Xihu, and a second request still waiting."""
    agency = factories.operator(region=bureaus["xihu"], name="杭州西湖山水旅行社有限公司")
    archived = factories.record(
        filer=fang,
        subject=agency,
        status=RecordStatus.ARCHIVED,
        basis_date=datetime.date(2023, 2, 20),
        public_from=datetime.date(2023, 3, 1),
    )
    ended = factories.record(
        filer=fang,
        subject=agency,
        status=RecordStatus.PUBLISHED,
        basis_date=datetime.date(2024, 4, 25),
        public_from=datetime.date(2024, 5, 1),
    )
    current = factories.record(
        filer=fang,
        subject=agency,
        status=RecordStatus.PUBLISHED,
        basis_date=datetime.date(2026, 3, 2),
        public_from=datetime.date(2026, 3, 5),
    )
    neighbour = factories.record(
        filer=shang,
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
    with time_machine.travel(at(APPROVED), tick=False):
        archive_request_decide(
            archive_request=granted, by=archivist, approve=True, reasons="购物纠纷当事人"
        )
    return {
        "agency": agency,
        "archived": archived,
        "ended": ended,
        "current": current,
        "neighbour": neighbour,
        "granted": granted,
        "pending": pending,
    }


def _urls(archive) -> dict[str, str]:
    granted, pending = archive["granted"], archive["pending"]
    proof = granted.proofs.get()
    return {
        "list": "/archive/requests/",
        "new": "/archive/requests/new/",
        "detail": f"/archive/requests/{granted.pk}/",
        "records": f"/archive/requests/{granted.pk}/records/",
        "proof": f"/archive/requests/{granted.pk}/proof/{proof.pk}/",
        "pending_records": f"/archive/requests/{pending.pk}/records/",
        "admin_request": f"/admin/archive/archiverequest/{pending.pk}/change/",
        "admin_decide": f"/admin/archive/archiverequest/{pending.pk}/decide/",
        "admin_access_log": "/admin/archive/archiveaccesslog/",
    }


@pytest.mark.parametrize("name", list(MATRIX))
def test_every_archive_url_answers_each_persona_as_the_rules_say(name, archive, request):
    url = _urls(archive)[name]
    for persona, expected in zip(PERSONAS, MATRIX[name], strict=True):
        user = None if persona == "anonymous" else request.getfixturevalue(persona.split("_")[0])
        day = PAST if persona == "pan_after_window" else INSIDE
        with time_machine.travel(at(day), tick=False):
            response = client_for(user).get(url)
        assert response.status_code == expected, (persona, url, response.status_code)
        if expected == LOGIN:
            assert "login" in response["Location"], persona


def test_the_granted_party_reads_exactly_the_archived_records_of_the_region(archive, pan):
    with time_machine.travel(at(INSIDE), tick=False):
        page = client_for(pan).get(f"/archive/requests/{archive['granted'].pk}/records/")
    shown = set(page.context["records"])
    assert shown == {archive["archived"], archive["ended"]}
    body = page.content.decode()
    assert archive["archived"].reference in body and archive["ended"].reference in body
    # Still public (not archive), another county's, and internal notes: never shown.
    assert archive["current"].reference not in body
    assert archive["neighbour"].reference not in body
    assert "内部备注" not in body


def test_every_reading_is_logged_with_who_what_and_when(archive, pan, archivist, bei):
    with time_machine.travel(at(INSIDE), tick=False):
        client_for(pan).get(f"/archive/requests/{archive['granted'].pk}/records/")
    log = ArchiveAccessLog.objects.filter(user=pan)
    assert {entry.record for entry in log} == {archive["archived"], archive["ended"]}
    assert all(entry.at.date() == INSIDE for entry in log)
    # The same readings are events of the tamper-evident audit trail.
    reads = AuditEvent.objects.filter(actor=pan, action="archive_record_read")
    assert {event.record_id for event in reads} == {archive["archived"].pk, archive["ended"].pk}
    assert {event.after["archive_request"] for event in reads} == {archive["granted"].pk}
    assert audit_chain_verify().intact
    reviewer_page = client_for(archivist).get("/admin/archive/archiveaccesslog/")
    assert reviewer_page.context["cl"].result_count == 2
    assert archive["archived"].reference in reviewer_page.content.decode()
    other_region = client_for(bei).get("/admin/archive/archiveaccesslog/")
    assert other_region.context["cl"].result_count == 0


def test_access_ends_after_the_last_day_of_the_window(archive, pan):
    url = f"/archive/requests/{archive['granted'].pk}/records/"
    archive["granted"].refresh_from_db()
    assert archive["granted"].access_until == LAST_DAY
    with time_machine.travel(at(LAST_DAY, 23), tick=False):
        assert client_for(pan).get(url).status_code == 200
    with time_machine.travel(at(PAST, 0), tick=False):
        assert client_for(pan).get(url).status_code == 404


def test_the_window_follows_the_configured_number_of_days(archive, pan, archivist, settings):
    settings.ARCHIVE_ACCESS_WINDOW_DAYS = 3
    with time_machine.travel(at(APPROVED), tick=False):
        decided = archive_request_decide(
            archive_request=archive["pending"], by=archivist, approve=True, reasons="同上"
        )
    assert decided.access_until == APPROVED + datetime.timedelta(days=2)


def test_the_archive_reviewer_sees_the_matching_records_before_deciding(archive, archivist):
    page = client_for(archivist).get(
        f"/admin/archive/archiverequest/{archive['pending'].pk}/change/"
    )
    body = page.content.decode()
    assert archive["archived"].reference in body
    assert archive["neighbour"].reference not in body  # filed outside the addressed bureau


def test_staff_of_another_region_do_not_see_the_request_in_the_list(archive, bei, archivist):
    assert client_for(bei).get("/admin/archive/archiverequest/").status_code == 403
    listed = client_for(archivist).get("/admin/archive/archiverequest/")
    assert listed.context["cl"].result_count == 2


def test_a_public_account_cannot_enter_the_admin_even_with_its_password(pan):
    from django.test import Client

    from tests.conftest import PASSWORD

    client = Client()
    response = client.post("/admin/login/?next=/admin/", {"username": "pan", "password": PASSWORD})
    assert response.status_code == 200  # the form again, with an error
    assert client.get("/admin/").status_code == 302


def test_odd_ids_answer_404_not_a_server_error(archive, pan, archivist):
    granted = archive["granted"]
    for user in (pan, archivist):
        client = client_for(user)
        for url in (
            "/archive/requests/99999999999999999999999/",
            "/archive/requests/99999999999999999999999/records/",
            f"/archive/requests/{granted.pk}/proof/99999999999999999999999/",
        ):
            assert client.get(url).status_code == 404, (user, url)
    admin_url = "/admin/archive/archiverequest/99999999999999999999999/decide/"
    assert client_for(archivist).get(admin_url).status_code == 404


def test_the_reviewer_finds_a_request_by_part_of_the_name_in_any_form(archive, archivist):
    client = client_for(archivist)

    def found(term: str) -> int:
        return client.get("/admin/archive/archiverequest/", {"q": term}).context["cl"].result_count

    assert found("西湖山水") == 2
    assert found("西湖山水旅行社") == 2
    assert found("西湖山水旅行社有限公司") == 2
    assert found("山水旅行") == 2
    assert found("西湖 山水") == 2  # spaces typed inside the name
    assert found("東方") == 0
