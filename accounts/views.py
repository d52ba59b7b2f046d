"""Public accounts: sign-up, e-mail verification, sign-in and sign-out, password reset.
Anyone may use these pages; none of them says whether an address or name has an account."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import LoginForm, PartyPasswordResetForm, SignupForm
from accounts.limits import (
    email_verify_limit,
    password_reset_limit,
    signup_limit,
    too_many_message,
)
from accounts.services import party_login, party_signup, party_verify
from accounts.signin import SigninFailed, SigninLocked, locked_message, safe_next
from kernel.limits import Verdict
from records.forms import add_service_errors


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters("password", "password_again")
def signup(request: HttpRequest) -> HttpResponse:
    """Anyone. Create a public account; the same answer whether or not the address is known."""
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verdict = signup_limit(request, form.cleaned_data["email"])
        if not verdict.allowed:
            return _too_many(request, "accounts/signup.html", form, verdict)
        try:
            party_signup(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


def _too_many(request: HttpRequest, template: str, form: Any, verdict: Verdict) -> HttpResponse:
    """The page the visitor was on, saying when to try again; nothing was done or sent."""
    form.add_error(None, too_many_message(verdict))
    response = render(request, template, {"form": form}, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def signup_done(request: HttpRequest) -> HttpResponse:
    """Anyone. "Check your e-mail", whatever happened."""
    return render(request, "accounts/signup_done.html")


def verify(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Anyone holding the link from the verification e-mail. Limited per client address, so
    that links cannot be guessed in bulk."""
    verdict = email_verify_limit(request)
    if not verdict.allowed:
        response = render(
            request,
            "accounts/verify.html",
            {"verified": False, "too_many": too_many_message(verdict)},
            status=429,
        )
        response["Retry-After"] = str(verdict.retry_after)
        return response
    user = party_verify(uidb64=uidb64, token=token)
    return render(
        request, "accounts/verify.html", {"verified": user is not None}, status=200 if user else 400
    )


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters("password")
def login(request: HttpRequest) -> HttpResponse:
    """Anyone. Sign-in for public accounts, locked after repeated failures."""
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        try:
            user = party_login(
                request=request,
                login=form.cleaned_data["login"],
                password=form.cleaned_data["password"],
            )
        except SigninLocked as locked:
            form.add_error(None, locked_message(locked.until))
        except SigninFailed:
            form.add_error(
                None,
                _(
                    "The name or password is wrong, or the account's e-mail address is "
                    "not confirmed yet."
                ),
            )
        else:
            auth_login(request, user)
            return HttpResponseRedirect(safe_next(request, next_url, reverse("archive:list")))
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Anyone signed in."""
    auth_logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("accounts:login")


class PasswordResetView(auth_views.PasswordResetView):
    """Anyone. Django's reset page, limited per client address and per e-mail address; the
    mail itself goes through the outbox (PartyPasswordResetForm)."""

    def form_valid(self, form: Any) -> HttpResponse:
        verdict = password_reset_limit(self.request, form.cleaned_data["email"])
        if not verdict.allowed:
            return _too_many(self.request, str(self.template_name), form, verdict)
        return super().form_valid(form)


password_reset = PasswordResetView.as_view(
    form_class=PartyPasswordResetForm,
    template_name="accounts/password_reset_form.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
