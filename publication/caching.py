"""HTTP and server-side caching of the public list.

Every public page is a function of the public list, the URL and the language: nothing on it
depends on who asks. So one stamp — the latest change to any record, or the start of today
(China Standard Time) when records start and end by date — gives each page a Last-Modified
and an ETag (stamp, URL, language); a client holding that copy gets 304, and a rendered page
is kept in the cache under the same key, so the next visitor's copy costs one indexed MAX().
A change to any record or a new day changes the stamp, so nothing stale is ever served."""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.response import SimpleTemplateResponse
from django.utils import translation
from django.views.decorators.http import condition

from publication.selectors import disclosures_last_modified

CACHED_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")


def _last_modified(request: HttpRequest, *args: object, **kwargs: object):
    if not hasattr(request, "_disclosures_last_modified"):
        request._disclosures_last_modified = disclosures_last_modified()  # type: ignore[attr-defined]
    return request._disclosures_last_modified  # type: ignore[attr-defined]


def _etag(request: HttpRequest, *args: object, **kwargs: object) -> str:
    stamp = _last_modified(request).isoformat()
    # A signed-in visitor's pages may carry their name in the header: their copies are their
    # own (the session cookie is part of the tag) and never come from the shared cache.
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    parts = (stamp, request.get_full_path(), translation.get_language() or "", session)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _cached(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if (
            request.method not in ("GET", "HEAD")
            or not settings.PUBLIC_PAGE_CACHE_SECONDS
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return view(request, *args, **kwargs)
        key = f"public-page:{_etag(request)}"
        stored = cache.get(key)
        if stored is not None:
            response: HttpResponseBase = HttpResponse(stored["content"], status=stored["status"])
            for header, value in stored["headers"].items():
                response[header] = value
            return response
        response = view(request, *args, **kwargs)
        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            response.render()  # DRF, templates
        if (
            response.status_code == 200
            and isinstance(response, HttpResponse)  # not streamed
            and len(response.content) <= settings.PUBLIC_PAGE_CACHE_MAX_BYTES
        ):
            headers = {h: response[h] for h in CACHED_HEADERS if h in response}
            cache.set(
                key,
                {"content": response.content, "status": 200, "headers": headers},
                settings.PUBLIC_PAGE_CACHE_SECONDS,
            )
        return response

    return wrapper


def list_conditional(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Answer 304 Not Modified when the client's copy is current, and serve a rendered copy
    from the cache when another visitor asked for the same page since the last change."""
    return condition(etag_func=_etag, last_modified_func=_last_modified)(_cached(view))
