"""Enrol (or reset) a staff account's second factor from the shell, and print its secret
and recovery codes once:

    python manage.py two_factor_enrol <username>

For the first national administrator (made with createsuperuser) and for an administrator
who lost their phone; everyone else is enrolled by their administrator in the admin."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.two_factor import two_factor_enrol
from records.models import User


class Command(BaseCommand):
    help = "Enrol or reset the two-factor sign-in of a staff account; prints the secret once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        account = User.objects.filter(username=options["username"], is_staff=True).first()
        if account is None:
            raise CommandError(f"No staff account {options['username']!r}.")
        enrolment = two_factor_enrol(by=None, account=account)
        self.stdout.write(f"otpauth URI: {enrolment.otpauth_uri}")
        self.stdout.write(f"key:         {enrolment.secret}")
        self.stdout.write("recovery codes (each works once):")
        for code in enrolment.recovery_codes:
            self.stdout.write(f"  {code}")
