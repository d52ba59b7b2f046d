"""The sweep on the demo data of `make run`: its ended records go to the archive, its
scheduled ones start on their day, and a visitor sees no difference either time."""

import datetime
import io
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone, translation

from kernel.models import AuditEvent
from records.models import BadRecord, RecordStatus
from records.services.expiry import disclosures_sweep


def public_ids() -> set[int]:
    return set(BadRecord.objects.public().values_list("pk", flat=True))


class SweepOnTheDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_bureaus", stdout=io.StringIO())
        with override_settings(DEBUG=True), translation.override("en"):
            call_command("seed_demo", stdout=io.StringIO())

    def test_the_first_sweep_archives_the_demos_ended_records_and_nothing_else(self):
        today = timezone.localdate()
        ended = set(
            BadRecord.objects.filter(
                status=RecordStatus.PUBLISHED, public_until__lt=today
            ).values_list("pk", flat=True)
        )
        shown = public_ids()
        counts = disclosures_sweep()
        assert len(ended) >= 5
        assert (counts.started, counts.archived) == (0, len(ended))
        assert (
            set(
                BadRecord.objects.filter(pk__in=ended, status=RecordStatus.ARCHIVED).values_list(
                    "pk", flat=True
                )
            )
            == ended
        )
        assert AuditEvent.objects.filter(action="record_archive").count() == len(ended)
        assert public_ids() == shown

    def test_the_demos_scheduled_records_start_on_their_first_day(self):
        scheduled = BadRecord.objects.filter(status=RecordStatus.SCHEDULED)
        first_day = min(scheduled.values_list("public_from", flat=True))
        starting = set(scheduled.filter(public_from=first_day).values_list("pk", flat=True))
        moment = datetime.datetime.combine(
            first_day, datetime.time(0, 5), tzinfo=ZoneInfo("Asia/Shanghai")
        )
        with time_machine.travel(moment, tick=False):
            shown = public_ids()
            assert starting <= shown  # by date, before the sweep
            assert disclosures_sweep().started == len(starting)
            assert public_ids() == shown
        assert (
            set(
                BadRecord.objects.filter(
                    pk__in=starting, status=RecordStatus.PUBLISHED
                ).values_list("pk", flat=True)
            )
            == starting
        )
