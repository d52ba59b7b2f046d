"""Shared pieces of the credit-archive tests: proof files, a filed request."""

import datetime
import zoneinfo
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from archive.models import ArchiveRequest, IdentifierKind, Relationship
from archive.services import archive_request_file
from records.models import Bureau, User

CST = zoneinfo.ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A moment on a China Standard Time day, for time_machine."""
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=CST)


def proof(name: str = "contract.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def request_data(*, name: str, identifier: str, bureau: Bureau, **overrides: Any) -> dict:
    return {
        "subject_name": name,
        "identifier_kind": IdentifierKind.LICENCE_NO,
        "identifier": identifier,
        "bureau": bureau,
        "relationship": Relationship.TOURIST,
        "explanation": "",
        **overrides,
    }


def file_request(
    party: User, *, name: str, identifier: str, bureau: Bureau, **overrides: Any
) -> ArchiveRequest:
    return archive_request_file(
        by=party,
        data=request_data(name=name, identifier=identifier, bureau=bureau, **overrides),
        proofs=[proof()],
    )
