"""The admin home shows the tiles that capabilities register in kernel.dashboard."""

import pytest

from kernel import dashboard
from kernel.dashboard import Tile, dashboard_tiles_register
from tests.conftest import client_for


@pytest.fixture
def a_provider():
    saved = list(dashboard._providers)

    def backlog(request):
        if request.user.username != "fang":
            return []
        return [
            Tile("Backlog", "drafts", 3, "/admin/records/badrecord/?status=draft"),
            Tile("Backlog", "overdue", 1, "/admin/records/badrecord/?x=1", tone="alert"),
        ]

    dashboard_tiles_register("test-backlog", backlog)
    yield
    dashboard._providers[:] = saved


def test_a_registered_tile_shows_on_the_admin_home_of_the_user_it_is_for(a_provider, fang, su):
    page = client_for(fang).get("/admin/").content.decode()
    assert "<h2>Backlog</h2>" in page
    assert '<a href="/admin/records/badrecord/?status=draft"><strong>3</strong> drafts</a>' in page
    assert "dashboard-tile-alert" in page
    assert "<h2>Backlog</h2>" not in client_for(su).get("/admin/").content.decode()


def test_registering_a_name_again_replaces_the_provider(a_provider, fang):
    dashboard_tiles_register("test-backlog", lambda request: [])
    assert "<h2>Backlog</h2>" not in client_for(fang).get("/admin/").content.decode()
