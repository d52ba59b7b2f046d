"""API token pages (/licensing/tokens/…). Restricted like the officer pages: licensing
officers and administrators (licensing.permissions.can_run_checks). Each account makes
tokens for itself only, after typing its password and a second-factor code again; the list
shows the tokens it may revoke (accounts.models.ApiTokenQuerySet.revocable_by). No page
ever shows a key except the answer to its creation."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts.api_tokens import api_token_create, api_token_revoke
from accounts.models import ApiToken
from accounts.signin import SigninFailed, SigninLocked, locked_message, signin_attempt
from accounts.two_factor import two_factor_match
from licensing.views.officer import officer_required
from records.forms import add_service_errors
from records.models import User
from records.permissions import staff_user


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("The system that will use it, e.g. 审批系统 (province)."),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"),
        min_value=1,
        initial=settings.API_TOKEN_DEFAULT_DAYS,
    )
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@officer_required
@never_cache
@sensitive_post_parameters("password", "otp_code")
def token_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    form = TokenForm(request.POST or None)
    created_key = None
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["otp_code"]

        def same_account(account: User) -> object | None:
            return two_factor_match(account, code) if account.pk == user.pk else None

        try:
            signin_attempt(
                request=request,
                login=user.username,
                password=form.cleaned_data["password"],
                surface="api_token",
                second_step=same_account,
            )
            _token, created_key = api_token_create(
                by=user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except SigninLocked as locked:
            form.add_error(None, locked_message(locked.until))
        except SigninFailed:
            form.add_error(None, _("The password or verification code is wrong."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = TokenForm()
    now = timezone.now()
    tokens = [
        (token, token.state_label(now))
        for token in ApiToken.objects.revocable_by(user).select_related("user")
    ]
    response = render(
        request,
        "licensing/tokens.html",
        {"form": form, "tokens": tokens, "created_key": created_key},
        status=400 if form.errors else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


@officer_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = staff_user(request)
    token = ApiToken.objects.revocable_by(user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    api_token_revoke(by=user, token=token)
    return redirect("licensing:tokens")
