"""`manage.py verify_audit_chain`: recompute the audit trail's hash chain and name the first
broken link. Exits non-zero on any tampering (a changed field, a deleted or moved event), so
it can run from cron or a monitoring check. `--from`/`--to` check the events of some days
only, starting from the stored link of the first of them."""

import argparse
import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kernel.audit_chain import audit_chain_verify


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"give a date like 2026-02-28, not {value!r}") from None


class Command(BaseCommand):
    help = "Check the audit trail's hash chain; exit non-zero at the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from", dest="since", type=_day, help="first day to check (YYYY-MM-DD, CST)"
        )
        parser.add_argument("--to", dest="until", type=_day, help="last day to check")

    def handle(self, *args: Any, **options: Any) -> None:
        since, until = options["since"], options["until"]
        if since and until and until < since:
            raise CommandError("--from must not be after --to.")
        report = audit_chain_verify(since=since, until=until)
        if not report.intact:
            raise CommandError(
                f"Audit chain broken after {report.checked} intact events. {report.problem}"
            )
        self.stdout.write(f"{report.checked} events checked, chain intact.")
