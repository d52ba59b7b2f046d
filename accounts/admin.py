"""Sign-in security on the staff account's admin page: the account's administrators (its
bureau's administrator, or the national administrator) enrol or reset its second factor and
lift a sign-in lock. API tokens are listed for revocation; their keys are never shown."""

from typing import Any

from django.contrib import admin, messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.api_tokens import api_token_revoke, may_revoke_api_token
from accounts.models import ApiToken
from accounts.signin import signin_unlock
from accounts.two_factor import may_manage_two_factor, two_factor_enrol, two_factor_enrolled
from records.admin.accounts import PortalUserAdmin
from records.models import User
from records.permissions import staff_user


class StaffAccountAdmin(PortalUserAdmin):
    change_form_template = "admin/accounts/user_change_form.html"

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<path:object_id>/two-factor/",
                self.admin_site.admin_view(self.two_factor_view),
                name="records_user_two_factor",
            ),
            path(
                "<path:object_id>/unlock/",
                self.admin_site.admin_view(self.unlock_view),
                name="records_user_unlock",
            ),
            *super().get_urls(),
        ]

    def _managed_account(self, request: HttpRequest, object_id: str) -> User:
        account = self.get_object(request, object_id)  # 404 outside the admin's scope
        if not may_manage_two_factor(staff_user(request), account):
            raise Http404
        return account

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        account = self.get_object(request, object_id)
        extra = {
            **(extra_context or {}),
            "two_factor_enrolled": two_factor_enrolled(account) if account.is_staff else None,
        }
        return super().change_view(request, object_id, form_url, extra)

    def two_factor_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """GET: what enrolling does; POST: a new secret and recovery codes, shown once."""
        account = self._managed_account(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "account": account,
            "title": _("Two-factor sign-in of %(name)s") % {"name": account.get_username()},
            "enrolled": two_factor_enrolled(account),
            "change_url": reverse("admin:records_user_change", args=[account.pk]),
        }
        if request.method == "POST":
            context["enrolment"] = two_factor_enrol(by=staff_user(request), account=account)
        response = render(request, "admin/accounts/two_factor.html", context)
        response["Cache-Control"] = "no-store"
        return response

    def unlock_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        account = self._managed_account(request, object_id)
        if request.method != "POST":
            raise Http404
        if signin_unlock(by=staff_user(request), account=account):
            messages.success(request, _("The sign-in lock of this account was lifted."))
        else:
            messages.info(request, _("This account's name was not locked."))
        return HttpResponseRedirect(reverse("admin:records_user_change", args=[account.pk]))


admin.site.unregister(User)
admin.site.register(User, StaffAccountAdmin)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API tokens of the accounts in the administrator's scope (an officer sees their own).
    Nothing here shows or changes a key: tokens are created on the token page, which shows
    the key once, and are only ever revoked here."""

    list_display = ["name", "user", "created_at", "expires_at", "last_used_at", "state"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username"]
    fields = ["name", "user", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["name", "user", "created_at", "expires_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    @admin.display(description=gettext_lazy("state"))
    def state(self, token: ApiToken) -> str:
        return str(token.state_label(timezone.now()))

    def get_queryset(self, request: HttpRequest) -> Any:
        return ApiToken.objects.revocable_by(staff_user(request)).select_related("user")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_authenticated and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_authenticated and request.user.is_staff

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        by = staff_user(request)
        revoked = 0
        for token in queryset:
            if may_revoke_api_token(by, token) and api_token_revoke(by=by, token=token):
                revoked += 1
        messages.success(request, _("%(count)s tokens revoked.") % {"count": revoked})


def _unregister_plain_tokens() -> None:
    """DRF's own token admin showed keys in full; its table is emptied by migration."""
    from rest_framework.authtoken.models import TokenProxy

    if admin.site.is_registered(TokenProxy):
        admin.site.unregister(TokenProxy)


_unregister_plain_tokens()
