from django import template
from django.http import HttpRequest
from django.utils import timezone

from workdays.selectors import calendar_warning_year
from workdays.services import CHANGE_PERMISSION

register = template.Library()


@register.simple_tag
def calendar_warning_for(request: HttpRequest) -> int | None:
    """The year to warn the national administrator about on the dashboard, or None."""
    if not request.user.has_perm(CHANGE_PERMISSION):
        return None
    return calendar_warning_year(today=timezone.localdate())
