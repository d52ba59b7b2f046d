"""The layout: models that moved between apps keep their old admin addresses as redirects."""

import pytest

from tests.conftest import client_for


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/admin/publication/archiverequest/", "/admin/archive/archiverequest/"),
        (
            "/admin/publication/archiverequest/12/change/?x=1",
            "/admin/archive/archiverequest/12/change/?x=1",
        ),
        ("/admin/publication/archiveaccesslog/", "/admin/archive/archiveaccesslog/"),
        ("/admin/records/auditevent/", "/admin/kernel/auditevent/"),
    ],
)
def test_old_admin_addresses_redirect_to_the_moved_models(db, old, new):
    response = client_for(None).get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_an_old_address_that_never_existed_is_not_redirected(db):
    assert client_for(None).get("/admin/records/archiverequest/").status_code == 404


def test_the_archive_reviewer_follows_an_old_link_to_the_request_list(db, archivist):
    response = client_for(archivist).get("/admin/publication/archiverequest/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/admin/archive/archiverequest/"


PROJECT_PACKAGES = [
    "kernel",
    "workdays",
    "records",
    "accounts",
    "publication",
    "archive",
    "licensing",
    "intake",
    "rights",
    "supervision",
    "demo",
    "blacklist_portal",
]


def _import_circles() -> list[list[str]]:
    """Groups of modules that import each other round a circle (Tarjan's strongly connected
    components over direct imports, function-level imports included; migrations left out)."""
    import grimp

    graph = grimp.build_graph(*PROJECT_PACKAGES)
    modules = sorted(m for m in graph.modules if ".migrations" not in m)
    edges = {
        m: [i for i in graph.find_modules_directly_imported_by(m) if i in graph.modules]
        for m in modules
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in edges.get(module, []):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in modules:
        if module not in index:
            visit(module)
    return circles


def test_no_modules_import_each_other_round_a_circle():
    assert _import_circles() == []
