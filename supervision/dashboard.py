"""The timeliness tiles of the staff admin home (kernel.dashboard): supervisors, bureau
administrators and the national administrator see their region; filers and reviewers their
own bureau's work. Two queries whatever the size of the region: the backlog by status and
the overdue count in one, the on-time shares of this quarter and the last in the other."""

import datetime
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.dashboard import Tile, dashboard_tiles_register
from records.models import BadRecord, RecordStatus
from records.models.bad_records import PENDING_STATUSES
from records.models.bureaus import BureauLevel
from records.permissions import signed_in_account
from records.roles import Role, has_role
from supervision.accountability.access import can_read_accountability
from supervision.accountability.periods import Period, previous_quarter, quarter_of

BACKLOG = [
    (RecordStatus.DRAFT, "draft"),
    (RecordStatus.SUBMITTED, "submitted"),
    (RecordStatus.RETURNED, "returned"),
    (RecordStatus.SCHEDULED, "scheduled"),
]


def _share_text(on_time: int, published: int) -> str:
    return f"{on_time / published:.0%}" if published else "—"


def timeliness_tiles(request: HttpRequest) -> list[Tile]:
    user = signed_in_account(request)
    if user is None or not user.is_active or user.bureau is None:
        return []
    bureau = user.bureau
    region_wide = can_read_accountability(user)
    if region_wide:
        # The national authority's region is every record: no join to the bureaus.
        national = bureau.level == BureauLevel.NATIONAL
        records: QuerySet[BadRecord] = (
            BadRecord.objects.all() if national else BadRecord.objects.in_jurisdiction(bureau)
        )
        scope = {"region": bureau.code}
        group = _("Timeliness in %(region)s") % {"region": bureau}
    elif has_role(user, Role.FILER) or has_role(user, Role.REVIEWER):
        records = BadRecord.objects.filter(filing_bureau=bureau)
        scope = {"filed_by_bureau": bureau.code}
        group = _("Our bureau's work")
    else:
        return []
    today = timezone.localdate()
    # Counted columns are ones the indexes hold (not the id), so that PostgreSQL can answer
    # from the indexes alone.
    backlog = records.filter(status__in=[status for status, _key in BACKLOG]).aggregate(
        **{key: Count("status", filter=Q(status=status)) for status, key in BACKLOG},
        overdue=Count(
            "status", filter=Q(status__in=sorted(PENDING_STATUSES), publish_deadline__lt=today)
        ),
    )
    this_quarter = quarter_of(today)
    last_quarter = previous_quarter(this_quarter)
    shares = records.filter(
        public_from__gte=last_quarter.start,
        public_from__lte=this_quarter.end,
        publication_working_days__isnull=False,
    ).aggregate(
        this_total=Count("public_from", filter=Q(public_from__gte=this_quarter.start)),
        this_on_time=Count(
            "public_from", filter=Q(public_from__gte=this_quarter.start, is_late=False)
        ),
        last_total=Count("public_from", filter=Q(public_from__lte=last_quarter.end)),
        last_on_time=Count(
            "public_from", filter=Q(public_from__lte=last_quarter.end, is_late=False)
        ),
    )
    changelist = reverse("admin:records_badrecord_changelist")
    labels = {
        "draft": _("drafts"),
        "submitted": _("waiting for review"),
        "returned": _("returned to the filer"),
        "scheduled": _("scheduled for publication"),
    }
    tiles = [
        Tile(
            group,
            labels[key],
            backlog[key],
            changelist + "?" + urlencode(scope | {"status": status.value}),
        )
        for status, key in BACKLOG
    ]
    tiles.append(
        Tile(
            group,
            _("past the publication deadline"),
            backlog["overdue"],
            changelist + "?" + urlencode(scope | {"timeliness": "overdue"}),
            tone="alert" if backlog["overdue"] else "normal",
        )
    )
    for label, period, on_time, total in (
        (_("on time this quarter"), this_quarter, "this_on_time", "this_total"),
        (_("on time last quarter"), last_quarter, "last_on_time", "last_total"),
    ):
        tiles.append(
            Tile(
                group,
                label,
                _share_text(shares[on_time], shares[total]),
                _period_url(region_wide, bureau.code, period, scope, min(today, period.end)),
            )
        )
    return tiles


def _period_url(
    region_wide: bool, code: str, period: Period, scope: dict[str, str], end: datetime.date
) -> str:
    """The accountability report of the quarter for those who may read it; the record list
    of the quarter's publications for the others."""
    if region_wide:
        return reverse("accountability:report") + "?" + urlencode({"bureau": code} | period.query())
    params = scope | {
        "public_from__gte": period.start.isoformat(),
        "public_from__lte": end.isoformat(),
    }
    return reverse("admin:records_badrecord_changelist") + "?" + urlencode(params)


def dashboard_register() -> None:
    dashboard_tiles_register("supervision.timeliness", timeliness_tiles)
