"""The archive reviewers' side: requests routed to their bureau or below, decided through a
transition page that calls `archive_request_decide`; the access log for staff with
jurisdiction. Anything outside an account's scope answers 404."""

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from archive.forms import DecisionForm
from archive.models import ArchiveAccessLog, ArchiveRequest, RequestStatus
from archive.services import archive_records_for, archive_request_decide, can_decide
from kernel.admin_decisions import DecisionPage, DecisionPageMixin
from kernel.admin_lists import CappedCountMixin
from records.admin.base import NoBulkDeleteMixin, NotFoundOutsideScopeMixin
from records.roles import Role, has_role
from workdays.working_days import deadline_is_provisional


class DeadlineFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("overdue", _("Past the deadline")), ("open", _("Waiting for a decision"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[ArchiveRequest]) -> Any:
        if self.value() == "overdue":
            return queryset.overdue(on=timezone.localdate())  # type: ignore[attr-defined]
        if self.value() == "open":
            return queryset.filter(status=RequestStatus.SUBMITTED)
        return queryset


DECIDE = DecisionPage(
    title=lambda obj: _("Decide archive request %(reference)s") % {"reference": obj.reference},
    form=lambda obj, data: DecisionForm(data),
    allowed=can_decide,
    decide=lambda obj, by, data: archive_request_decide(
        archive_request=obj,
        by=by,
        approve=data["decision"] == "approve",
        reasons=data["reasons"],
    ),
    done_message=lambda obj: _("The decision is saved; the requester is e-mailed."),
    summary_template="admin/archive/archiverequest/decide_summary.html",
    submit_label=_("Save the decision"),
    is_open=lambda obj: obj.status == RequestStatus.SUBMITTED,
    context=lambda obj: {"access_days": settings.ARCHIVE_ACCESS_WINDOW_DAYS},
)


@admin.register(ArchiveRequest)
class ArchiveRequestAdmin(
    CappedCountMixin,
    DecisionPageMixin,
    NotFoundOutsideScopeMixin,
    NoBulkDeleteMixin,
    admin.ModelAdmin,
):
    """Archive reviewers see the requests routed to their bureau or below; read-only except
    for the decision page."""

    list_display = [
        "reference",
        "subject_name",
        "identifier_display",
        "bureau",
        "relationship",
        "status",
        "filed_on",
        "deadline_display",
    ]
    list_filter = [DeadlineFilter, "status", "relationship"]
    # Shows the search box; the search itself is get_search_results.
    search_fields = ["subject_name"]
    list_select_related = ["bureau"]
    fields = (
        "reference",
        "status",
        "decide_link",
        "requester_display",
        "subject_name",
        "identifier_display",
        "bureau",
        "relationship",
        "explanation",
        "proof_links",
        "filed_on",
        "deadline",
        "decided_by",
        "decided_at",
        "decision_reasons",
        "access_from",
        "access_until",
        "matching_records",
    )
    readonly_fields = fields
    decision_pages = {"decide": DECIDE}
    decision_routes = [("<int:object_id>/decide/", "archive_archiverequest_decide", "decide")]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ArchiveRequest]:
        requests = super().get_queryset(request).select_related("bureau", "requester")
        return requests.visible_to(request.user)  # type: ignore[attr-defined]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[ArchiveRequest], search_term: str
    ) -> tuple[QuerySet[ArchiveRequest], bool]:
        return queryset.named(search_term), False  # type: ignore[attr-defined]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_role(request.user, Role.ARCHIVE_REVIEWER) and super().has_view_permission(
            request, obj
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("reference"), ordering="id")
    def reference(self, obj: ArchiveRequest) -> str:
        return obj.reference

    @admin.display(description=_("identifier"))
    def identifier_display(self, obj: ArchiveRequest) -> str:
        return f"{obj.get_identifier_kind_display()}: {obj.identifier_shown}"

    @admin.display(description=_("requester"))
    def requester_display(self, obj: ArchiveRequest) -> str:
        return f"{obj.requester.last_name} <{obj.requester.email}>"

    @admin.display(description=_("decision deadline"), ordering="deadline")
    def deadline_display(self, obj: ArchiveRequest) -> str:
        date = obj.deadline.isoformat()
        if deadline_is_provisional(obj.filed_on, obj.deadline):
            # Counted across a year without an approved calendar (SPEC §3).
            date = format_html(
                '{} <em class="deadline-provisional">{}</em>', date, _("(provisional)")
            )
        if obj.status == RequestStatus.SUBMITTED and obj.deadline < timezone.localdate():
            return format_html(
                '{} <strong class="deadline-overdue">{}</strong>', date, _("overdue")
            )
        return date

    @admin.display(description=_("decision"))
    def decide_link(self, obj: ArchiveRequest) -> str:
        if obj.status != RequestStatus.SUBMITTED:
            return obj.get_status_display()
        url = reverse("admin:archive_archiverequest_decide", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Approve or refuse"))

    @admin.display(description=_("proof files"))
    def proof_links(self, obj: ArchiveRequest) -> str:
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("archive:proof", args=[obj.pk, proof.pk]), proof.original_name)
                for proof in obj.proofs.all()
            ),
        )

    @admin.display(description=_("archived records that match (by identifier and name)"))
    def matching_records(self, obj: ArchiveRequest) -> str:
        records = archive_records_for(archive_request=obj, user=obj._viewer)  # type: ignore[attr-defined]
        if not records:
            return str(_("none"))
        rows = format_html_join(
            mark_safe("<br>"),  # noqa: S308 - a constant
            "{} {} · {} · {} – {} · {}",
            (
                (
                    record.reference,
                    record.subject_name,
                    record.ground,
                    record.public_from,
                    record.public_until,
                    record.filing_bureau,
                )
                for record in records
            ),
        )
        url = reverse("archive:records", args=[obj.pk])
        return format_html(
            '{}<br><a href="{}">{}</a>', rows, url, _("Read them in full (the reading is logged)")
        )

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        obj = super().get_object(request, object_id, from_field)
        obj._viewer = request.user  # whose jurisdiction the matching records are read in
        return obj


@admin.register(ArchiveAccessLog)
class ArchiveAccessLogAdmin(
    CappedCountMixin, NotFoundOutsideScopeMixin, NoBulkDeleteMixin, admin.ModelAdmin
):
    """Who read which archived record when. Staff of the addressed bureau and of the bureaus
    above it; read-only."""

    list_display = ["at", "user_display", "request_reference", "record_reference", "subject"]
    list_select_related = ["user", "archive_request", "record"]
    search_fields = ["archive_request__subject_name"]
    date_hierarchy = "at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ArchiveAccessLog]:
        return super().get_queryset(request).visible_to(request.user)  # type: ignore[attr-defined]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("read by"))
    def user_display(self, entry: ArchiveAccessLog) -> str:
        user = entry.user
        return f"{user.username} ({user.last_name}{user.first_name})"

    @admin.display(description=_("archive request"))
    def request_reference(self, entry: ArchiveAccessLog) -> str:
        return entry.archive_request.reference

    @admin.display(description=_("record"))
    def record_reference(self, entry: ArchiveAccessLog) -> str:
        return entry.record.reference

    @admin.display(description=_("name"))
    def subject(self, entry: ArchiveAccessLog) -> str:
        return entry.record.subject_name
