"""Leads (举报线索) from the public (SPEC §8): anyone files one without an account and follows it
with a receipt number and a secret code; the receiving bureau triages it (accepted, transferred
with a reason, not accepted with a reason) and turns an accepted lead into a supervision
measure or a draft record. A first answer is due within LEAD_FIRST_ANSWER_WORKING_DAYS."""

import datetime
import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import FieldErrors
from kernel.identifiers import lookup_key, mask_identity_number
from kernel.names import normalize_name, search_key
from records.models import BadRecord, Bureau, Ground, Operator, Practitioner, SubjectType, User
from records.models.bad_records import GROUNDS_FOR
from records.services.bad_records import record_create
from supervision import lead_mail, permissions
from supervision.models import Lead, LeadAttachment, LeadStatus, SupervisionMeasure
from supervision.services.measures import _check_uploads, measure_create, subject_record_data
from workdays.working_days import add_working_days

# No 0/O, 1/I/L: the number and code are read off a screen or paper and typed in.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
_PHONE = re.compile(r"\+?[0-9][0-9 -]{5,18}[0-9]")
_IDENTITY_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9Xx])")

DECISIONS = ("accept", "transfer", "not_accept")


def _random(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def _code_hash(code: str) -> str:
    typed = (code or "").strip().upper().replace(" ", "").replace("-", "")
    return hmac.new(settings.SECRET_KEY.encode(), typed.encode(), hashlib.sha256).hexdigest()


def contact_key(contact: str) -> str:
    """The contact as the limits and duplicate checks count it."""
    text = normalize_name(contact or "").casefold()
    return text if "@" in text else re.sub(r"[^0-9+]", "", text)


def _duplicate_key(subject_name: str, text: str) -> str:
    normalized = re.sub(r"\s+", "", normalize_name(text)).casefold()
    return hashlib.sha256(f"{search_key(subject_name)}\0{normalized}".encode()).hexdigest()


def _clean_contact(errors: FieldErrors, contact: str) -> str:
    contact = normalize_name(contact)
    if not contact:
        return ""
    if "@" in contact:
        try:
            validate_email(contact)
        except ValidationError:
            errors.add("contact", _("Enter a valid e-mail address or phone number."))
    elif not _PHONE.fullmatch(contact):
        errors.add("contact", _("Enter a valid e-mail address or phone number."))
    if len(contact) > 120:
        errors.add("contact", _("At most 120 characters."))
    return contact


def _masked(text: str) -> str:
    """A reporter may type a person's identity number: it is never kept in full (SPEC §4),
    since a lead is read beyond any one filing bureau."""
    return _IDENTITY_NUMBER.sub(lambda m: mask_identity_number(m.group(0)), text)


def lead_clean(*, data: dict[str, Any], today: datetime.date | None = None) -> dict[str, Any]:
    """Check a lead's fields; raise ValidationError naming each bad field."""
    today = today or timezone.localdate()
    errors = FieldErrors()
    cleaned: dict[str, Any] = {
        "subject_name": normalize_name(str(data.get("subject_name") or "")),
        "subject_identifiers": _masked(normalize_name(str(data.get("subject_identifiers") or ""))),
        "bureau": data.get("bureau"),
        "what_happened": _masked(str(data.get("what_happened") or "").strip()),
        "happened_on": data.get("happened_on"),
        "wants_reply": bool(data.get("wants_reply")),
    }
    cleaned["contact"] = _clean_contact(errors, str(data.get("contact") or ""))
    if not cleaned["subject_name"]:
        errors.add("subject_name", _("Name the operator or practitioner."))
    elif len(cleaned["subject_name"]) > 200:
        errors.add("subject_name", _("At most 200 characters."))
    if len(cleaned["subject_identifiers"]) > 100:
        errors.add("subject_identifiers", _("At most 100 characters."))
    if not isinstance(cleaned["bureau"], Bureau):
        errors.add("bureau", _("Choose the region where it happened."))
    text = cleaned["what_happened"]
    if not text:
        errors.add("what_happened", _("Describe what happened."))
    elif len(text) > settings.LEAD_TEXT_MAX_CHARS:
        errors.add(
            "what_happened",
            _("At most %(n)d characters; this text has %(length)d.")
            % {"n": settings.LEAD_TEXT_MAX_CHARS, "length": len(text)},
        )
    happened_on = cleaned["happened_on"]
    if not isinstance(happened_on, datetime.date):
        errors.add("happened_on", _("Enter a valid date."))
    elif happened_on > today:
        errors.add("happened_on", _("The date cannot be in the future."))
    if cleaned["wants_reply"] and not cleaned["contact"]:
        errors.add("contact", _("Give a phone number or e-mail address to get a reply."))
    errors.raise_if_any()
    return cleaned


@transaction.atomic
def lead_file(
    *, data: dict[str, Any], uploads: Sequence["UploadedFile[bytes]"] = ()
) -> tuple[Lead, str]:
    """File a lead from the public form. Returns the lead and its secret code, which is shown
    once and kept only as a keyed hash."""
    cleaned = lead_clean(data=data)
    errors = FieldErrors()
    if len(uploads) > settings.LEAD_MAX_ATTACHMENTS:
        errors.add(
            "attachments",
            _("At most %(n)d files can be attached.") % {"n": settings.LEAD_MAX_ATTACHMENTS},
        )
        checked = []
    else:
        checked = _check_uploads(errors, uploads)
    duplicate_key = _duplicate_key(cleaned["subject_name"], cleaned["what_happened"])
    today = timezone.localdate()
    since = today - datetime.timedelta(days=settings.LEAD_DUPLICATE_DAYS)
    if Lead.objects.filter(duplicate_key=duplicate_key, filed_on__gte=since).exists():
        errors.add(
            "what_happened",
            _(
                "The same lead about this subject was filed already and is being handled; "
                "follow it with the receipt number you were given."
            ),
        )
    errors.raise_if_any()
    code = _random(CODE_LENGTH)
    number = f"XS{today:%y%m%d}{_random(6)}"
    while Lead.objects.filter(number=number).exists():
        number = f"XS{today:%y%m%d}{_random(6)}"
    lead = Lead.objects.create(
        number=number,
        code_hash=_code_hash(code),
        subject_name_key=search_key(cleaned["subject_name"]),
        contact_key=contact_key(cleaned["contact"]),
        duplicate_key=duplicate_key,
        filed_on=today,
        answer_due=add_working_days(today, settings.LEAD_FIRST_ANSWER_WORKING_DAYS),
        **cleaned,
    )
    audit_log(
        actor=None,
        action="lead_file",
        obj=lead,
        # The contact stays out of the audit trail: it is shown to the handling bureau only.
        after={
            "number": lead.number,
            "bureau": lead.bureau_id,
            "subject_name": lead.subject_name,
            "answer_due": lead.answer_due,
            "attachments": len(checked),
        },
    )
    for upload, facts in checked:
        attachment = LeadAttachment(lead=lead)
        attachment.store(upload, facts)
        attachment.save()
    return lead, code


def lead_find(*, number: str, code: str) -> Lead | None:
    """The lead with this receipt number and code, or None; both answers take as long."""
    lead = Lead.objects.select_related("bureau").filter(number=number.strip().upper()).first()
    expected = lead.code_hash if lead else "0" * 64
    matches = hmac.compare_digest(expected.encode(), _code_hash(code).encode())
    return lead if lead is not None and matches else None


def _locked(lead: Lead) -> Lead:
    return Lead.objects.select_for_update().select_related("bureau").get(pk=lead.pk)


@transaction.atomic
def lead_decide(
    *,
    lead: Lead,
    by: User,
    decision: str,
    reason: str,
    to_bureau: Bureau | None = None,
    internal_note: str = "",
) -> Lead:
    """Triage: accept, transfer to another bureau (with the reason) or not accept (with the
    reason). A transferred lead waits for the new bureau's triage, with a new deadline."""
    lead = _locked(lead)
    if not permissions.can_triage(by, lead):
        raise PermissionDenied(_("Only the handling bureau's staff may triage this lead now."))
    errors = FieldErrors()
    reason = str(reason or "").strip()
    if decision not in DECISIONS:
        errors.add("decision", _("Choose accepted, transferred or not accepted."))
    if decision in ("transfer", "not_accept") and not reason:
        errors.add("reason", _("Give the reason; the reporter reads it."))
    if decision == "transfer":
        if not isinstance(to_bureau, Bureau):
            errors.add("to_bureau", _("Choose the bureau the lead goes to."))
        elif to_bureau.pk == lead.bureau_id:
            errors.add("to_bureau", _("The lead is already with this bureau."))
    errors.raise_if_any()
    before = {"status": lead.status, "bureau": lead.bureau_id, "answer_due": lead.answer_due}
    today = timezone.localdate()
    lead.decision_reason = reason
    lead.internal_note = str(internal_note or "").strip()
    lead.decided_by, lead.decided_at = by, timezone.now()
    if decision == "transfer":
        assert isinstance(to_bureau, Bureau)
        lead.transferred_from_id = lead.bureau_id
        lead.bureau = to_bureau
        lead.status = LeadStatus.TRANSFERRED
        lead.answer_due = add_working_days(today, settings.LEAD_FIRST_ANSWER_WORKING_DAYS)
        lead.reminded_on = None
    else:
        lead.status = LeadStatus.ACCEPTED if decision == "accept" else LeadStatus.NOT_ACCEPTED
    lead.save()
    audit_log(
        actor=by,
        action=f"lead_{decision}",
        obj=lead,
        before=before,
        after={"status": lead.status, "bureau": lead.bureau_id, "answer_due": lead.answer_due},
        reason=reason,
    )
    if lead.wants_reply and "@" in lead.contact:
        lead_mail.queue_answer_email(lead_id=lead.pk)
    return lead


@transaction.atomic
def lead_measure_create(
    *,
    lead: Lead,
    by: User,
    data: dict[str, Any],
    uploads: Sequence["UploadedFile[bytes]"] = (),
) -> SupervisionMeasure:
    """An accepted lead becomes a supervision measure, linked back to the lead."""
    lead = _locked(lead)
    if not permissions.can_act_on_accepted_lead(by, lead):
        raise PermissionDenied(_("Only an accepted lead with no measure or record yet."))
    measure = measure_create(by=by, data=data, uploads=uploads)
    lead.measure = measure
    lead.save(update_fields=["measure"])
    audit_log(actor=by, action="lead_measure_create", obj=lead, after={"measure": measure.pk})
    return measure


def _subject_by_identifier(identifier: str) -> Operator | Practitioner | None:
    key = lookup_key(identifier)
    if not key:
        return None
    text = normalize_name(identifier).upper()
    operator = Operator.objects.filter(Q(credit_code=text) | Q(licence_no=text)).first()
    if operator is not None:
        return operator
    return Practitioner.objects.filter(certificate_no=text).first()


@transaction.atomic
def lead_record_start(
    *, lead: Lead, by: User, identifier: str, ground: str = Ground.G7
) -> BadRecord:
    """An accepted lead becomes a draft record about the subject named by its credit code,
    licence or certificate number, through the records service; linked back to the lead."""
    lead = _locked(lead)
    if not permissions.can_act_on_accepted_lead(by, lead):
        raise PermissionDenied(_("Only an accepted lead with no measure or record yet."))
    subject = _subject_by_identifier(identifier)
    if subject is None:
        raise ValidationError(
            {"identifier": _("No operator or practitioner has this credit code or number.")}
        )
    subject_type = (
        SubjectType.OPERATOR if isinstance(subject, Operator) else SubjectType.PRACTITIONER
    )
    if ground not in GROUNDS_FOR[subject_type]:
        raise ValidationError({"ground": _("This ground does not apply to this subject.")})
    record = record_create(
        by=by,
        data=subject_record_data(
            subject_type=subject_type,
            operator=subject if isinstance(subject, Operator) else None,
            practitioner=subject if isinstance(subject, Practitioner) else None,
            ground=ground,
            cause=lead.what_happened,
            basis_number=lead.number,
            basis_issuer=str(lead.bureau),
            basis_date=lead.filed_on,
        ),
    )
    lead.record = record
    lead.save(update_fields=["record"])
    audit_log(actor=by, action="lead_record_start", obj=lead, after={"record": record.pk})
    return record


# Deadlines, reminders and the overdue lists (beat tasks call these).


def leads_remind(*, today: datetime.date | None = None) -> int:
    """Remind the handling bureau's staff once about each waiting lead due within
    LEAD_REMINDER_WORKING_DAYS. The claim is a conditional UPDATE committed with the outbox
    job, so a second run (or two at once) reminds nobody twice. Returns the count."""
    day = today or timezone.localdate()
    horizon = add_working_days(day, settings.LEAD_REMINDER_WORKING_DAYS)
    candidates = list(
        Lead.objects.waiting()
        .filter(reminded_on=None, answer_due__gte=day, answer_due__lte=horizon)
        .values_list("pk", flat=True)
    )
    reminded = 0
    for pk in candidates:
        with transaction.atomic():
            if Lead.objects.filter(pk=pk, reminded_on=None).update(reminded_on=day):
                lead_mail.queue_reminder_email(lead_id=pk)
                reminded += 1
    return reminded


@transaction.atomic
def leads_overdue_digests_queue(*, today: datetime.date | None = None) -> int:
    """Queue each bureau's list of leads past their first-answer deadline; returns the number
    of bureaus. The job re-reads the leads, so one answered meanwhile is left out."""
    day = today or timezone.localdate()
    digest: dict[int, list[int]] = {}
    for pk, bureau_id in Lead.objects.overdue(on=day).values_list("pk", "bureau_id"):
        digest.setdefault(bureau_id, []).append(pk)
    for bureau_id, ids in digest.items():
        lead_mail.queue_overdue_digest(bureau_id=bureau_id, lead_ids=ids)
    return len(digest)


def lead_deadlines_recompute(
    *, first_day: datetime.date, last_day: datetime.date, by: Any, reason: str
) -> int:
    """Waiting leads' first-answer deadlines follow a corrected working-day calendar. A lead
    filed (or transferred) on day D is due LEAD_FIRST_ANSWER_WORKING_DAYS after D; a
    transferred one counts from the transfer."""
    waiting = Lead.objects.select_for_update().filter(
        status__in=[LeadStatus.RECEIVED, LeadStatus.TRANSFERRED],
        answer_due__gte=first_day,
        filed_on__lte=last_day,
    )
    changed = []
    for lead in waiting.order_by("pk"):
        start = (
            timezone.localdate(lead.decided_at)
            if lead.status == LeadStatus.TRANSFERRED and lead.decided_at
            else lead.filed_on
        )
        due = add_working_days(start, settings.LEAD_FIRST_ANSWER_WORKING_DAYS)
        if due == lead.answer_due:
            continue
        audit_log(
            actor=by,
            action="lead_deadline_recomputed",
            obj=lead,
            before={"answer_due": lead.answer_due},
            after={"answer_due": due},
            reason=reason,
        )
        lead.answer_due = due
        changed.append(lead)
    Lead.objects.bulk_update(changed, ["answer_due"])
    return len(changed)


def lead_statistics(*, user: User, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """Leads per handling bureau of the account's region, with what each bureau transferred
    away: one row per bureau that has any, ordered by division code."""
    day = today or timezone.localdate()
    waiting = Q(status__in=[LeadStatus.RECEIVED, LeadStatus.TRANSFERRED])
    visible = Lead.objects.visible_to(user)
    rows: dict[int, dict[str, Any]] = {
        row["bureau_id"]: dict(row)
        for row in visible.order_by()
        .values("bureau_id")
        .annotate(
            total=Count("id"),
            waiting=Count("id", filter=waiting),
            overdue=Count("id", filter=waiting & Q(answer_due__lt=day)),
            accepted=Count("id", filter=Q(status=LeadStatus.ACCEPTED)),
            not_accepted=Count("id", filter=Q(status=LeadStatus.NOT_ACCEPTED)),
        )
    }
    bureau = getattr(user, "bureau", None)
    transferred = (
        Lead.objects.filter(transferred_from__path__startswith=bureau.path)
        .order_by()
        .values("transferred_from_id")
        .annotate(n=Count("id"))
        if bureau is not None and user.is_active
        else []
    )
    empty = {"total": 0, "waiting": 0, "overdue": 0, "accepted": 0, "not_accepted": 0}
    for item in transferred:
        key = item["transferred_from_id"]
        rows.setdefault(key, {"bureau_id": key, **empty})["transferred_away"] = item["n"]
    names = Bureau.objects.in_bulk(list(rows))
    result = [
        {"transferred_away": 0, **row, "bureau": names[pk]}
        for pk, row in rows.items()
        if pk in names
    ]
    return sorted(result, key=lambda row: row["bureau"].code)
