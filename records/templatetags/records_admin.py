from typing import Any

from django import template
from django.http import HttpRequest

from kernel.dashboard import dashboard_tiles_grouped
from records.models import User
from records.roles import Role, has_role
from records.selectors import DeadlineSummary, deadline_summary

register = template.Library()


@register.simple_tag
def deadline_summary_for(request: HttpRequest) -> DeadlineSummary | None:
    """Shown to the roles that answer for timeliness: filers, reviewers, supervisors."""
    user = request.user
    if not isinstance(user, User):
        return None  # signed out: no role
    if not any(has_role(user, r) for r in (Role.FILER, Role.REVIEWER, Role.SUPERVISOR)):
        return None
    return deadline_summary(user=user)


@register.simple_tag
def dashboard_groups_for(request: HttpRequest) -> list[dict[str, Any]]:
    """The tiles every capability contributes to the admin home (kernel.dashboard)."""
    if not isinstance(request.user, User):
        return []
    return dashboard_tiles_grouped(request)
