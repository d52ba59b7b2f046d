"""Old admin addresses of models that moved to another app (bookmarks, links in e-mails
sent before the move) answer with a permanent redirect to the new address. Anyone may
follow it: the new address does its own permission check."""

from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect

# (old app label, model) -> new app label
MOVED_MODELS = {
    ("publication", "archiverequest"): "archive",
    ("publication", "archiveaccesslog"): "archive",
    ("records", "auditevent"): "kernel",
}
OLD_ADMIN_PATTERN = r"^admin/(?P<app>publication|records)/(?P<model>archiverequest|archiveaccesslog|auditevent)/(?P<rest>.*)$"  # noqa: E501


def moved_admin_redirect(
    request: HttpRequest, app: str, model: str, rest: str
) -> HttpResponsePermanentRedirect:
    new_app = MOVED_MODELS.get((app, model))
    if new_app is None:  # e.g. /admin/records/archiverequest/: never existed
        raise Http404
    query = request.META.get("QUERY_STRING", "")
    target = f"/admin/{new_app}/{model}/{rest}" + (f"?{query}" if query else "")
    return HttpResponsePermanentRedirect(target)
