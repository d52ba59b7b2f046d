import datetime
import html
from typing import Any, cast

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from kernel.admin_decisions import DecisionPage, DecisionPageMixin
from kernel.admin_lists import CappedCountMixin, choice_label
from kernel.audit import action_label
from kernel.files import private_file_response
from kernel.models import AuditEvent
from records import permissions
from records.admin.base import (
    NoBulkDeleteMixin,
    NotFoundOutsideScopeMixin,
    SafeAutocompleteMixin,
    ServiceConflictMixin,
    refresh_into,
)
from records.forms import (
    BadRecordForm,
    ConfirmForm,
    EvidenceUploadForm,
    PublishForm,
    ReturnForm,
    WithdrawForm,
    correction_form_class,
)
from records.models import BadRecord, BadRecordVersion, Bureau, Evidence, Ground
from records.models.bad_records import BadRecordQuerySet
from records.permissions import signed_in_account, staff_user
from records.services import bad_records as services
from records.services.evidence import evidence_add
from records.staff_search import staff_search_records
from records.timeliness import deadline_state, warning_horizon
from workdays.working_days import deadline_is_provisional

READ_ONLY_INFO = [
    "reference",
    "status",
    "deadline_display",
    "is_late",
    "late_publication_reason",
    "publication_working_days",
    "public_from",
    "public_until",
    "version",
    "filing_bureau",
    "filed_by",
    "submitted_at",
    "reviewed_by",
    "reviewed_at",
    "return_comment",
    "withdrawal_reason",
]


class TimelinessFilter(admin.SimpleListFilter):
    title = _("timeliness")
    parameter_name = "timeliness"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("overdue", _("Past the publication deadline")),
            ("due_soon", _("Deadline near or past")),
            ("late", _("Published late")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[BadRecord]) -> Any:
        today = timezone.localdate()
        # The admin hands over the queryset of its get_queryset: a BadRecordQuerySet.
        records = cast(BadRecordQuerySet, queryset)
        if self.value() == "overdue":
            return records.pending_due(by=today - datetime.timedelta(days=1))
        if self.value() == "due_soon":
            return records.pending_due(by=warning_horizon(today))
        if self.value() == "late":
            return queryset.filter(is_late=True)
        return queryset


class RegionFilter(admin.SimpleListFilter):
    """Records filed by a bureau and the bureaus below it, by division code: the link target
    of the accountability report's rolled-up rows (supervision). Only the chosen region is
    offered, so the filter costs one query however many bureaus there are."""

    title = _("region")
    parameter_name = "region"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        bureau = self._bureau()
        return [(bureau.code, str(bureau))] if bureau is not None else []

    def has_output(self) -> bool:
        return self.value() is not None

    def _bureau(self) -> Bureau | None:
        if not hasattr(self, "_chosen"):
            code = self.value() or ""
            self._chosen = (
                Bureau.objects.filter(code=code).first()
                if code.isdigit() and len(code) == 6
                else None
            )
        return self._chosen

    def queryset(self, request: HttpRequest, queryset: QuerySet[BadRecord]) -> Any:
        if self.value() is None:
            return queryset
        bureau = self._bureau()
        if bureau is None:
            return queryset.none()
        return cast(BadRecordQuerySet, queryset).in_jurisdiction(bureau)


class FiledBureauFilter(admin.SimpleListFilter):
    """Records filed by exactly one bureau (not those below it)."""

    title = _("filing bureau")
    parameter_name = "filed_by_bureau"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        code = self.value() or ""
        bureau = Bureau.objects.filter(code=code).first() if code.isdigit() else None
        return [(bureau.code, str(bureau))] if bureau is not None else []

    def has_output(self) -> bool:
        return self.value() is not None

    def queryset(self, request: HttpRequest, queryset: QuerySet[BadRecord]) -> Any:
        if self.value() is None:
            return queryset
        return queryset.filter(filing_bureau__code=self.value())


class EvidenceListInline(admin.TabularInline):
    model = Evidence
    verbose_name_plural = _("evidence files")
    fields = readonly_fields = ("download", "content_type", "size", "uploaded_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True  # the parent admin decides who sees the record at all

    @admin.display(description=_("file"))
    def download(self, evidence: Evidence) -> str:
        url = reverse("admin:records_badrecord_evidence", args=[evidence.record_id, evidence.pk])
        return format_html('<a href="{}">{}</a>', url, evidence.original_name)


class EvidenceUploadInline(admin.TabularInline):
    """Adds evidence through the service; lists nothing (EvidenceListInline does)."""

    model = Evidence
    form = EvidenceUploadForm
    verbose_name_plural = _("add evidence (PDF, JPEG or PNG, at most 10 MB)")
    extra = 1
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Evidence]:
        return Evidence.objects.none()

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user = signed_in_account(request)
        return user is not None and (
            obj is None
            and permissions.can_file(user)
            or (obj is not None and permissions.can_edit_record(user, obj))
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_add_permission(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_add_permission(request, obj)


class VersionInline(admin.TabularInline):
    model = BadRecordVersion
    fk_name = "record"
    fields = readonly_fields = (
        "version",
        "corrected_at",
        "corrected_by",
        "correction_reason",
        "data",
    )
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True  # the parent admin decides who sees the record at all


def history_table(record: BadRecord) -> str:
    """The record's audit events, oldest first, as a read-only table: local time, who, the
    action in the reader's language and, field by field, what changed (names, not ids)."""
    events = list(
        AuditEvent.objects.for_record(record).select_related("actor").order_by("at", "id")
    )
    names = _related_names(events)
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                date_format(timezone.localtime(event.at), "Y-m-d H:i"),
                _actor(event.actor),
                action_label(event.action),
                _event_changes(event, names),
                event.reason,
            )
            for event in events
        ),
    )
    return format_html(
        '<table class="record-history"><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
        '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead>'
        "<tbody>{}</tbody></table>",
        _("time"),
        _("by"),
        _("action"),
        _("changes"),
        _("reason"),
        rows,
    )


def _actor(user: Any) -> str:
    if user is None:
        return "—"
    name = f"{user.last_name}{user.first_name}".strip()
    return f"{name}（{user.username}）" if name else user.username


def _related_names(events: list[AuditEvent]) -> dict[tuple[str, Any], str]:
    """The names behind the ids the events hold (the subject, bureaus): one query per kind."""
    wanted: dict[str, set[Any]] = {}
    for event in events:
        for key, value in [*event.before.items(), *event.after.items()]:
            if value not in (None, "") and _foreign_key(key) is not None:
                wanted.setdefault(key, set()).add(value)
    names = {}
    for key, ids in wanted.items():
        model = _foreign_key(key).related_model
        for pk, obj in model._default_manager.in_bulk(ids).items():
            names[(key, pk)] = str(obj)
    return names


def _foreign_key(name: str) -> Any:
    try:
        field = BadRecord._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if getattr(field, "many_to_one", False) else None


def _event_changes(event: AuditEvent, names: dict[tuple[str, Any], str]) -> str:
    """A list of the fields that changed, each `label: before → after`; on creation, only
    the fields given a value."""
    keys = list(dict.fromkeys([*event.before, *event.after]))
    items = []
    for key in keys:
        before = _shown(key, event.before.get(key), names)
        after = _shown(key, event.after.get(key), names)
        if before == after:
            continue
        if not event.before:
            items.append((_field_label(key), after))
        else:
            items.append((_field_label(key), f"{before} → {after}"))
    if not items:
        return ""
    return format_html(
        '<ul class="changes">{}</ul>',
        format_html_join("", "<li><strong>{}</strong>: {}</li>", items),
    )


def _field_label(name: str) -> str:
    try:
        return str(getattr(BadRecord._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:
        return name


def _shown(name: str, value: Any, names: dict[tuple[str, Any], str]) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if (name, value) in names:
        return names[(name, value)]
    try:
        choices = dict(getattr(BadRecord._meta.get_field(name), "flatchoices", ()))
    except FieldDoesNotExist:
        choices = {}
    return str(choices.get(value, value))


def _transition(title: Any, form_class: Any, allowed: Any, decide: Any) -> DecisionPage:
    return DecisionPage(
        title=lambda record: title,
        form=lambda record, data: form_class(data),
        allowed=allowed,
        decide=decide,
        done_message=lambda record: _("Done: %(action)s.") % {"action": title},
        summary_template="admin/records/badrecord/transition_summary.html",
    )


_CORRECT_TITLE = _("Correct the published record")
_PUBLISH_TITLE = _("Approve and publish")

# The transition pages, each calling one service of records.services.bad_records.
TRANSITIONS: dict[str, DecisionPage] = {
    "submit": _transition(
        _("Submit for review"),
        ConfirmForm,
        permissions.can_edit_record,
        lambda record, by, data: services.record_submit(record=record, by=by),
    ),
    "publish": DecisionPage(
        title=lambda record: _PUBLISH_TITLE,
        form=lambda record, data: PublishForm(data, record=record),
        allowed=permissions.can_review_record,
        decide=lambda record, by, data: services.record_publish(
            record=record,
            by=by,
            public_from=data.get("public_from"),
            late_reason=data.get("late_reason", ""),
        ),
        done_message=lambda record: _("Done: %(action)s.") % {"action": _PUBLISH_TITLE},
        summary_template="admin/records/badrecord/transition_summary.html",
    ),
    "return": _transition(
        _("Return to the filer"),
        ReturnForm,
        permissions.can_review_record,
        lambda record, by, data: services.record_return(
            record=record, by=by, comment=data["comment"]
        ),
    ),
    "withdraw": _transition(
        _("Withdraw from publication"),
        WithdrawForm,
        permissions.can_amend_published,
        lambda record, by, data: services.record_withdraw(
            record=record, by=by, reason=data["reason"]
        ),
    ),
    "correct": DecisionPage(
        title=lambda record: _CORRECT_TITLE,
        form=lambda record, data: correction_form_class(record)(data, instance=record),
        allowed=permissions.can_amend_published,
        decide=lambda record, by, data: services.record_correct(
            record=record, by=by, data=data, reason=data.get("reason", "")
        ),
        done_message=lambda record: _("Done: %(action)s.") % {"action": _CORRECT_TITLE},
        summary_template="admin/records/badrecord/transition_summary.html",
    ),
}


@admin.register(BadRecord)
class BadRecordAdmin(
    CappedCountMixin,
    DecisionPageMixin,
    ServiceConflictMixin,
    SafeAutocompleteMixin,
    NotFoundOutsideScopeMixin,
    NoBulkDeleteMixin,
    admin.ModelAdmin,
):
    """Intake of bad records. Filers draft and submit, reviewers publish, return, withdraw and
    correct; supervisors read. Every account sees its bureau's region and below only."""

    form = BadRecordForm
    change_form_template = "admin/records/badrecord/change_form.html"
    autocomplete_fields = ["operator", "practitioner"]
    list_display = [
        "reference",
        "subject_name",
        "ground_code",
        "status",
        "filing_bureau",
        "deadline_display",
        "is_late",
        "public_from_display",
        "public_until_display",
    ]
    list_filter = [
        "status",
        TimelinessFilter,
        "ground",
        "subject_type",
        "basis_type",
        RegionFilter,
        FiledBureauFilter,
    ]
    # Shows the search box; the search itself is get_search_results.
    search_fields = ["subject_name"]
    search_help_text = _("Name, licence, certificate or credit code, or basis document number.")
    list_select_related = ["filing_bureau"]
    list_per_page = 50
    fieldsets = [
        (_("Subject"), {"fields": ["subject_type", "operator", "practitioner"]}),
        (
            _("Ground and cause"),
            {
                "fields": ["ground", "cause", "penalty_decision", "complaint_result"],
            },
        ),
        (
            _("Basis document"),
            {
                "fields": [
                    "basis_type",
                    "basis_number",
                    "basis_issuer",
                    "basis_date",
                    "obtained_on",
                ],
            },
        ),
        (_("Publication period"), {"fields": ["period_years", "period_legal_basis"]}),
        (_("Internal"), {"fields": ["internal_note"]}),
    ]
    inlines = [EvidenceListInline, EvidenceUploadInline, VersionInline]
    decision_pages = TRANSITIONS
    decision_routes = [
        ("<int:object_id>/transition/<slug:page>/", "records_badrecord_transition", None)
    ]
    # The record is in the account's list already: refusing a transition with 403 tells it
    # nothing it does not know.
    decision_denied_is_forbidden = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[BadRecord]:
        return BadRecord.objects.visible_to(staff_user(request)).select_related("filing_bureau")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[BadRecord], search_term: str
    ) -> tuple[QuerySet[BadRecord], bool]:
        return staff_search_records(queryset, search_term), False

    def get_inline_instances(self, request: HttpRequest, obj: BadRecord | None = None) -> Any:
        inlines = super().get_inline_instances(request, obj)
        if obj is None:  # a new record has no files, versions or history yet
            return [i for i in inlines if isinstance(i, EvidenceUploadInline)]
        return inlines

    def get_fieldsets(self, request: HttpRequest, obj: BadRecord | None = None) -> Any:
        fieldsets = list(self.fieldsets)
        if obj is not None:
            fieldsets.insert(0, (_("Record"), {"fields": tuple(READ_ONLY_INFO)}))
            fieldsets.append((_("history"), {"fields": ("history",)}))
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: BadRecord | None = None) -> Any:
        return [*READ_ONLY_INFO, "history"] if obj is not None else []

    @admin.display(description=_("history"))
    def history(self, record: BadRecord) -> str:
        return history_table(record)

    @admin.display(description=_("reference"), ordering="id")
    def reference(self, record: BadRecord) -> str:
        return record.reference

    # The list stays one line a record: the ground by its code (its meaning is in the filter
    # beside the list and on the record), every date in the same ISO form as the deadline.
    @admin.display(description=_("ground"), ordering="ground")
    def ground_code(self, record: BadRecord) -> str:
        # Not get_ground_display(): it translates every label of the choices on each call.
        # Plain escaping: format_html's lazy-string checks cost more than the rest of the row.
        label = html.escape(str(choice_label(Ground, record.ground)))
        return mark_safe(f'<abbr title="{label}">{html.escape(record.ground)}</abbr>')  # noqa: S308 - escaped above

    @admin.display(description=_("publication start"), ordering="public_from")
    def public_from_display(self, record: BadRecord) -> str:
        return record.public_from.isoformat() if record.public_from else "—"

    @admin.display(description=_("last day of publication"), ordering="public_until")
    def public_until_display(self, record: BadRecord) -> str:
        return record.public_until.isoformat() if record.public_until else "—"

    @admin.display(description=_("publication deadline"), ordering="publish_deadline")
    def deadline_display(self, record: BadRecord) -> str:
        state = deadline_state(record)
        date = record.publish_deadline.isoformat()
        if deadline_is_provisional(record.obtained_on, record.publish_deadline):
            # Counted across a year without an approved calendar (SPEC §3).
            date = format_html(
                '{} <em class="deadline-provisional">{}</em>', date, _("(provisional)")
            )
        if state.state == "overdue":
            text = _("overdue by %(n)d working day(s)") % {"n": -state.working_days_left}
            return format_html('{} <strong class="deadline-overdue">{}</strong>', date, text)
        if state.state == "due_soon":
            text = _("%(n)d working day(s) left") % {"n": state.working_days_left}
            return format_html('{} <strong class="deadline-soon">{}</strong>', date, text)
        return date

    # Permissions: model-level from the role's group, object-level from records.permissions.

    def has_add_permission(self, request: HttpRequest) -> bool:
        user = signed_in_account(request)
        return user is not None and permissions.can_file(user)

    def has_change_permission(self, request: HttpRequest, obj: BadRecord | None = None) -> bool:
        user = signed_in_account(request)
        if user is None:
            return False
        if obj is None:
            return permissions.can_file(user)
        return permissions.can_edit_record(user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: BadRecord | None = None) -> bool:
        user = signed_in_account(request)
        if user is None or obj is None:
            return False
        return permissions.can_delete_record(user, obj)

    def has_view_permission(self, request: HttpRequest, obj: BadRecord | None = None) -> bool:
        user = signed_in_account(request)
        return user is not None and (
            user.is_active
            and user.bureau_id is not None
            and (
                super().has_view_permission(request, obj)
                or self.has_change_permission(request, obj)
            )
        )

    # Saving goes through the services.

    def save_model(self, request: HttpRequest, obj: BadRecord, form: Any, change: bool) -> None:
        if change:
            saved = services.record_update(
                record=obj, by=staff_user(request), data=form.cleaned_data
            )
        else:
            saved = services.record_create(by=staff_user(request), data=form.cleaned_data)
        refresh_into(obj, saved)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # Inlines here are read-only lists except the upload one, whose rows go through the
        # service; nothing is saved by the formset itself.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if not issubclass(formset.form, EvidenceUploadForm):
            return
        for evidence_form in formset.forms:
            upload = evidence_form.cleaned_data.get("file")
            if upload and evidence_form.has_changed():
                formset.new_objects.append(
                    evidence_add(record=formset.instance, by=staff_user(request), upload=upload)
                )

    def delete_model(self, request: HttpRequest, obj: BadRecord) -> None:
        services.record_delete_draft(record=obj, by=staff_user(request))

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        obj = kwargs.get("obj")
        if obj is not None:
            context["transitions"] = [
                (name, page.title(obj))
                for name, page in TRANSITIONS.items()
                if page.allowed(staff_user(request), obj)
            ]
        return super().render_change_form(request, context, *args, **kwargs)

    # Evidence downloads (the transition pages come from DecisionPageMixin).

    def get_urls(self) -> list[Any]:
        urls = [
            path(
                "<int:record_id>/evidence/<int:evidence_id>/",
                self.admin_site.admin_view(self.evidence_view),
                name="records_badrecord_evidence",
            ),
        ]
        return urls + super().get_urls()

    def _record_or_404(self, request: HttpRequest, record_id: int) -> BadRecord:
        return get_object_or_404(self.get_queryset(request), pk=record_id)

    def evidence_view(self, request: HttpRequest, record_id: int, evidence_id: int) -> Any:
        record = self._record_or_404(request, record_id)
        return private_file_response(
            request,
            record.evidence.filter(pk=evidence_id).first(),
            allowed=self.has_view_permission(request, record),
        )
