"""What must never be public: a scan of every public page, API response, export and feed for
the identity numbers, internal notes, staff, evidence and hidden records of the test data."""

import datetime

import pytest
from django.core.files.base import ContentFile

from records.models import BadRecord, Evidence, RecordStatus, User
from tests.conftest import client_for
from tests.public_fixtures import IDENTITY_NUMBERS, NOON

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def public_urls(public_list) -> list[str]:
    since = (NOON - datetime.timedelta(days=3650)).isoformat()
    hidden = list(public_list.hidden.values())
    visible = [public_list.agency, public_list.hotel, public_list.beijing, public_list.guide]
    urls = [
        "/", "/disclosures/", "/disclosures/?page_size=100", "/check/", "/statistics/",
        "/disclosures.csv", "/disclosures/feed.atom", "/api/v1/disclosures/?page_size=100",
        f"/api/v1/disclosures/changes/?changed_since={since}", "/api/schema/", "/api/docs/",
    ]  # fmt: skip
    # Searches type a part of each secret only: the search box shows what was typed.
    for record in visible + hidden:
        urls += [
            f"/disclosures/{record.reference}",
            f"/api/v1/disclosures/{record.reference}/",
            f"/disclosures/?q={record.subject_name[1:]}",
            f"/api/v1/disclosures/?q={record.subject_name[1:]}",
            f"/disclosures.csv?q={record.subject_name[1:]}",
            f"/disclosures/?q={record.basis_number}",
        ]
        if record.identifier_no:
            urls.append(f"/check/{record.identifier_no}")
    for number in (n[:-1] for n in IDENTITY_NUMBERS):
        urls += [
            f"/disclosures/?q={number}",
            f"/check/{number}",
            f"/api/v1/disclosures/?q={number}",
        ]
    return urls


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def test_no_public_response_carries_identity_numbers_notes_staff_evidence_or_hidden_records(
    public_list, fang, rui
):
    Evidence.objects.create(
        record=public_list.agency, file=ContentFile(PDF, name="秘密证据-收据.pdf"),
        original_name="秘密证据-收据.pdf", uploaded_by=fang, content_type="application/pdf",
        size=len(PDF), sha256="0" * 64,
    )  # fmt: skip
    secrets = set(IDENTITY_NUMBERS)
    secrets |= {n[:6] + "********" + n[-4:] for n in IDENTITY_NUMBERS}  # not even masked
    secrets |= {r.internal_note for r in BadRecord.objects.exclude(internal_note="")}
    secrets |= {r.subject_name for r in public_list.hidden.values()}
    secrets |= {"秘密证据", "复议撤销"}
    for user in User.objects.all():
        # Short persona usernames (rui, bei) also occur inside random tokens; their e-mail
        # addresses and full names are distinctive.
        secrets |= {user.email} | ({user.username} if len(user.username) >= 5 else set())
        secrets |= {user.get_full_name()} - {""}
        secrets.add(f"{user.last_name}{user.first_name}") if user.last_name else None
    secrets -= {""}
    for url in public_urls(public_list):
        response = client_for(None).get(url)
        assert response.status_code in (200, 400, 404), (url, response.status_code)
        body = body_of(response)
        leaked = sorted(secret for secret in secrets if secret in body)
        assert leaked == [], (url, leaked)


def test_the_scan_would_see_a_leak(public_list):
    """The scan above is only worth something if a leak shows: here the published name of a
    record is one of the hidden ones, and the scan finds it."""
    hidden_name = public_list.hidden["draft"].subject_name
    BadRecord.objects.filter(pk=public_list.agency.pk).update(subject_name=hidden_name)
    assert hidden_name in client_for(None).get("/disclosures/").content.decode()


def test_signed_in_staff_see_the_same_public_pages_as_anyone(public_list, fang):
    anonymous = client_for(None).get("/disclosures/?page_size=100").content.decode()
    staff = client_for(fang).get("/disclosures/?page_size=100").content.decode()
    for record in public_list.hidden.values():
        assert record.subject_name not in staff
    assert staff.count("/disclosures/TR") == anonymous.count("/disclosures/TR")


def test_a_scheduled_record_appears_on_its_first_day(public_list):
    import time_machine

    record = public_list.hidden["not_yet"]
    assert record.status == RecordStatus.SCHEDULED
    tomorrow = datetime.datetime(2026, 11, 28, 0, 0, tzinfo=NOON.tzinfo)
    with time_machine.travel(tomorrow - datetime.timedelta(seconds=1), tick=False):
        assert client_for(None).get(f"/disclosures/{record.reference}").status_code == 404
    with time_machine.travel(tomorrow, tick=False):
        assert client_for(None).get(f"/disclosures/{record.reference}").status_code == 200
