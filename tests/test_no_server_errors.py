"""Inputs that used to answer 500: a crafted API cursor, a number with a slash in the quick
check, a moment the change feed cannot hold, and a legal representative longer than a check
can store (a 500 on PostgreSQL, and in a batch a part that failed forever). Each now gets a
4xx naming what is wrong, with DEBUG off; a batch row that cannot be stored becomes a row
error and the other rows are checked."""

import base64
import urllib.parse
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError
from django.test import Client
from django.utils import translation

from kernel.jobs import outbox_drain
from licensing.models import ApplicantCheck, CheckBatch
from licensing.services import checks
from tests.conftest import client_for
from tests.test_licensing_api import BODY, URL, api_for

pytestmark = pytest.mark.django_db

LONG_NAME = "欧阳" * 60  # 120 characters: the form allows 200, a check stores 100


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def browser() -> Client:
    return Client(raise_request_exception=False)


def crafted_cursor(position: str) -> str:
    raw = urllib.parse.urlencode({"p": position})
    return base64.b64encode(raw.encode()).decode()


@pytest.mark.parametrize("position", ["abc", "2026-13-45", "9" * 30])
@pytest.mark.parametrize("sort", ["newest", "oldest", "name"])
def test_a_crafted_api_cursor_is_not_found_not_a_server_error(public_list, position, sort):
    response = browser().get(
        "/api/v1/disclosures/", {"cursor": crafted_cursor(position), "sort": sort}
    )
    # A name sort's position is any text, so any position is a place in the list.
    assert response.status_code == (200 if sort == "name" else 404)
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("number", ["a/b", "L-ZJ/CJ00001", "a\nb", "/", "?x#y"])
def test_a_quick_check_number_with_a_slash_is_looked_up_not_a_server_error(public_list, number):
    response = browser().get("/check/", {"number": number}, follow=True)
    assert response.status_code == 200
    assert "不在" in response.content.decode()  # not on the current list


@pytest.mark.parametrize(
    "moment",
    ["0001-01-01", "1999-12-31T23:59:59", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"],
)
def test_a_change_feed_moment_out_of_range_is_a_field_error(public_list, moment):
    response = browser().get("/api/v1/disclosures/changes/", {"changed_since": moment})
    assert response.status_code == 400
    assert list(response.json()) == ["changed_since"]


def test_a_too_long_legal_representative_is_a_field_error_on_the_check_page(li):
    response = client_for(li).post(
        "/licensing/",
        {
            "applicant_kind": "operator",
            "name": "杭州某某旅行社有限公司",
            "legal_representative": LONG_NAME,
            "application_type": "travel_agency_licence",
            "application_ref": "A-1",
        },
    )
    assert response.status_code == 200
    assert "100" in str(response.context["form"].errors["legal_representative"])
    assert not ApplicantCheck.objects.exists()


def test_a_too_long_legal_representative_is_a_field_error_in_the_api(li):
    response = api_for(li).post(URL, {**BODY, "legal_representative": LONG_NAME}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"legal_representative"}


def test_a_legal_representative_with_an_identity_number_may_use_the_whole_line(li):
    response = api_for(li).post(
        URL, {**BODY, "legal_representative": "王" * 100 + " 110101199003078881"}, format="json"
    )
    assert response.status_code == 201, response.json()


HEADER = "applicant_kind,name,legal_representative,application_type,application_ref\n"


def run_batch(user, rows: str) -> CheckBatch:
    client = client_for(user)
    client.cookies["django_language"] = "en"
    upload = SimpleUploadedFile("applicants.csv", (HEADER + rows).encode("utf-8"))
    assert client.post("/licensing/batches/", {"file": upload}).status_code == 302
    with translation.override("en"):  # the worker's messages are asserted in English
        outbox_drain()
    return CheckBatch.objects.get()


def test_a_batch_row_with_a_too_long_legal_representative_is_a_row_error(li):
    batch = run_batch(
        li,
        "operator,甲旅行社,张三,travel_agency_licence,A-1\n"
        f"operator,乙旅行社,{LONG_NAME},travel_agency_licence,A-2\n"
        "operator,丙旅行社,李四,travel_agency_licence,A-3\n",
    )
    assert batch.status == "done"
    assert [error["row"] for error in batch.row_errors] == [3]
    assert "legal_representative" in batch.row_errors[0]["error"]
    assert sorted(ApplicantCheck.objects.values_list("batch_row", flat=True)) == [2, 4]


def test_a_batch_row_the_database_refuses_is_a_row_error_and_the_others_are_checked(li):
    real = checks.applicant_check

    def refuse_the_second(**kwargs):
        if kwargs.get("batch_row") == 3:
            raise DataError("value too long for type character varying(100)")
        return real(**kwargs)

    with mock.patch("licensing.services.batches.applicant_check", refuse_the_second):
        batch = run_batch(
            li,
            "operator,甲旅行社,张三,travel_agency_licence,A-1\n"
            "operator,乙旅行社,王五,travel_agency_licence,A-2\n"
            "operator,丙旅行社,李四,travel_agency_licence,A-3\n",
        )
    assert batch.status == "done" and batch.processed == 3
    assert [error["row"] for error in batch.row_errors] == [3]
    assert "could not be stored" in batch.row_errors[0]["error"]
    assert sorted(ApplicantCheck.objects.values_list("batch_row", flat=True)) == [2, 4]
