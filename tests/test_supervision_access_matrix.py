"""Every persona against every URL of measures and leads (the same personas and statuses as
tests/test_access_matrix.py): outside an account's jurisdiction an object answers 404; a role
without the right answers 403; an anonymous or non-staff visitor is sent to the login page;
the public lead pages answer everyone."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from supervision.services.leads import lead_decide, lead_file
from supervision.services.measures import measure_create
from tests.conftest import client_for
from tests.supervision_helpers import PDF, TODAY, published
from tests.test_access_matrix import LOGIN, PERSONAS

# url name → expected status per persona, in PERSONAS order:
# anonymous, stranger, fang, rui, su, shang, bei, li, archivist, xihu_admin, national_admin
MATRIX = {
    "measure_list": [LOGIN, LOGIN, 200, 200, 200, 200, 200, 403, 403, 403, 403],
    "measure_add": [LOGIN, LOGIN, 403, 200, 200, 200, 200, 403, 403, 403, 403],
    "measure_change": [LOGIN, LOGIN, 200, 200, 200, 404, 404, 403, 403, 403, 403],
    "measure_follow_up": [LOGIN, LOGIN, 403, 200, 200, 404, 404, 403, 403, 403, 403],
    "measure_start_record": [LOGIN, LOGIN, 403, 403, 403, 404, 404, 403, 403, 403, 403],
    "measure_attachment": [LOGIN, LOGIN, 200, 200, 200, 404, 404, 404, 404, 404, 404],
    "measure_unsupervised": [LOGIN, LOGIN, 200, 200, 200, 200, 200, 403, 403, 403, 403],
    "lead_list": [LOGIN, LOGIN, 200, 200, 200, 200, 200, 403, 403, 403, 403],
    "lead_change": [LOGIN, LOGIN, 200, 200, 200, 404, 404, 403, 403, 403, 403],
    # Only the handling bureau's supervisors and reviewers triage.
    "lead_triage": [LOGIN, LOGIN, 403, 200, 403, 404, 404, 403, 403, 403, 403],
    "lead_measure": [LOGIN, LOGIN, 403, 200, 403, 404, 404, 403, 403, 403, 403],
    "lead_attachment": [LOGIN, LOGIN, 200, 200, 200, 404, 404, 404, 404, 404, 404],
    "lead_export": [LOGIN, LOGIN, 200, 200, 200, 200, 200, 403, 403, 403, 403],
    "lead_statistics": [LOGIN, LOGIN, 200, 200, 200, 200, 200, 403, 403, 403, 403],
    "lead_new": [200] * 11,
    "lead_follow": [200] * 11,
}


@pytest.fixture
def world(
    request, bureaus, fang, rui, su, shang, bei, li, archivist, xihu_admin, national_admin, stranger
):
    with time_machine.travel(TODAY, tick=False):
        record = published(fang)
        import datetime

        measure = measure_create(
            by=rui,
            data={
                "records": record.reference,
                "kind": "rectification_order",
                "taken_on": datetime.date(2026, 5, 29),
                "officers": "王强",
                "findings": "未公示收费标准",
                "requirements": "公示",
                "due_on": datetime.date(2026, 6, 12),
            },
            uploads=[SimpleUploadedFile("order.pdf", PDF)],
        )
        lead, _code = lead_file(
            data={
                "subject_name": "快乐旅行社",
                "bureau": bureaus["xihu"],
                "what_happened": "强迫购物",
                "happened_on": datetime.date(2026, 5, 20),
            },
            uploads=[SimpleUploadedFile("photo.pdf", PDF)],
        )
        accepted, _code = lead_file(
            data={
                "subject_name": "另一家旅行社",
                "bureau": bureaus["xihu"],
                "what_happened": "虚假宣传",
                "happened_on": datetime.date(2026, 5, 21),
            }
        )
        lead_decide(lead=accepted, by=rui, decision="accept", reason="")
    people = {
        "anonymous": None,
        "stranger": stranger,
        "fang": fang,
        "rui": rui,
        "su": su,
        "shang": shang,
        "bei": bei,
        "li": li,
        "archivist": archivist,
        "xihu_admin": xihu_admin,
        "national_admin": national_admin,
    }
    measures = "/admin/supervision/supervisionmeasure"
    leads = "/admin/supervision/lead"
    urls = {
        "measure_list": f"{measures}/",
        "measure_add": f"{measures}/add/",
        "measure_change": f"{measures}/{measure.pk}/change/",
        "measure_follow_up": f"{measures}/{measure.pk}/decide/follow-up/",
        "measure_start_record": f"{measures}/{measure.pk}/decide/start-record/",
        "measure_attachment": (
            f"{measures}/{measure.pk}/attachment/{measure.attachments.get().pk}/"
        ),
        "measure_unsupervised": f"{measures}/unsupervised/",
        "lead_list": f"{leads}/",
        "lead_change": f"{leads}/{lead.pk}/change/",
        "lead_triage": f"{leads}/{lead.pk}/decide/triage/",
        "lead_measure": f"{leads}/{accepted.pk}/decide/measure/",
        "lead_attachment": f"{leads}/{lead.pk}/attachment/{lead.attachments.get().pk}/",
        "lead_export": f"{leads}/export.csv",
        "lead_statistics": f"{leads}/statistics/",
        "lead_new": "/supervision/leads/new/",
        "lead_follow": "/supervision/leads/follow/",
    }
    return people, urls


@pytest.mark.parametrize("url_name", list(MATRIX))
def test_each_persona_gets_exactly_its_roles_access_to_measures_and_leads(world, url_name):
    people, urls = world
    with time_machine.travel(TODAY, tick=False):
        got = {
            persona: client_for(people[persona]).get(urls[url_name]).status_code
            for persona in PERSONAS
        }
    assert got == dict(zip(PERSONAS, MATRIX[url_name], strict=True))
