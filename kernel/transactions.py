"""A transaction for loops of many small services."""

import contextlib
from collections.abc import Iterator

from django.db import transaction

_ABSENT = object()


@contextlib.contextmanager
def atomic_all_or_nothing(using: str | None = None) -> Iterator[None]:
    """An atomic block whose nested atomic blocks set no savepoints: an error anywhere inside
    dooms the whole block, as if none of it had run. For a loop that calls a service per item
    (each service atomic on its own) and, on an error, does the whole loop again item by item
    with savepoints: the happy path then saves two round trips (SAVEPOINT, RELEASE) per
    service call on PostgreSQL. Django's PostgreSQL backend makes no savepoint when the
    connection's features say the database does not use them; the block says so for its own
    connection while it runs, and the block itself (a savepoint when it is nested in an
    outer transaction) is made and ended as usual. SQLite's backend decides on its own and
    keeps its savepoints, which cost no round trip there; the outcome is the same."""
    connection = transaction.get_connection(using)
    with transaction.atomic(using=using):
        features = connection.features
        # An instance attribute over the class's; put back as it was (a block nested in
        # another leaves the outer one's setting in place).
        had = features.__dict__.get("uses_savepoints", _ABSENT)
        features.uses_savepoints = False
        try:
            yield
        finally:
            if had is _ABSENT:
                del features.uses_savepoints
            else:
                features.uses_savepoints = had
