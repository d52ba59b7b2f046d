"""HTTP caching for the public list: one Last-Modified for the whole list (the latest change
to any record, or today's midnight when records start and end by date), and an ETag that
also varies with the query string and the language."""

import hashlib
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import condition

from publication.selectors import disclosures_last_modified


def _last_modified(request: HttpRequest, *args: object, **kwargs: object):
    if not hasattr(request, "_disclosures_last_modified"):
        request._disclosures_last_modified = disclosures_last_modified()  # type: ignore[attr-defined]
    return request._disclosures_last_modified  # type: ignore[attr-defined]


def _etag(request: HttpRequest, *args: object, **kwargs: object) -> str:
    stamp = _last_modified(request).isoformat()
    parts = (stamp, request.get_full_path(), translation.get_language() or "")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def list_conditional(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer 304 Not Modified when the client's copy is current."""
    return condition(etag_func=_etag, last_modified_func=_last_modified)(view)
