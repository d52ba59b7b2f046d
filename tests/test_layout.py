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
