"""Load demo accounts and records for a local trial, once:

    python manage.py load_bureaus
    python manage.py seed_demo [--force]

A second run changes nothing and prints the same accounts. The accounts share one printed
password, so the command refuses to run with DEBUG off unless --force is given."""

import unicodedata
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import two_factor_enrol, two_factor_enrolled
from demo.seeding import DEMO_PASSWORD, DemoBureausMissing, DemoSummary, demo_seed, region_label
from records.models import RecordStatus, User


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    ]


class Command(BaseCommand):
    help = "Load demo accounts (one per role) and about 200 demo records, once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. Never on a production database.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _(
                    "seed_demo creates accounts with a published password and runs only with "
                    "DEBUG on; use --force if this really is a throwaway database."
                )
            )
        try:
            summary = demo_seed()
        except DemoBureausMissing as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Demo data loaded.")
            if summary.created
            else _("Demo data already present; nothing changed.")
        )
        self._report(summary)

    def _enrol_two_factor(self, summary: DemoSummary) -> None:
        """Staff sign in with a second factor: each demo staff account gets an authenticator
        secret once (kept on later runs, so a phone set up once keeps working)."""
        self.stdout.write("")
        self.stdout.write(
            _(
                "Staff accounts also need a verification code. Print the current one with "
                "`.venv/bin/python manage.py otp_code <username>`, or add the otpauth URI "
                "below to an authenticator app:"
            )
        )
        for account, _bureau in summary.accounts:
            user = User.objects.get(username=account.username)
            if not user.is_staff:
                continue
            if not two_factor_enrolled(user):
                two_factor_enrol(by=None, account=user)
            uri = TOTPDevice.objects.get(user=user).config_url
            self.stdout.write(f"  {account.username}: {uri}")

    def _report(self, summary: DemoSummary) -> None:
        rows = [(_("role"), _("username"), _("bureau"), _("password"))] + [
            (str(account.role.label), account.username, region_label(bureau), DEMO_PASSWORD)
            for account, bureau in summary.accounts
        ]
        self.stdout.write("")
        self.stdout.write("\n".join(_table(rows)))
        self.stdout.write(
            _(
                "The password is for a local demo only. %(n)d more filer and reviewer accounts "
                "(demo-<county code>-filer/-reviewer) file the records of other counties; they "
                "cannot log in."
            )
            % {"n": summary.helper_accounts}
        )
        self._enrol_two_factor(summary)
        if summary.party:
            self.stdout.write(
                _(
                    "Interested party (public account, signs in at /accounts/login/): "
                    "%(username)s, password %(password)s."
                )
                % {"username": summary.party, "password": DEMO_PASSWORD}
            )
        if summary.archive_example:
            name, identifier, region = summary.archive_example
            self.stdout.write(
                _(
                    "Credit-archive demo: as %(party)s, request the records of %(name)s "
                    "(licence %(identifier)s) in %(region)s; demo-archive decides it in the admin."
                )
                % {"party": summary.party, "name": name, "identifier": identifier, "region": region}
            )
        if summary.subject_example:
            reference, name, licence = summary.subject_example
            self.stdout.write(
                _(
                    "Listed-subject demo: as %(party)s, prove at /rights/claims/new/ that you act "
                    "for %(name)s (record %(reference)s, licence %(licence)s); demo-reviewer "
                    "verifies it in the admin; then object or apply for credit repair at /rights/."
                )
                % {"party": summary.party, "name": name, "reference": reference, "licence": licence}
            )
        self.stdout.write("")
        counts = [(_("status"), _("records"))] + [
            (str(RecordStatus(status).label), str(count))
            for status, count in summary.counts.items()
        ]
        counts.append((_("total"), str(sum(summary.counts.values()))))
        self.stdout.write("\n".join(_table(counts)))
        self.stdout.write(
            _(
                "Public today: %(public)d; published but ended (hidden, awaiting the expiry "
                "task): %(ended)d; published late: %(late)d."
            )
            % {"public": summary.public_today, "ended": summary.ended, "late": summary.late}
        )
