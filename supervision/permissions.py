"""Who may do what with supervision measures and leads (SPEC §8). The services enforce these;
the admin asks them only to decide which pages and buttons to show."""

from django.conf import settings

from records.models import User
from records.roles import roles_of
from supervision.models import Lead, LeadStatus, SupervisionMeasure


def can_supervise(user: User) -> bool:
    """Log measures and triage leads: staff of a bureau holding one of the roles of
    SUPERVISION_MEASURE_ROLES (supervisor and reviewer unless configured otherwise)."""
    return (
        user.is_active
        and user.bureau_id is not None
        and bool(roles_of(user) & set(settings.SUPERVISION_MEASURE_ROLES))
    )


def _within(user: User, bureau_path: str) -> bool:
    bureau = getattr(user, "bureau", None)
    return bool(bureau and bureau_path.startswith(bureau.path))


def can_view_measure(user: User, measure: SupervisionMeasure) -> bool:
    return SupervisionMeasure.objects.visible_to(user).filter(pk=measure.pk).exists()


def can_follow_up(user: User, measure: SupervisionMeasure) -> bool:
    """The ordering bureau's region follows its orders up."""
    return (
        can_supervise(user)
        and _within(user, measure.bureau.path)
        and measure.is_rectification_order
        and not measure.result
    )


def can_view_lead(user: User, lead: Lead) -> bool:
    return user.is_active and _within(user, lead.bureau.path)


def can_triage(user: User, lead: Lead) -> bool:
    """Only the handling bureau's own staff answer a lead; the bureaus above watch."""
    return (
        can_supervise(user)
        and user.bureau_id == lead.bureau_id
        and lead.status in (LeadStatus.RECEIVED, LeadStatus.TRANSFERRED)
    )


def can_act_on_accepted_lead(user: User, lead: Lead) -> bool:
    return (
        can_supervise(user)
        and user.bureau_id == lead.bureau_id
        and lead.status == LeadStatus.ACCEPTED
        and lead.measure_id is None
        and lead.record_id is None
    )


def can_see_contact(user: User, lead: Lead) -> bool:
    """The reporter's contact is personal data: the handling bureau's staff only."""
    return user.is_active and user.bureau_id is not None and user.bureau_id == lead.bureau_id


# Besides the roles that log measures, filers read them: a subject that did not rectify
# becomes a new draft record, which a filer starts.
READER_ROLES = frozenset({"filer", "reviewer", "supervisor"})


def can_read_supervision(user: User) -> bool:
    """See the measures and leads of the bureau's region (never beyond it)."""
    return (
        user.is_active
        and user.bureau_id is not None
        and bool(roles_of(user) & (READER_ROLES | set(settings.SUPERVISION_MEASURE_ROLES)))
    )
