"""The dashboard tiles of measures and leads (kernel.dashboard): rectification orders due
soon and overdue, leads waiting and overdue in the account's region, and for the handling
bureau its leads per status. A fixed number of queries whatever the region's size."""

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.dashboard import Tile, dashboard_tiles_register
from records.permissions import signed_in_account
from supervision.models import Lead, LeadStatus, MeasureKind, SupervisionMeasure
from supervision.permissions import can_supervise
from workdays.working_days import add_working_days


def rectification_tiles(request: HttpRequest) -> list[Tile]:
    user = signed_in_account(request)
    if user is None or not can_supervise(user):
        return []
    today = timezone.localdate()
    horizon = add_working_days(today, settings.SUPERVISION_DUE_SOON_WORKING_DAYS)
    counts = (
        SupervisionMeasure.objects.visible_to(user)
        .filter(kind=MeasureKind.RECTIFICATION_ORDER, result="")
        .aggregate(
            due_soon=Count("id", filter=Q(due_on__gte=today, due_on__lte=horizon)),
            overdue=Count("id", filter=Q(due_on__lt=today)),
        )
    )
    url = reverse("admin:supervision_supervisionmeasure_changelist")
    group = _("Rectification orders")
    return [
        Tile(group, _("due soon"), counts["due_soon"], f"{url}?due=soon", tone="warning"),
        Tile(group, _("overdue"), counts["overdue"], f"{url}?due=overdue", tone="alert"),
    ]


def lead_tiles(request: HttpRequest) -> list[Tile]:
    user = signed_in_account(request)
    if user is None or not can_supervise(user):
        return []
    today = timezone.localdate()
    bureau = user.bureau
    assert bureau is not None  # can_supervise
    waiting = Q(status__in=[LeadStatus.RECEIVED, LeadStatus.TRANSFERRED])
    # The region's waiting leads are counted from lead_waiting_cov_idx alone (no row read);
    # this bureau's own and transferred leads through their bureau indexes. Answered leads
    # of other bureaus (most of them, over the years) are not read at all.
    counts = Lead.objects.filter(waiting, bureau__path__startswith=bureau.path).aggregate(
        # Columns of the index (never null), so that no row is read.
        waiting=Count("answer_due"),
        overdue=Count("answer_due", filter=Q(answer_due__lt=today)),
        bureaus_waiting=Count("bureau", distinct=True),
    )
    own = Q(bureau_id=user.bureau_id)
    away = Q(transferred_from_id=user.bureau_id)  # wherever they went, even out of the region
    counts |= Lead.objects.filter(own | away).aggregate(
        own_accepted=Count("id", filter=own & Q(status=LeadStatus.ACCEPTED)),
        own_not_accepted=Count("id", filter=own & Q(status=LeadStatus.NOT_ACCEPTED)),
        own_transferred=Count("id", filter=away),
    )
    url = reverse("admin:supervision_lead_changelist")
    group = _("Leads from the public")
    return [
        Tile(group, _("waiting for a first answer"), counts["waiting"], f"{url}?answer=waiting"),
        Tile(
            group,
            _("past the first-answer deadline"),
            counts["overdue"],
            f"{url}?answer=overdue",
            tone="alert",
        ),
        Tile(
            group,
            _("accepted by this bureau"),
            counts["own_accepted"],
            f"{url}?status=accepted&bureau__id__exact={user.bureau_id}",
        ),
        Tile(
            group,
            _("not accepted by this bureau"),
            counts["own_not_accepted"],
            f"{url}?status=not_accepted&bureau__id__exact={user.bureau_id}",
        ),
        Tile(
            group,
            _("transferred away by this bureau"),
            counts["own_transferred"],
            # A lead transferred out of the region leaves this bureau's lists; the per-bureau
            # figures count it.
            reverse("admin:supervision_lead_statistics") + f"#bureau-{user.bureau_id}",
        ),
        Tile(
            group,
            _("bureaus with leads waiting (per-bureau figures)"),
            counts["bureaus_waiting"],
            reverse("admin:supervision_lead_statistics"),
        ),
    ]


def measures_tiles_register() -> None:
    dashboard_tiles_register("supervision-rectifications", rectification_tiles)
    dashboard_tiles_register("supervision-leads", lead_tiles)
