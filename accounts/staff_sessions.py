"""Staff sessions: signed in through both factors, and short-lived.

A staff account's session counts only when django-otp says it was verified by a device
(accounts.staff_signin signs in that way); it ends after STAFF_SESSION_IDLE_MINUTES without
a request and STAFF_SESSION_MAX_HOURS after sign-in, whichever comes first. A session that
fails any of these is ended, and the request goes on as a visitor's (the admin then asks
to sign in again). Public accounts keep Django's ordinary sessions."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from accounts.staff_signin import SEEN_AT, SIGNED_IN_AT

# The last-seen stamp is written at most this often (seconds), not on every request: each
# write is a session save.
_SEEN_RESOLUTION = 60


def staff_session_valid(request: HttpRequest, now: float) -> bool:
    user = request.user
    if not user.is_verified():  # type: ignore[union-attr]
        return False
    signed_in_at = request.session.get(SIGNED_IN_AT)
    seen_at = request.session.get(SEEN_AT)
    if not isinstance(signed_in_at, int) or not isinstance(seen_at, int):
        return False
    if now - signed_in_at > settings.STAFF_SESSION_MAX_HOURS * 3600:
        return False
    return now - seen_at <= settings.STAFF_SESSION_IDLE_MINUTES * 60


class StaffSessionMiddleware:
    """After AuthenticationMiddleware and django-otp's OTPMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.is_staff:
            now = time.time()
            if not staff_session_valid(request, now):
                logout(request)
            elif now - request.session[SEEN_AT] >= _SEEN_RESOLUTION:
                request.session[SEEN_AT] = int(now)
        return self.get_response(request)
