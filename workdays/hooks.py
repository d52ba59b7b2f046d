"""Deadlines stored by the apps above the calendar (a record's publication deadline, an
archive request's decision deadline) must follow a corrected or newly approved year. Those
apps register a recompute callback in their AppConfig.ready(); the calendar services call
every callback after a change, without importing the apps."""

import datetime
from collections.abc import Callable
from typing import Any, Protocol


class DeadlineRecompute(Protocol):
    def __call__(
        self, *, first_day: datetime.date, last_day: datetime.date, by: Any, reason: str
    ) -> int:
        """Recompute open deadlines whose counting touches [first_day, last_day]; audit each
        change; return how many changed."""
        ...


_CALLBACKS: dict[str, Callable[..., int]] = {}


def deadline_recompute_register(name: str, callback: DeadlineRecompute) -> None:
    _CALLBACKS[name] = callback


def deadlines_recompute(*, year: int, by: Any, reason: str) -> dict[str, int]:
    first_day, last_day = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return {
        name: callback(first_day=first_day, last_day=last_day, by=by, reason=reason)
        for name, callback in sorted(_CALLBACKS.items())
    }
