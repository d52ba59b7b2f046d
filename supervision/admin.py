"""Staff side of measures and leads. Every list and page reads through the models' visible_to
(the account's bureau and the bureaus below it); anything outside answers 404. Saving and
every decision go through the services."""

import csv
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from kernel.admin_decisions import DecisionPage, DecisionPageMixin
from kernel.admin_lists import CappedCountMixin, CappedCountPaginator
from kernel.files import private_file_response
from records.admin.base import (
    NoBulkDeleteMixin,
    NotFoundOutsideScopeMixin,
    ServiceConflictMixin,
    refresh_into,
)
from records.models import Bureau
from records.permissions import signed_in_account, staff_user
from supervision import permissions
from supervision.forms import (
    FollowUpForm,
    LeadMeasureForm,
    LeadRecordForm,
    MeasureForm,
    RecordStartForm,
    TriageForm,
)
from supervision.models import Lead, LeadStatus, MeasureKind, SupervisionMeasure
from supervision.services import leads as lead_services
from supervision.services import measures as measure_services
from workdays.working_days import add_working_days


class ReadersOnlyMixin:
    """Staff who read measures and leads (permissions.can_read_supervision); nobody else
    sees the app. Nothing is ever deleted."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        user = signed_in_account(request)
        return user is not None and permissions.can_read_supervision(user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RegionFilter(admin.SimpleListFilter):
    """The bureaus directly below the account's, each with everything below it: a province
    supervisor narrows to a city, then the city's list narrows to a county."""

    title = _("region")
    parameter_name = "region"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        user = signed_in_account(request)
        if user is None or user.bureau_id is None:
            return []
        return [(b.code, b.name) for b in Bureau.objects.filter(parent_id=user.bureau_id)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        if not self.value():
            return queryset
        region = Bureau.objects.filter(code=self.value()).first()
        if region is None:
            return queryset.none()
        return queryset.filter(bureau__path__startswith=region.path)


class DueFilter(admin.SimpleListFilter):
    title = _("rectification")
    parameter_name = "due"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("open", _("Waiting for the follow-up")),
            ("soon", _("Due soon")),
            ("overdue", _("Overdue")),
            ("done", _("Followed up")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[SupervisionMeasure]) -> Any:
        today = timezone.localdate()
        measures: Any = queryset
        if self.value() == "open":
            return measures.awaiting_follow_up()
        if self.value() == "soon":
            return measure_services.rectifications_due_soon(measures, today=today)
        if self.value() == "overdue":
            return measures.rectification_overdue(on=today)
        if self.value() == "done":
            return queryset.filter(kind=MeasureKind.RECTIFICATION_ORDER).exclude(result="")
        return queryset


def _follow_up(obj: SupervisionMeasure, by: Any, data: dict[str, Any]) -> Any:
    return measure_services.measure_follow_up(
        measure=obj, by=by, result=data["result"], result_on=data["result_on"], note=data["note"]
    )


MEASURE_PAGES = {
    "follow-up": DecisionPage(
        title=lambda obj: _("Record the follow-up of %(ref)s") % {"ref": obj.reference},
        form=lambda obj, data: FollowUpForm(data),
        allowed=permissions.can_follow_up,
        decide=_follow_up,
        done_message=lambda obj: _("The follow-up is recorded."),
        summary_template="supervision/measures/summary.html",
        is_open=lambda obj: obj.is_rectification_order and not obj.result,
    ),
    "start-record": DecisionPage(
        title=lambda obj: _("Start a new draft record about %(name)s") % {"name": obj.subject_name},
        form=lambda obj, data: RecordStartForm(data),
        allowed=measure_services.can_start_record,
        decide=lambda obj, by, data: measure_services.measure_record_start(
            measure=obj, by=by, ground=data["ground"]
        ),
        done_message=lambda obj: _(
            "A draft record is started; complete it and submit it from the records list."
        ),
        summary_template="supervision/measures/summary.html",
        submit_label=_("Start the draft record"),
        is_open=lambda obj: obj.follow_up_record_id is None,
    ),
}


@admin.register(SupervisionMeasure)
class SupervisionMeasureAdmin(
    CappedCountMixin,
    DecisionPageMixin,
    ServiceConflictMixin,
    NotFoundOutsideScopeMixin,
    NoBulkDeleteMixin,
    ReadersOnlyMixin,
    admin.ModelAdmin,
):
    """Measures of the account's region. Supervisors and reviewers (a setting) log them and
    record follow-ups; filers read them and start a draft record when nothing was rectified."""

    form = MeasureForm
    list_display = [
        "reference",
        "subject_name",
        "kind",
        "taken_on",
        "bureau",
        "due_display",
        "result",
    ]
    list_filter = [
        DueFilter,
        "kind",
        "result",
        RegionFilter,
        ("bureau", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["subject_name"]
    list_select_related = ["bureau"]
    list_per_page = 50
    change_list_template = "supervision/measures/change_list.html"
    readonly_fields = [
        "reference",
        "actions_display",
        "subject_name",
        "kind",
        "taken_on",
        "officers",
        "findings",
        "records_display",
        "attachments_display",
        "bureau",
        "requirements",
        "due_on",
        "result",
        "result_on",
        "result_note",
        "follow_up_record_display",
        "leads_display",
    ]
    decision_pages = MEASURE_PAGES
    decision_routes = [("<int:object_id>/decide/<slug:page>/", "supervision_measure_decide", None)]
    decision_denied_is_forbidden = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[SupervisionMeasure]:
        return SupervisionMeasure.objects.visible_to(staff_user(request)).select_related("bureau")

    def has_add_permission(self, request: HttpRequest) -> bool:
        user = signed_in_account(request)
        return user is not None and permissions.can_supervise(user)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return list(self.form.base_fields)
        return self.readonly_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else []

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is not None:  # read-only: a plain form with no fields
            kwargs.update(fields=[], form=forms.ModelForm)
            return super().get_form(request, obj, change=change, **kwargs)
        kwargs["fields"] = MeasureForm.Meta.fields
        form = super().get_form(request, obj, change=change, **kwargs)
        return type("ScopedMeasureForm", (form,), {"user": staff_user(request)})

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {
            "records": request.GET.get("records", "")[:200],
            "taken_on": timezone.localdate(),
        }

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = measure_services.measure_create(
            by=staff_user(request),
            data=form.cleaned_data,
            uploads=form.cleaned_data.get("attachments") or [],
        )
        refresh_into(obj, saved)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The service saved the records concerned and the files."""

    @admin.display(description=_("reference"), ordering="id")
    def reference(self, obj: SupervisionMeasure) -> str:
        return obj.reference

    @admin.display(description=_("rectification due"), ordering="due_on")
    def due_display(self, obj: SupervisionMeasure) -> str:
        if not obj.due_on:
            return "—"
        state = obj.state()
        date = obj.due_on.isoformat()
        if state == "overdue":
            return format_html(
                '{} <strong class="deadline-overdue">{}</strong>', date, _("overdue")
            )
        return date

    @admin.display(description=_("records concerned"))
    def records_display(self, obj: SupervisionMeasure) -> str:
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:records_badrecord_change", args=[record.pk]), record.reference)
                for record in obj.records.all()
            ),
        )

    @admin.display(description=_("attachments"))
    def attachments_display(self, obj: SupervisionMeasure) -> str:
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (
                    reverse("admin:supervision_measure_attachment", args=[obj.pk, item.pk]),
                    item.original_name,
                )
                for item in obj.attachments.all()
            ),
        ) or str(_("none"))

    @admin.display(description=_("new draft record"))
    def follow_up_record_display(self, obj: SupervisionMeasure) -> str:
        record = obj.follow_up_record
        if record is None:
            return "—"
        url = reverse("admin:records_badrecord_change", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, record.reference)

    @admin.display(description=_("from leads"))
    def leads_display(self, obj: SupervisionMeasure) -> str:
        return ", ".join(lead.number for lead in obj.leads.all()) or "—"

    @admin.display(description=_("actions"))
    def actions_display(self, obj: SupervisionMeasure) -> str:
        user = obj._viewer  # type: ignore[attr-defined]
        links = [
            (reverse("admin:supervision_measure_decide", args=[obj.pk, name]), page.title(obj))
            for name, page in MEASURE_PAGES.items()
            if page.allowed(user, obj) and page.is_open(obj)
        ]
        return format_html_join(" ", '<a class="button" href="{}">{}</a>', links) or "—"

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        obj = super().get_object(request, object_id, from_field)
        obj._viewer = staff_user(request)
        return obj

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "<int:measure_id>/attachment/<int:attachment_id>/",
                self.admin_site.admin_view(self.attachment_view),
                name="supervision_measure_attachment",
            ),
            path(
                "unsupervised/",
                self.admin_site.admin_view(self.unsupervised_view),
                name="supervision_measure_unsupervised",
            ),
        ]
        return own + super().get_urls()

    def attachment_view(self, request: HttpRequest, measure_id: int, attachment_id: int) -> Any:
        user = signed_in_account(request)
        allowed = user is not None and permissions.can_read_supervision(user)
        measure = get_object_or_404(self.get_queryset(request), pk=measure_id) if allowed else None
        return private_file_response(
            request,
            measure.attachments.filter(pk=attachment_id).first() if measure else None,
            allowed=allowed,
        )

    def unsupervised_view(self, request: HttpRequest) -> HttpResponse:
        """Listed but not supervised: public records of the region whose subject had no
        measure within SUPERVISION_UNSUPERVISED_DAYS of publication."""
        user = staff_user(request)
        if not permissions.can_read_supervision(user):
            raise PermissionDenied
        records = measure_services.listed_unsupervised(user=user)
        # A capped count, as every staff list: a province's records are not counted in full.
        paginator = CappedCountPaginator(records, 50, cap=settings.ADMIN_LIST_COUNT_CAP)
        page = paginator.get_page(request.GET.get("p"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Listed but not supervised"),
            "opts": self.model._meta,
            "page": page,
            "days": settings.SUPERVISION_UNSUPERVISED_DAYS,
            "can_log": permissions.can_supervise(user),
            "add_url": reverse("admin:supervision_supervisionmeasure_add"),
        }
        return TemplateResponse(request, "supervision/measures/unsupervised.html", context)


class AnswerFilter(admin.SimpleListFilter):
    title = _("first answer")
    parameter_name = "answer"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("waiting", _("Waiting for triage")),
            ("soon", _("Due soon")),
            ("overdue", _("Past the deadline")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Lead]) -> Any:
        today = timezone.localdate()
        leads: Any = queryset
        if self.value() == "waiting":
            return leads.waiting()
        if self.value() == "soon":
            horizon = add_working_days(today, settings.LEAD_REMINDER_WORKING_DAYS)
            return leads.waiting().filter(answer_due__gte=today, answer_due__lte=horizon)
        if self.value() == "overdue":
            return leads.overdue(on=today)
        return queryset


def _triage(obj: Lead, by: Any, data: dict[str, Any]) -> Any:
    return lead_services.lead_decide(lead=obj, by=by, **data)


LEAD_PAGES = {
    "triage": DecisionPage(
        title=lambda obj: _("Triage lead %(number)s") % {"number": obj.number},
        form=lambda obj, data: TriageForm(data),
        allowed=permissions.can_triage,
        decide=lambda obj, by, data: _triage(obj, by, _triage_data(data)),
        done_message=lambda obj: _("The lead is triaged."),
        summary_template="supervision/leads/summary.html",
        is_open=lambda obj: obj.status in (LeadStatus.RECEIVED, LeadStatus.TRANSFERRED),
    ),
    "measure": DecisionPage(
        title=lambda obj: _("Log a measure from lead %(number)s") % {"number": obj.number},
        form=lambda obj, data: _lead_measure_form(obj, data),
        allowed=permissions.can_act_on_accepted_lead,
        decide=lambda obj, by, data: lead_services.lead_measure_create(lead=obj, by=by, data=data),
        done_message=lambda obj: _("The measure is logged and linked to the lead."),
        summary_template="supervision/leads/summary.html",
        is_open=lambda obj: obj.measure_id is None and obj.record_id is None,
    ),
    "record": DecisionPage(
        title=lambda obj: _("Start a draft record from lead %(number)s") % {"number": obj.number},
        form=lambda obj, data: LeadRecordForm(data),
        allowed=permissions.can_act_on_accepted_lead,
        decide=lambda obj, by, data: lead_services.lead_record_start(
            lead=obj, by=by, identifier=data["identifier"], ground=data["ground"]
        ),
        done_message=lambda obj: _(
            "A draft record is started and linked to the lead; complete it from the records list."
        ),
        summary_template="supervision/leads/summary.html",
        is_open=lambda obj: obj.measure_id is None and obj.record_id is None,
    ),
}


def _spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet program will not run as a formula (text typed by the public)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def _triage_data(data: dict[str, Any]) -> dict[str, Any]:
    bureau_id = data.get("to_bureau")
    return {
        "decision": data["decision"],
        "reason": data["reason"],
        "internal_note": data["internal_note"],
        "to_bureau": Bureau.objects.filter(pk=bureau_id).first() if bureau_id else None,
    }


def _lead_measure_form(obj: Lead, data: Any) -> LeadMeasureForm:
    return LeadMeasureForm(data, initial={"taken_on": timezone.localdate()})


@admin.register(Lead)
class LeadAdmin(
    CappedCountMixin,
    DecisionPageMixin,
    NotFoundOutsideScopeMixin,
    NoBulkDeleteMixin,
    ReadersOnlyMixin,
    admin.ModelAdmin,
):
    """Leads handled by the account's bureau or the bureaus below it. The handling bureau's
    staff triage them; the reporter's contact is shown only to them."""

    list_display = ["number", "subject_name", "bureau", "status", "filed_on", "answer_display"]
    list_filter = [
        AnswerFilter,
        "status",
        RegionFilter,
        ("bureau", admin.RelatedOnlyFieldListFilter),
        ("transferred_from", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["number", "subject_name"]
    list_select_related = ["bureau"]
    list_per_page = 50
    change_list_template = "supervision/leads/change_list.html"
    readonly_fields = [
        "number",
        "status",
        "actions_display",
        "bureau",
        "transferred_from",
        "subject_name",
        "subject_identifiers",
        "happened_on",
        "what_happened",
        "attachments_display",
        "contact_display",
        "wants_reply",
        "filed_on",
        "answer_due",
        "decision_reason",
        "internal_note",
        "decided_at",
        "measure_display",
        "record_display",
    ]
    fields = tuple(readonly_fields)
    decision_pages = LEAD_PAGES
    decision_routes = [("<int:object_id>/decide/<slug:page>/", "supervision_lead_decide", None)]
    decision_denied_is_forbidden = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Lead]:
        return Lead.objects.visible_to(staff_user(request)).select_related(
            "bureau", "transferred_from"
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        obj = super().get_object(request, object_id, from_field)
        obj._viewer = staff_user(request)
        return obj

    @admin.display(description=_("first answer due"), ordering="answer_due")
    def answer_display(self, obj: Lead) -> str:
        date = obj.answer_due.isoformat()
        waiting = obj.status in (LeadStatus.RECEIVED, LeadStatus.TRANSFERRED)
        if waiting and obj.answer_due < timezone.localdate():
            return format_html(
                '{} <strong class="deadline-overdue">{}</strong>', date, _("overdue")
            )
        return date if waiting else "—"

    @admin.display(description=_("contact (phone or e-mail)"))
    def contact_display(self, obj: Lead) -> str:
        if not obj.contact:
            return "—"
        if permissions.can_see_contact(obj._viewer, obj):  # type: ignore[attr-defined]
            return obj.contact
        return obj.contact_masked

    @admin.display(description=_("attachments"))
    def attachments_display(self, obj: Lead) -> str:
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (
                    reverse("admin:supervision_lead_attachment", args=[obj.pk, item.pk]),
                    item.original_name,
                )
                for item in obj.attachments.all()
            ),
        ) or str(_("none"))

    @admin.display(description=_("supervision measure"))
    def measure_display(self, obj: Lead) -> str:
        if obj.measure_id is None:
            return "—"
        url = reverse("admin:supervision_supervisionmeasure_change", args=[obj.measure_id])
        return format_html('<a href="{}">SM{:08d}</a>', url, obj.measure_id)

    @admin.display(description=_("draft record"))
    def record_display(self, obj: Lead) -> str:
        if obj.record_id is None:
            return "—"
        url = reverse("admin:records_badrecord_change", args=[obj.record_id])
        return format_html('<a href="{}">TR{:08d}</a>', url, obj.record_id)

    @admin.display(description=_("actions"))
    def actions_display(self, obj: Lead) -> str:
        user = obj._viewer  # type: ignore[attr-defined]
        links = [
            (reverse("admin:supervision_lead_decide", args=[obj.pk, name]), page.title(obj))
            for name, page in LEAD_PAGES.items()
            if page.allowed(user, obj) and page.is_open(obj)
        ]
        return format_html_join(" ", '<a class="button" href="{}">{}</a>', links) or "—"

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "export.csv",
                self.admin_site.admin_view(self.export_view),
                name="supervision_lead_export",
            ),
            path(
                "statistics/",
                self.admin_site.admin_view(self.statistics_view),
                name="supervision_lead_statistics",
            ),
            path(
                "<int:lead_id>/attachment/<int:attachment_id>/",
                self.admin_site.admin_view(self.attachment_view),
                name="supervision_lead_attachment",
            ),
        ]
        return own + super().get_urls()

    def statistics_view(self, request: HttpRequest) -> HttpResponse:
        """Leads per handling bureau of the account's region: two grouped queries."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Leads per bureau"),
            "opts": self.model._meta,
            "rows": lead_services.lead_statistics(user=staff_user(request)),
            "list_url": reverse("admin:supervision_lead_changelist"),
        }
        return TemplateResponse(request, "supervision/leads/statistics.html", context)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """The filtered list as CSV, at most ADMIN_LIST_COUNT_CAP rows. The contact is
        masked for everyone: an exported file travels beyond the handling bureau."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        leads = self.get_changelist_instance(request).get_queryset(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="leads.csv"'
        response["Cache-Control"] = "private, no-store"
        response.write("\ufeff")  # so that spreadsheet programs read UTF-8
        writer = csv.writer(response)
        writer.writerow(
            [
                str(_("receipt number")),
                str(_("operator or practitioner")),
                str(_("handling bureau")),
                str(_("status")),
                str(_("filed on")),
                str(_("first answer due")),
                str(_("contact (phone or e-mail)")),
            ]
        )
        for lead in leads[: settings.ADMIN_LIST_COUNT_CAP]:
            writer.writerow(
                [
                    lead.number,
                    _spreadsheet_safe(lead.subject_name),
                    str(lead.bureau),
                    lead.get_status_display(),
                    lead.filed_on.isoformat(),
                    lead.answer_due.isoformat(),
                    lead.contact_masked,
                ]
            )
        return response

    def attachment_view(self, request: HttpRequest, lead_id: int, attachment_id: int) -> Any:
        user = signed_in_account(request)
        allowed = user is not None and permissions.can_read_supervision(user)
        lead = get_object_or_404(self.get_queryset(request), pk=lead_id) if allowed else None
        return private_file_response(
            request,
            lead.attachments.filter(pk=attachment_id).first() if lead else None,
            allowed=allowed,
        )
