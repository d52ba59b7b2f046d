from django.core.management.base import BaseCommand

from workdays.services import calendar_years_load_known


class Command(BaseCommand):
    help = (
        "Load, as approved, the official calendars the chinese-calendar package knows and "
        "the database lacks. Idempotent: years already present are left alone."
    )

    def handle(self, *args: object, **options: object) -> None:
        loaded = calendar_years_load_known()
        if loaded:
            self.stdout.write(f"Loaded {len(loaded)} year(s): {loaded[0]}–{loaded[-1]}.")
        else:
            self.stdout.write("No year to load.")
