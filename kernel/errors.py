from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

T = TypeVar("T")


class FieldErrors:
    """Collects messages per field, then raises them together as one ValidationError, so that
    a form shows every problem at once, each next to its field."""

    def __init__(self) -> None:
        self.errors: dict[str, list[ValidationError]] = {}

    def add(self, field: str, error: "ValidationError | str | _StrPromise") -> None:
        if not isinstance(error, ValidationError):
            error = ValidationError(error)
        self.errors.setdefault(field, []).append(error)

    def check(self, field: str, func: Callable[[Any], T], value: Any) -> T | Any:
        """Run a cleaning function; on ValidationError note it and return the value as is."""
        try:
            return func(value)
        except ValidationError as error:
            self.add(field, error)
            return value

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)
