"""Private files (evidence, proof of interest) as the people allowed to read them get them,
and as everyone else does not: one serving path (kernel.files) for both."""

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.services import archive_request_file
from records.models import RecordStatus
from records.services.evidence import evidence_add
from tests import factories
from tests.archive_helpers import PDF, PNG, proof, request_data
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def evidence_url(evidence) -> str:
    return f"/admin/records/badrecord/{evidence.record_id}/evidence/{evidence.pk}/"


def draft_with_evidence(filer, name: str, content: bytes):
    record = factories.record(filer=filer, status=RecordStatus.DRAFT)
    return evidence_add(record=record, by=filer, upload=SimpleUploadedFile(name, content))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_filer_downloads_her_evidence_as_an_attachment_that_no_one_caches(fang):
    evidence = draft_with_evidence(fang, "decision.pdf", PDF)
    response = client_for(fang).get(evidence_url(evidence))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="decision.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert body(response) == PDF


def test_a_chinese_file_name_is_kept_for_the_download(fang):
    evidence = draft_with_evidence(fang, "行政处罚决定书.pdf", PDF)
    response = client_for(fang).get(evidence_url(evidence))
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote('行政处罚决定书.pdf')}"
    )


def test_a_png_named_pdf_downloads_as_png_and_is_stored_as_png(fang):
    evidence = draft_with_evidence(fang, "现场照片.pdf", PNG)
    assert evidence.content_type == "image/png"
    assert evidence.file.name.startswith(f"evidence/{evidence.record_id}/")
    assert evidence.file.name.endswith(".png")
    response = client_for(fang).get(evidence_url(evidence))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].endswith(quote("现场照片.png"))


def test_the_stored_name_keeps_nothing_the_uploader_typed(fang):
    evidence = draft_with_evidence(fang, "../../etc/passwd.pdf", PDF)
    assert "passwd" not in evidence.file.name and ".." not in evidence.file.name
    response = client_for(fang).get(evidence_url(evidence))
    assert response["Content-Disposition"] == 'attachment; filename="passwd.pdf"'


@pytest.mark.parametrize("persona", ["shang", "bei", "li", "stranger"])
def test_another_countys_staff_or_a_stranger_is_told_the_evidence_does_not_exist(
    fang, persona, request
):
    evidence = draft_with_evidence(fang, "decision.pdf", PDF)
    other = request.getfixturevalue(persona)
    assert client_for(other).get(evidence_url(evidence)).status_code in (404, 302)
    if persona != "stranger":  # staff reach the admin, and find nothing there
        assert client_for(other).get(evidence_url(evidence)).status_code == 404


def test_the_requester_and_the_archive_reviewer_download_a_proof_others_get_404(
    pan, qiu, archivist, shang, bureaus
):
    archive_request = archive_request_file(
        by=pan,
        data=request_data(name="西湖国际旅行社", identifier="L-ZJ-CJ00001", bureau=bureaus["xihu"]),
        proofs=[proof("购物合同.pdf", PNG)],
    )
    stored = archive_request.proofs.get()
    assert stored.file.name.startswith(f"proof/{archive_request.pk}/")
    url = f"/archive/requests/{archive_request.pk}/proof/{stored.pk}/"
    for allowed in (pan, archivist):
        response = client_for(allowed).get(url)
        assert response.status_code == 200, allowed
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].endswith(quote("购物合同.png"))
        assert response["Cache-Control"] == "private, no-store"
    for refused in (qiu, shang, None):
        assert client_for(refused).get(url).status_code == 404, refused
