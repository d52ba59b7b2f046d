"""Tiles of the staff admin home (the dashboard), contributed by each capability.

An app registers a provider in its ``AppConfig.ready``; the admin home asks every provider for
the tiles of the signed-in user and shows them in registration order. A provider returns an
empty list for a user it has nothing for (a filer with no leads, say). Providers must run a
fixed number of queries whatever the size of the user's region.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Tile:
    """One figure on the dashboard with a link to the filtered list behind it."""

    group: str  # heading the tile sits under, e.g. "Leads" (already translated)
    label: str  # what is counted, e.g. "waiting for a first answer" (already translated)
    count: int | str  # a number, or a capped text such as "10000+"
    url: str  # the list that shows exactly what was counted
    tone: str = "normal"  # "normal", "warning" (due soon) or "alert" (overdue)


TileProvider = Callable[[HttpRequest], list[Tile]]

_providers: list[tuple[str, TileProvider]] = []


def dashboard_tiles_register(name: str, provider: TileProvider) -> None:
    """Register ``provider`` under ``name``; registering a name again replaces it."""
    for index, (existing, _provider) in enumerate(_providers):
        if existing == name:
            _providers[index] = (name, provider)
            return
    _providers.append((name, provider))


def dashboard_tiles_for(request: HttpRequest) -> list[Tile]:
    """Every registered provider's tiles for the signed-in staff member of ``request``."""
    tiles: list[Tile] = []
    for _name, provider in _providers:
        tiles.extend(provider(request))
    return tiles


def dashboard_tiles_grouped(request: HttpRequest) -> list[dict[str, Any]]:
    """The tiles grouped by heading, in the order the groups first appear."""
    groups: dict[str, list[Tile]] = {}
    for tile in dashboard_tiles_for(request):
        groups.setdefault(tile.group, []).append(tile)
    return [{"group": group, "tiles": tiles} for group, tiles in groups.items()]
