"""Create or rename the tourism bureaus from a division data file:

    python manage.py load_bureaus [--file PATH]

The default is the shipped records/data/divisions.json; regenerate it, or derive the full
national list, with scripts/derive_divisions.py."""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from records.services.bureaus import bureaus_load

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "divisions.json"


class Command(BaseCommand):
    help = "Create or rename the tourism bureaus listed in a division data file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        file = Path(options["file"])  # call_command(file=...) passes the value unconverted
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from error
        except ValueError as error:
            raise CommandError(
                _("%(file)s is not valid JSON: %(error)s") % {"file": file, "error": error}
            ) from error
        divisions = data.get("divisions") if isinstance(data, dict) else None
        if not isinstance(divisions, list):
            raise CommandError(_('%(file)s has no "divisions" list.') % {"file": file})
        try:
            result = bureaus_load(divisions=divisions)
        except ValidationError as error:
            raise CommandError(
                _("%(file)s was not loaded:\n%(errors)s")
                % {"file": file, "errors": "\n".join(error.messages)}
            ) from error
        self.stdout.write(
            _("Bureaus: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        )
