"""The national administrator's pages for the working-day calendar: enter or paste a year,
see it on twelve month grids, approve it, correct it later. Every save calls a service."""

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from kernel.models import AuditEvent
from workdays import services
from workdays.forms import CalendarYearForm
from workdays.models import CalendarStatus, CalendarYear
from workdays.month_view import WEEKDAYS, month_grids

ACTION_LABELS = {
    "calendar_year_create": _("entered"),
    "calendar_year_update": _("changed (draft)"),
    "calendar_year_approve": _("approved"),
    "calendar_year_correct": _("corrected"),
    "calendar_year_load": _("loaded from the chinese-calendar package"),
}


def month_view_html(calendar: CalendarYear) -> str:
    days = {d: (k, n) for d, k, n in calendar.days.values_list("date", "kind", "name")}
    return render_to_string(
        "admin/workdays/calendaryear/months.html",
        {"months": month_grids(calendar.year, days), "weekdays": WEEKDAYS},
    )


# ModelAdmin is generic in the stubs only.
if TYPE_CHECKING:
    _CalendarYearModelAdmin = admin.ModelAdmin[CalendarYear]
else:
    _CalendarYearModelAdmin = admin.ModelAdmin


@admin.register(CalendarYear)
class CalendarYearAdmin(_CalendarYearModelAdmin):
    form = CalendarYearForm
    change_form_template = "admin/workdays/calendaryear/change_form.html"
    list_display = ["year", "status", "notice_number", "notice_title", "entered_by", "approved_by"]
    list_filter = ["status"]
    list_select_related = ["entered_by", "approved_by"]
    readonly_fields = ["status", "entered_by", "approved_by", "approved_at", "corrected_at"]

    def get_fieldsets(self, request: HttpRequest, obj: CalendarYear | None = None) -> Any:
        fields = ["year", "notice_number", "notice_date", "notice_title", "days_off"]
        fields += ["working_days"]
        if obj is not None and obj.status == CalendarStatus.APPROVED:
            fields.append("reason")
        fieldsets: list[tuple[Any, dict[str, Any]]] = [(None, {"fields": fields})]
        if obj is not None:
            fieldsets.insert(0, (_("Status"), {"fields": self.readonly_fields}))
            fieldsets.append((_("Month view"), {"fields": ["month_view"]}))
            fieldsets.append((_("history"), {"fields": ["history"]}))
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: CalendarYear | None = None) -> Any:
        if obj is None:
            return []
        return ["year", *self.readonly_fields, "month_view", "history"]

    @admin.display(description=_("month view"))
    def month_view(self, calendar: CalendarYear) -> str:
        return month_view_html(calendar)

    @admin.display(description=_("history"))
    def history(self, calendar: CalendarYear) -> str:
        events = AuditEvent.objects.filter(
            object_type="calendaryear", object_id=str(calendar.pk)
        ).select_related("actor")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    date_format(timezone.localtime(e.at), "Y-m-d H:i"),
                    e.actor or "—",
                    ACTION_LABELS.get(e.action, e.action),
                    e.reason,
                )
                for e in events.order_by("at", "id")
            ),
        )
        return format_html(
            '<table><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            _("time"),
            _("by"),
            _("action"),
            _("reason"),
            rows,
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a calendar deadlines were counted on is corrected, never deleted

    def save_model(self, request: HttpRequest, obj: CalendarYear, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change and obj.status == CalendarStatus.APPROVED:
            counts = services.calendar_year_correct(
                calendar=obj, by=request.user, data=data, reason=data.get("reason", "")
            )
            self._report_recomputed(request, counts)
            saved = obj
        else:
            saved = services.calendar_year_save(
                by=request.user, data=data, calendar=obj if change else None
            )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # the days are saved by the service

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        obj = kwargs.get("obj")
        context["can_approve"] = (
            obj is not None
            and obj.status == CalendarStatus.DRAFT
            and self.has_change_permission(request, obj)
        )
        return super().render_change_form(request, context, *args, **kwargs)

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<int:calendar_id>/approve/",
                self.admin_site.admin_view(self.approve_view),
                name="workdays_calendaryear_approve",
            ),
            *super().get_urls(),
        ]

    def approve_view(self, request: HttpRequest, calendar_id: int) -> HttpResponse:
        calendar = get_object_or_404(CalendarYear, pk=calendar_id)
        if not self.has_change_permission(request, calendar):
            raise PermissionDenied
        change_url = reverse("admin:workdays_calendaryear_change", args=[calendar.pk])
        if request.method == "POST":
            try:
                counts = services.calendar_year_approve(calendar=calendar, by=request.user)
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request, _("Calendar %(year)d approved.") % {"year": calendar.year}
                )
                self._report_recomputed(request, counts)
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Approve the calendar of %(year)d") % {"year": calendar.year},
            "calendar": calendar,
            "month_view": month_view_html(calendar),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/workdays/calendaryear/approve.html", context)

    def _report_recomputed(self, request: HttpRequest, counts: dict[str, int]) -> None:
        changed = sum(counts.values())
        if changed:
            self.message_user(
                request,
                _("%(n)d open deadline(s) were counted again; see each one's history.")
                % {"n": changed},
                messages.WARNING,
            )
