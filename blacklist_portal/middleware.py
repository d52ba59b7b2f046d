from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext


class ChineseFirstLocaleMiddleware:
    """Simplified Chinese unless the visitor chose another language with the switch (which
    sets the language cookie). The browser's Accept-Language is deliberately ignored: a
    bureau clerk on an English-language system still gets the register in Chinese."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        translation.deactivate()
        return response


class RefuseNulCharactersMiddleware:
    """A NUL character in the address, a query or form parameter or a cookie is a bad
    request (400 in the site's frame, or a field error under /api/). No form can send one,
    PostgreSQL cannot store or compare one in text (psycopg raises, which was a 500
    wherever such a value reached a query unchecked: the quick check, /verify/, a record's
    address, the admin search, the session cookie), and SQLite would compare it silently:
    refusing it here makes both databases answer alike."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = self._holding_nul(request)
        if name is not None:
            if request.path.startswith("/api/") and name not in {"path", "cookie"}:
                message = gettext("Null characters are not allowed.")
                return JsonResponse({name: [message]}, status=400)
            raise BadRequest(f"NUL character in the request ({name})")
        return self.get_response(request)

    @staticmethod
    def _holding_nul(request: HttpRequest) -> str | None:
        """The name of the first part of the request holding a NUL, or None."""
        if "\x00" in request.path:
            return "path"
        if any("\x00" in key + value for key, value in request.COOKIES.items()):
            return "cookie"
        # Form bodies only: request.POST is empty for JSON, which DRF's fields check.
        for params in (request.GET, request.POST):
            for key, values in params.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return key.replace("\x00", "")
        return None
