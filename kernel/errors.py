from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
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


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on a form: each message next to its field, or above
    the form when the form has no such field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
