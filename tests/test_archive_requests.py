"""Filing an archive request (SPEC §6): what the form checks, where the request goes, its
deadline in working days, and that nothing about it depends on whether records exist."""

import datetime
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.models import ArchiveRequest, IdentifierKind, RequestStatus
from archive.services import archive_request_file
from kernel.models import AuditEvent
from records.models import BadRecord, RecordStatus
from tests import factories
from tests.archive_helpers import PDF, PNG, at, file_request, proof, request_data
from tests.conftest import client_for, make_party


@pytest.fixture
def agency(bureaus, fang):
    """A travel agency of Xihu with one archived record."""
    subject = factories.operator(region=bureaus["xihu"], name="杭州西湖山水旅行社有限公司")
    factories.record(
        filer=fang,
        subject=subject,
        status=RecordStatus.ARCHIVED,
        basis_date=datetime.date(2023, 2, 20),
        public_from=datetime.date(2023, 3, 1),
    )
    return subject


def _form(name: str, identifier: str, bureau_id: int, **overrides) -> dict:
    return {
        "subject_name": name,
        "identifier_kind": "licence_no",
        "identifier": identifier,
        "bureau": bureau_id,
        "relationship": "tourist",
        "explanation": "",
        "proofs": [SimpleUploadedFile("ticket.pdf", PDF)],
        **overrides,
    }


def test_a_party_files_a_request_through_the_form_and_sees_status_and_deadline(
    pan, bureaus, agency
):
    client = client_for(pan)
    with time_machine.travel(at(datetime.date(2026, 6, 1)), tick=False):
        response = client.post(
            "/archive/requests/new/",
            _form(" 杭州西湖山水旅行社有限公司 ", agency.licence_no.lower(), bureaus["xihu"].pk),
        )
    archive_request = ArchiveRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/archive/requests/{archive_request.pk}/"
    assert archive_request.subject_name == "杭州西湖山水旅行社有限公司"
    assert archive_request.identifier == agency.licence_no  # normalised
    assert archive_request.bureau == bureaus["xihu"]
    assert archive_request.status == RequestStatus.SUBMITTED
    assert archive_request.proofs.get().content_type == "application/pdf"
    page = client.get(response["Location"]).content.decode()
    assert "2026-06-23" in page  # 15 working days after 2026-06-01, Dragon Boat on 06-19
    assert AuditEvent.objects.filter(action="archive_request_file").count() == 1


def test_the_deadline_counts_fifteen_working_days_across_the_national_day_holiday(pan, bureaus):
    # Filed Monday 28 September 2026: 29, 30 Sept; 1–7 Oct are holidays; 10 Oct (Saturday)
    # is an adjusted working day. Monday to Friday alone would give 19 October.
    with time_machine.travel(at(datetime.date(2026, 9, 28)), tick=False):
        archive_request = file_request(
            pan, name="某旅行社", identifier="L-ZJ-CJ00077", bureau=bureaus["xihu"]
        )
    assert archive_request.deadline == datetime.date(2026, 10, 23)


def test_the_deadline_follows_the_configured_number_of_working_days(pan, bureaus, settings):
    settings.ARCHIVE_REQUEST_DEADLINE_WORKING_DAYS = 1
    with time_machine.travel(at(datetime.date(2026, 9, 30)), tick=False):
        archive_request = file_request(
            pan, name="某旅行社", identifier="L-ZJ-CJ00077", bureau=bureaus["xihu"]
        )
    assert archive_request.deadline == datetime.date(2026, 10, 8)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"subject_name": "  "}, "subject_name"),
        ({"identifier_kind": "credit_code", "identifier": "91330106MA0000000X"}, "identifier"),
        ({"identifier_kind": "identity_number", "identifier": "33010619850412001X"}, "identifier"),
        ({"identifier": "ABC"}, "identifier"),
        ({"relationship": "other", "explanation": ""}, "explanation"),
        ({"relationship": "cousin"}, "relationship"),
        ({"bureau": None}, "bureau"),
    ],
)
def test_a_bad_field_is_named_and_nothing_is_saved(pan, bureaus, overrides, field):
    data = request_data(name="某旅行社", identifier="L-ZJ-CJ00077", bureau=bureaus["xihu"])
    data.update(overrides)
    with pytest.raises(ValidationError) as error:
        archive_request_file(by=pan, data=data, proofs=[proof()])
    assert field in error.value.error_dict
    assert not ArchiveRequest.objects.exists()


def test_proof_files_are_judged_by_their_content_and_size(pan, bureaus, settings):
    data = request_data(name="某旅行社", identifier="L-ZJ-CJ00077", bureau=bureaus["xihu"])
    renamed_script = SimpleUploadedFile("proof.pdf", b"#!/bin/sh\necho hi\n")
    with pytest.raises(ValidationError) as error:
        archive_request_file(by=pan, data=data, proofs=[renamed_script])
    assert "PDF, JPEG or PNG" in str(error.value.error_dict["proofs"])
    settings.UPLOAD_MAX_BYTES = 50
    with pytest.raises(ValidationError) as error:
        archive_request_file(by=pan, data=data, proofs=[proof(content=PDF + b" " * 60)])
    assert "limit" in str(error.value.error_dict["proofs"])
    with pytest.raises(ValidationError) as error:
        archive_request_file(by=pan, data=data, proofs=[])
    assert "proofs" in error.value.error_dict
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    filed = archive_request_file(by=pan, data=data, proofs=[proof("id.png", PNG)])
    assert filed.proofs.get().content_type == "image/png"


def test_a_form_with_errors_shows_them_in_the_page_without_a_server_error(pan, bureaus):
    response = client_for(pan).post(
        "/archive/requests/new/",
        _form("某旅行社", "not a licence", bureaus["xihu"].pk, proofs=[]),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"identifier", "proofs"}
    assert not ArchiveRequest.objects.exists()


def test_only_verified_public_accounts_file_requests(bureaus, archivist, db):
    unverified = make_party("wei", verified=False)
    data = request_data(name="某旅行社", identifier="L-ZJ-CJ00077", bureau=bureaus["xihu"])
    for user in (unverified, archivist):
        with pytest.raises(PermissionDenied):
            archive_request_file(by=user, data=data, proofs=[proof()])


def test_identity_numbers_are_masked_on_the_request_page_and_in_the_audit_trail(pan, bureaus):
    number = factories.identity_number(77)
    archive_request = file_request(
        pan,
        name="李导游",
        identifier=number,
        bureau=bureaus["xihu"],
        identifier_kind=IdentifierKind.IDENTITY_NUMBER,
    )
    page = client_for(pan).get(f"/archive/requests/{archive_request.pk}/").content.decode()
    assert number not in page
    assert number[:6] + "********" + number[-4:] in page
    event = AuditEvent.objects.get(action="archive_request_file")
    assert number not in str(event.after)


def _shape(html: str, *values: str) -> str:
    for value in values:
        html = html.replace(value, "«value»")
    html = re.sub(r"/archive/requests/\d+/(proof/\d+/)?", "/archive/requests/«pk»/", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_before_a_decision_a_request_about_a_listed_subject_looks_like_any_other(
    pan, bureaus, agency
):
    client = client_for(pan)
    with time_machine.travel(at(datetime.date(2026, 6, 1)), tick=False):
        listed = client.post(
            "/archive/requests/new/", _form(agency.name, agency.licence_no, bureaus["xihu"].pk)
        )
        pages = [client.get(listed["Location"])]
        unknown = client.post(
            "/archive/requests/new/",
            _form("杭州无名旅行社有限公司", "L-ZJ-CJ99999", bureaus["xihu"].pk),
        )
        pages.append(client.get(unknown["Location"]))
        first, second = ArchiveRequest.objects.order_by("pk")
    assert listed.status_code == unknown.status_code == 302
    assert first.deadline == second.deadline and first.status == second.status
    shapes = [
        _shape(
            page.content.decode(), item.reference, item.subject_name, item.identifier
        ).splitlines()
        for page, item in zip(pages, (first, second), strict=True)
    ]
    assert shapes[0] == shapes[1]
    assert client.get(f"/archive/requests/{first.pk}/records/").status_code == 404
    assert client.get(f"/archive/requests/{second.pk}/records/").status_code == 404


def test_archived_and_ended_records_are_never_on_the_public_list(bureaus, fang, agency, pan):
    ended = factories.record(
        filer=fang,
        subject=agency,
        status=RecordStatus.PUBLISHED,
        basis_date=datetime.date(2024, 4, 25),
        public_from=datetime.date(2024, 5, 1),
    )
    with time_machine.travel(at(datetime.date(2026, 6, 1)), tick=False):
        public = BadRecord.objects.public()
        assert not public.filter(status=RecordStatus.ARCHIVED).exists()
        assert not public.filter(pk=ended.pk).exists()
        assert BadRecord.objects.in_archive().count() == 2
        # Without a grant, the archive is empty for everyone, signed in or not.
        assert not ArchiveRequest.objects.records_readable_by(pan).exists()
        assert not ArchiveRequest.objects.records_readable_by(fang).exists()
