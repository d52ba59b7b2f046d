"""Small typed readers for settings that come from the environment.

Each one fails loudly with ImproperlyConfigured on a value it cannot read, so a typo in a
deployment stops the process at start-up instead of running with a silent default.
"""

import os

from celery.schedules import ParseException, crontab
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_schedule(name: str, default: str) -> crontab | float:
    """A Celery beat schedule: a five-field crontab expression in TIME_ZONE ("5 * * * *":
    minute 5 of every hour) or a whole number of seconds between runs ("30")."""
    value = os.environ.get(name, default).strip()
    if value.isdigit():
        seconds = int(value)
        if seconds < 1:
            raise ImproperlyConfigured(f"{name} must be at least 1 second, not {value!r}.")
        return float(seconds)
    try:
        return crontab.from_string(value)
    except (ValueError, ParseException) as error:
        raise ImproperlyConfigured(
            f"{name} must be a crontab expression such as '5 * * * *' or a number of "
            f"seconds, not {value!r} ({error})."
        ) from None
