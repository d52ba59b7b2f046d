"""The rights tiles of the staff admin home: published records still without a notice after
NOTICE_OVERDUE_WORKING_DAYS, and objections, repair applications and subject verifications
waiting or overdue, in the signed-in account's region. Five queries whatever its size; the
first counts at most ADMIN_LIST_COUNT_CAP records ("10,000+" beyond)."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.admin_lists import capped_count
from kernel.dashboard import Tile
from records.models import BadRecord, User
from records.roles import Role, has_role
from rights.models import ClaimStatus, Objection, RepairApplication, SubjectClaim
from rights.services.notices import records_without_notice


def rights_tiles(request: HttpRequest) -> list[Tile]:
    user = request.user
    if not isinstance(user, User) or user.bureau is None or not user.is_staff:
        return []
    if not any(has_role(user, role) for role in (Role.FILER, Role.REVIEWER, Role.SUPERVISOR)):
        return []
    today = timezone.localdate()
    group = str(_("Subjects' rights"))
    # Capped like the list it links to: nationally an exact count reads every published
    # record against the notices (a quarter of a second at a million records).
    no_notice = capped_count(
        records_without_notice(BadRecord.objects.visible_to(user), today=today)
    )
    tiles = [
        Tile(
            group,
            str(_("published records without a notice")),
            no_notice,
            reverse("admin:rights_notice_missing") + "?overdue=1",
            "alert" if no_notice else "normal",
        )
    ]
    for model, label in (
        (Objection, _("objections")),
        (RepairApplication, _("repair applications")),
    ):
        scoped = model.objects.visible_to(user)
        url = reverse(f"admin:rights_{model._meta.model_name}_changelist")
        waiting = scoped.open().count()
        overdue = scoped.overdue(on=today).count()
        tiles.append(Tile(group, f"{label}: {_('waiting')}", waiting, f"{url}?state=open"))
        tiles.append(
            Tile(
                group,
                f"{label}: {_('past the deadline')}",
                overdue,
                f"{url}?state=overdue",
                "alert" if overdue else "normal",
            )
        )
    claims = SubjectClaim.objects.filter(
        bureau__path__startswith=user.bureau.path, status=ClaimStatus.SUBMITTED
    ).count()
    tiles.append(
        Tile(
            group,
            str(_("subject verifications waiting")),
            claims,
            reverse("admin:rights_subjectclaim_changelist") + "?status__exact=submitted",
        )
    )
    return tiles
