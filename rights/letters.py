"""The notice letter (告知书, the issue §1): the record's published fields (the one list in
records/published_fields.py), the period, and how to object or apply for repair. Always in
Chinese: it is a legal document served in China."""

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from kernel.mail import absolute_url
from records.models import BadRecord
from records.published_fields import Reading, published_texts
from rights.services.repairs import repair_possible_from


def notice_letter_context(record: BadRecord) -> dict[str, Any]:
    with translation.override("zh-hans"):
        base = absolute_url(reverse("publication:detail", args=["X"])[:-1])
        fields = [
            (str(spec.label), value)
            for spec, value in published_texts(record, Reading(detail_base_url=base))
        ]
    return {
        "record": record,
        "fields": fields,
        "repair_from": repair_possible_from(record),
        "objection_days": settings.OBJECTION_ANSWER_WORKING_DAYS,
        "repair_days": settings.REPAIR_DECISION_WORKING_DAYS,
        "repair_months": settings.REPAIR_MINIMUM_DISPLAY_MONTHS,
        "repair_excluded": record.ground in settings.REPAIR_EXCLUDED_GROUNDS,
        "basis": settings.RIGHTS_LEGAL_BASIS,
        "rights_url": absolute_url(reverse("rights:home")),
        "claim_url": absolute_url(reverse("rights:claim_new")),
    }
