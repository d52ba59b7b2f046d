"""The admin home's tile: the bureau's imports waiting for a filer's confirmation."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from intake.models import Import
from kernel.dashboard import Tile
from records.permissions import can_file, signed_in_account


def imports_waiting_tiles(request: HttpRequest) -> list[Tile]:
    user = signed_in_account(request)
    if user is None or not can_file(user):
        return []
    # Shown to every filer, at zero too: it is also the way in to the intake pages.
    count = Import.objects.visible_to(user).filter(status=Import.Status.READY).count()
    return [
        Tile(
            group=_("Spreadsheet intake"),
            label=_("imports waiting for confirmation"),
            count=count,
            url=reverse("intake:list"),
            tone="warning" if count else "normal",
        )
    ]
