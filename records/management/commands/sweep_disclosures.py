"""`manage.py sweep_disclosures`: the beat task's sweep, by hand (after an outage, in cron,
or to see what it does). `--date` sweeps as of an earlier day; a future day is refused,
since archiving early would hide records before the end of their legal period."""

import argparse
import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from records.services.expiry import disclosures_sweep


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("--date must be a date like 2026-02-28, not %(value)r.") % {"value": value}
        ) from None


class Command(BaseCommand):
    help = "Start scheduled records whose day has come and archive records whose period ended."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=_day,
            default=None,
            help="sweep as of this day (YYYY-MM-DD, not in the future); default today in CST",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = disclosures_sweep(today=options["date"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            _("Started %(started)d scheduled record(s); archived %(archived)d ended record(s).")
            % {"started": counts.started, "archived": counts.archived}
        )
