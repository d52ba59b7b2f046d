"""Print the code a staff account's authenticator app shows now, and its otpauth:// URI:

    python manage.py otp_code demo-reviewer

For the demo accounts of `make run` (whose secrets are in the local database anyway) and
for trying the portal without a phone. It refuses with DEBUG off unless --force is given:
on a real portal the code belongs on the account holder's phone only."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import two_factor_current_code
from records.models import User


class Command(BaseCommand):
    help = "Print the current two-factor code of a staff account (local trials only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--uri", action="store_true", help="Also print the otpauth:// URI.")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("otp_code runs only with DEBUG on (or --force).")
        account = User.objects.filter(username=options["username"]).first()
        if account is None or not TOTPDevice.objects.filter(user=account).exists():
            raise CommandError(f"{options['username']!r} has no authenticator enrolled.")
        if options["uri"]:
            self.stdout.write(TOTPDevice.objects.get(user=account).config_url)
        self.stdout.write(two_factor_current_code(account))
