"""The admin's sign-in page for staff (it replaces Django's at /admin/login/): name,
password and the second factor in one form, through the shared sign-in limits. One answer
for every failure, so the page never says which of the three was wrong, nor whether the
name exists. Anyone may open it."""

import time

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import login as auth_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.models import Device

from accounts.signin import SigninFailed, SigninLocked, locked_message, safe_next, signin_attempt
from accounts.two_factor import two_factor_match
from records.models import User

# Session keys of a staff sign-in (accounts.staff_sessions reads them).
SIGNED_IN_AT = "staff_signed_in_at"
SEEN_AT = "staff_seen_at"


class StaffLoginForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=32,
        help_text=gettext_lazy(
            "The 6-digit code your authenticator app shows, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


def staff_session_start(request: HttpRequest, user: User, device: Device) -> None:
    """Sign the account in as verified by `device`, with the staff session's clocks."""
    auth_login(request, user)
    otp_login(request, device)
    request.session.set_expiry(settings.STAFF_SESSION_MAX_HOURS * 3600)
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now


@sensitive_post_parameters("password", "otp_code")
@csrf_protect
@never_cache
def staff_login(request: HttpRequest) -> HttpResponse:
    form = StaffLoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["otp_code"]

        def second_factor(user: User) -> Device | None:
            if not (user.is_staff and user.is_active):
                return None
            return two_factor_match(user, code)

        try:
            user, device = signin_attempt(
                request=request,
                login=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                surface="staff",
                second_step=second_factor,
            )
        except SigninLocked as locked:
            form.add_error(None, locked_message(locked.until))
        except SigninFailed:
            form.add_error(
                None,
                _(
                    "The username, password or verification code is wrong. An account "
                    "without an authenticator yet: ask your bureau administrator to enrol it."
                ),
            )
        else:
            staff_session_start(request, user, device)
            return HttpResponseRedirect(safe_next(request, next_url, reverse("admin:index")))
    context = {
        **admin.site.each_context(request),
        "title": _("Log in"),
        "app_path": request.get_full_path(),
        "form": form,
        "next": next_url,
        "username": request.user.get_username() if request.user.is_authenticated else "",
    }
    return render(request, "admin/login.html", context)
