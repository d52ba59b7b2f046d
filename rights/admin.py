"""The publishing bureau's side: subject verifications, objections and repair applications
decided through decision pages that call the rights services; notices recorded with their
proof; the printable notice letter; the records still without a notice. Staff see what
concerns their bureau's region; a reviewer of the publishing bureau decides."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from kernel.admin_decisions import DecisionPage, DecisionPageMixin
from kernel.admin_lists import CappedCountMixin
from kernel.errors import add_service_errors
from kernel.files import private_file_response
from records.admin.base import NoBulkDeleteMixin, NotFoundOutsideScopeMixin
from records.models import BadRecord
from records.permissions import staff_user
from records.roles import Role, has_role
from rights.forms import AnswerForm, ClaimDecisionForm, NoticeForm, RepairDecisionForm
from rights.letters import notice_letter_context
from rights.models import (
    ClaimStatus,
    Notice,
    Objection,
    RepairApplication,
    RequestState,
    SubjectClaim,
)
from rights.services.access import answers_for, can_decide_claim
from rights.services.claims import subject_claim_decide
from rights.services.notices import notice_deadline, notice_record, records_without_notice
from rights.services.objections import objection_answer
from rights.services.repairs import repair_decide
from workdays.working_days import deadline_is_provisional

RIGHTS_ROLES = (Role.FILER, Role.REVIEWER, Role.SUPERVISOR)


class ReadOnlyAdmin(
    CappedCountMixin, NotFoundOutsideScopeMixin, NoBulkDeleteMixin, admin.ModelAdmin
):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Filers, reviewers and supervisors of a bureau (what they see is their region's);
        licensing officers, archive reviewers and administrators have no business here."""
        user = request.user
        return bool(
            getattr(user, "is_active", False)
            and getattr(user, "bureau_id", None)
            and any(has_role(user, role) for role in RIGHTS_ROLES)
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)


class StateFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("overdue", _("Past the deadline")), ("open", _("Waiting for an answer"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        if self.value() == "overdue":
            return queryset.overdue(on=timezone.localdate())  # type: ignore[attr-defined]
        if self.value() == "open":
            return queryset.filter(status=RequestState.OPEN)
        return queryset


def _deadline(obj: Any) -> str:
    text = obj.deadline.isoformat()
    if deadline_is_provisional(obj.filed_on, obj.deadline):
        text = format_html('{} <em class="deadline-provisional">{}</em>', text, _("(provisional)"))
    if obj.status == RequestState.OPEN and obj.deadline < timezone.localdate():
        return format_html('{} <strong class="deadline-overdue">{}</strong>', text, _("overdue"))
    return text


def _proofs(obj: Any, url_name: str) -> str:
    return format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        ((reverse(url_name, args=[obj.pk, p.pk]), p.original_name) for p in obj.proofs.all()),
    )


CLAIM_DECIDE = DecisionPage(
    title=lambda obj: _("Verify claim %(reference)s") % {"reference": obj.reference},
    form=lambda obj, data: ClaimDecisionForm(data),
    allowed=can_decide_claim,
    decide=lambda obj, by, data: subject_claim_decide(
        claim=obj, by=by, verify=data["decision"] == "verify", reasons=data["reasons"]
    ),
    done_message=lambda obj: _("The decision is saved; the account is e-mailed."),
    summary_template="admin/rights/claim_summary.html",
    is_open=lambda obj: obj.status == ClaimStatus.SUBMITTED,
)


@admin.register(SubjectClaim)
class SubjectClaimAdmin(DecisionPageMixin, ReadOnlyAdmin):
    list_display = ["reference", "subject", "identifier_kind", "status", "filed_on"]
    list_filter = ["status"]
    list_select_related = ["record"]
    fields = (
        "reference",
        "status",
        "decide_link",
        "subject",
        "acting_person",
        "account_email",
        "identifier_kind",
        "identifier",
        "proof_links",
        "filed_on",
        "decided_by",
        "decided_at",
        "decision_reasons",
    )
    readonly_fields = fields
    decision_pages = {"decide": CLAIM_DECIDE}
    decision_routes = [("<int:object_id>/decide/", "rights_subjectclaim_decide", "decide")]

    def get_queryset(self, request: HttpRequest) -> QuerySet[SubjectClaim]:
        bureau = getattr(request.user, "bureau", None)
        claims = super().get_queryset(request).select_related("record", "account")
        if bureau is None:
            return claims.none()
        return claims.filter(bureau__path__startswith=bureau.path)

    @admin.display(description=_("reference"), ordering="id")
    def reference(self, obj: SubjectClaim) -> str:
        return obj.reference

    @admin.display(description=_("subject"))
    def subject(self, obj: SubjectClaim) -> str:
        return f"{obj.record.reference} {obj.record.subject_name}"

    @admin.display(description=_("e-mail"))
    def account_email(self, obj: SubjectClaim) -> str:
        return obj.account.email

    @admin.display(description=_("proof files"))
    def proof_links(self, obj: SubjectClaim) -> str:
        return _proofs(obj, "rights:claim_proof")

    @admin.display(description=_("decision"))
    def decide_link(self, obj: SubjectClaim) -> str:
        if obj.status != ClaimStatus.SUBMITTED:
            return str(obj.get_status_display())
        url = reverse("admin:rights_subjectclaim_decide", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Verify or refuse"))


def _answer(obj: Objection, by: Any, data: dict[str, Any]) -> Objection:
    correction = None
    if data["decision"] == "corrected":
        correction = {k: v for k, v in data.items() if k in AnswerForm.CORRECTION_FIELDS}
    return objection_answer(
        objection=obj,
        by=by,
        decision=data["decision"],
        reasons=data["reasons"],
        correction=correction,
    )


def _answer_form(obj: Objection, data: Any) -> AnswerForm:
    record = obj.record
    return AnswerForm(
        data,
        initial={f: getattr(record, f) for f in AnswerForm.CORRECTION_FIELDS},
    )


OBJECTION_ANSWER = DecisionPage(
    title=lambda obj: _("Answer objection %(reference)s") % {"reference": obj.reference},
    form=_answer_form,
    allowed=lambda user, obj: answers_for(user, obj.record),
    decide=_answer,
    done_message=lambda obj: _("The answer is saved; the subject is e-mailed."),
    summary_template="admin/rights/request_summary.html",
    is_open=lambda obj: obj.status == RequestState.OPEN,
)


class SubjectRequestAdmin(DecisionPageMixin, ReadOnlyAdmin):
    list_display = [
        "reference",
        "record_reference",
        "subject",
        "status",
        "filed_on",
        "deadline_display",
    ]
    list_filter = [StateFilter, "status"]
    list_select_related = ["record"]
    proof_url = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        items = super().get_queryset(request).select_related("record", "claim")
        return items.visible_to(request.user)  # type: ignore[attr-defined]

    @admin.display(description=_("reference"), ordering="id")
    def reference(self, obj: Any) -> str:
        return str(obj.reference)

    @admin.display(description=_("record"))
    def record_reference(self, obj: Any) -> str:
        return str(obj.record.reference)

    @admin.display(description=_("subject"))
    def subject(self, obj: Any) -> str:
        return str(obj.record.subject_name)

    @admin.display(description=_("answer deadline"), ordering="deadline")
    def deadline_display(self, obj: Any) -> str:
        return _deadline(obj)

    @admin.display(description=_("proof files"))
    def proof_links(self, obj: Any) -> str:
        return _proofs(obj, self.proof_url)

    @admin.display(description=_("filed as"))
    def acting(self, obj: Any) -> str:
        return f"{obj.claim.reference} · {obj.claim.acting_person}"


@admin.register(Objection)
class ObjectionAdmin(SubjectRequestAdmin):
    proof_url = "rights:objection_proof"
    fields = (
        "reference",
        "status",
        "outcome",
        "answer_link",
        "record_reference",
        "subject",
        "acting",
        "grounds",
        "proof_links",
        "filed_on",
        "deadline_display",
        "decided_by",
        "decided_on",
        "decision_reasons",
    )
    readonly_fields = fields
    decision_pages = {"answer": OBJECTION_ANSWER}
    decision_routes = [("<int:object_id>/answer/", "rights_objection_answer", "answer")]

    @admin.display(description=_("answer"))
    def answer_link(self, obj: Objection) -> str:
        if obj.status != RequestState.OPEN:
            return obj.status_label
        url = reverse("admin:rights_objection_answer", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Answer"))


REPAIR_DECIDE = DecisionPage(
    title=lambda obj: _("Decide credit repair %(reference)s") % {"reference": obj.reference},
    form=lambda obj, data: RepairDecisionForm(data),
    allowed=lambda user, obj: answers_for(user, obj.record),
    decide=lambda obj, by, data: repair_decide(
        application=obj, by=by, approve=data["decision"] == "approve", reasons=data["reasons"]
    ),
    done_message=lambda obj: _("The decision is saved; the subject is e-mailed."),
    summary_template="admin/rights/request_summary.html",
    is_open=lambda obj: obj.status == RequestState.OPEN,
)


@admin.register(RepairApplication)
class RepairApplicationAdmin(SubjectRequestAdmin):
    proof_url = "rights:repair_proof"
    fields = (
        "reference",
        "status",
        "decide_link",
        "record_reference",
        "subject",
        "acting",
        "statement",
        "proof_links",
        "filed_on",
        "deadline_display",
        "decided_by",
        "decided_on",
        "decision_reasons",
    )
    readonly_fields = fields
    decision_pages = {"decide": REPAIR_DECIDE}
    decision_routes = [("<int:object_id>/decide/", "rights_repairapplication_decide", "decide")]

    @admin.display(description=_("decision"))
    def decide_link(self, obj: RepairApplication) -> str:
        if obj.status != RequestState.OPEN:
            return obj.status_label
        url = reverse("admin:rights_repairapplication_decide", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Approve or reject"))


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    """Notices served, and three pages of their own: the records without a notice, the form
    that records one (a reviewer of the publishing bureau) and the printable letter."""

    list_display = ["record_reference", "subject", "method", "served_on", "recorded_by"]
    list_filter = ["method"]
    list_select_related = ["record", "recorded_by"]
    fields = (
        "record_reference",
        "subject",
        "method",
        "served_on",
        "note",
        "proof_links",
        "recorded_by",
        "recorded_at",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Notice]:
        bureau = getattr(request.user, "bureau", None)
        notices = super().get_queryset(request)
        if bureau is None:
            return notices.none()
        return notices.filter(record__filing_bureau__path__startswith=bureau.path)

    def get_urls(self) -> list[Any]:
        site = self.admin_site
        return [
            path("missing/", site.admin_view(self.missing_view), name="rights_notice_missing"),
            path(
                "record/<int:record_id>/new/",
                site.admin_view(self.record_view),
                name="rights_notice_record",
            ),
            path(
                "record/<int:record_id>/letter/",
                site.admin_view(self.letter_view),
                name="rights_notice_letter",
            ),
            path(
                "<int:pk>/proof/<int:proof_pk>/",
                site.admin_view(self.proof_view),
                name="rights_notice_proof",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("record"))
    def record_reference(self, obj: Notice) -> str:
        return obj.record.reference

    @admin.display(description=_("subject"))
    def subject(self, obj: Notice) -> str:
        return obj.record.subject_name

    @admin.display(description=_("proof files"))
    def proof_links(self, obj: Notice) -> str:
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:rights_notice_proof", args=[obj.pk, p.pk]), p.original_name)
                for p in obj.proofs.all()
            ),
        )

    def _record(self, request: HttpRequest, record_id: int) -> BadRecord:
        """A published record of the account's region (404 otherwise), for a role that
        handles subjects' rights (403 otherwise)."""
        user = staff_user(request)
        record = get_object_or_404(
            BadRecord.objects.visible_to(user)
            .exclude(public_from=None)
            .select_related("filing_bureau"),
            pk=record_id,
        )
        if not self.has_view_permission(request):
            raise PermissionDenied
        return record

    def missing_view(self, request: HttpRequest) -> HttpResponse:
        """Published records of the region with no notice recorded (?overdue=1: only those
        past the setting's number of working days); the first 200, oldest first."""
        user = staff_user(request)
        if not self.has_view_permission(request):
            raise PermissionDenied
        overdue = request.GET.get("overdue") == "1"
        today = timezone.localdate()
        records = list(
            records_without_notice(BadRecord.objects.visible_to(user), overdue=overdue)
            .select_related("filing_bureau")
            .order_by("public_from", "id")[:200]
        )
        rows = [
            {
                "record": r,
                "deadline": notice_deadline(r),
                "overdue": (notice_deadline(r) or today) < today,
                "can_record": answers_for(user, r),
            }
            for r in records
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Published records without a notice to the subject"),
            "rows": rows,
            "overdue_only": overdue,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/rights/notice_missing.html", context)

    def record_view(self, request: HttpRequest, record_id: int) -> HttpResponse:
        record = self._record(request, record_id)
        user = staff_user(request)
        if not answers_for(user, record):
            raise Http404
        form = NoticeForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                notice_record(
                    by=user,
                    record=record,
                    data=form.cleaned_data,
                    proofs=form.cleaned_data.get("proofs") or [],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied:
                raise Http404 from None
            else:
                self.message_user(request, _("The notice is recorded."), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:rights_notice_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Record the notice of %(reference)s") % {"reference": record.reference},
            "record": record,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/rights/notice_form.html", context)

    def letter_view(self, request: HttpRequest, record_id: int) -> HttpResponse:
        """The notice letter (A4, Chinese), for staff of the region; printed and served."""
        record = self._record(request, record_id)
        return TemplateResponse(request, "rights/notice_letter.html", notice_letter_context(record))

    def proof_view(self, request: HttpRequest, pk: int, proof_pk: int) -> Any:
        notice = self.get_queryset(request).filter(pk=pk).first()
        if notice is None:
            raise Http404
        return private_file_response(
            request,
            notice.proofs.filter(pk=proof_pk).first(),
            allowed=self.has_view_permission(request),
        )
