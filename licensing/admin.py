"""Read-only admin of applicant checks: checks are kept unchanged, so nobody may add, change or
delete one here (they are made on the check pages, by the API or by batches). Scope: as on
the check pages (ApplicantCheck.objects.visible_to); outside it, 404."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kernel.admin_lists import CappedCountMixin
from licensing.models import ApplicantCheck, CheckBatch, CheckConclusion
from licensing.staff_search import staff_search_checks
from records.admin.base import NotFoundOutsideScopeMixin
from records.permissions import staff_user


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ConclusionInline(ReadOnlyMixin, admin.TabularInline):
    model = CheckConclusion
    fields = readonly_fields = ("at", "conclusion", "note", "by")
    extra = 0


@admin.register(ApplicantCheck)
class ApplicantCheckAdmin(
    CappedCountMixin, ReadOnlyMixin, NotFoundOutsideScopeMixin, admin.ModelAdmin
):
    list_display = [
        "number",
        "created_at",
        "applicant_name",
        "application_type",
        "verdict",
        "bureau",
        "officer",
        "source",
    ]
    # The date as a filter, not a date hierarchy: the hierarchy reads every visible check's
    # year (200,000 nationally) on each page to draw its links.
    list_filter = [
        "verdict",
        "application_type",
        "source",
        ("created_at", admin.DateFieldListFilter),
    ]
    # Shows the search box; the search itself is get_search_results.
    search_fields = ["applicant_name"]
    search_help_text = _("Check number, application reference number, or part of the name.")
    list_select_related = ["bureau", "officer"]
    exclude = ["identity_hmac", "verification_code"]
    inlines = [ConclusionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApplicantCheck]:
        return ApplicantCheck.objects.visible_to(staff_user(request))

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[ApplicantCheck], search_term: str
    ) -> tuple[QuerySet[ApplicantCheck], bool]:
        return staff_search_checks(queryset, search_term), False


@admin.register(CheckBatch)
class CheckBatchAdmin(CappedCountMixin, ReadOnlyMixin, NotFoundOutsideScopeMixin, admin.ModelAdmin):
    list_display = ["file_name", "created_at", "status", "processed", "total", "officer"]
    list_select_related = ["officer"]
    exclude = ["rows"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CheckBatch]:
        return CheckBatch.objects.visible_to(staff_user(request)).defer("rows")
