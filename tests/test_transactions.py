"""kernel.transactions.atomic_all_or_nothing: the spreadsheet intake's chunks of rows."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kernel.transactions import atomic_all_or_nothing


@transaction.atomic
def _service(name: str, *, refuse: bool = False) -> None:
    """A service atomic on its own, as the records services are."""
    Group.objects.create(name=name)
    if refuse:
        raise ValueError(name)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's backend keeps its (local) savepoints"
)
def test_nested_services_set_no_savepoint_and_their_writes_are_kept():
    with CaptureQueriesContext(connection) as queries, atomic_all_or_nothing():
        for n in range(3):
            _service(f"kept-{n}")
    assert not [q for q in queries if "SAVEPOINT" in q["sql"].upper()]
    assert Group.objects.filter(name__startswith="kept-").count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_refusal_anywhere_undoes_the_whole_block_and_savepoints_come_back_after_it():
    with pytest.raises(ValueError), atomic_all_or_nothing():
        _service("first")
        _service("second", refuse=True)
    assert not Group.objects.filter(name__in=["first", "second"]).exists()
    # After the block, a nested refusal is undone on its own again.
    with transaction.atomic():
        _service("kept")
        with pytest.raises(ValueError):
            _service("refused", refuse=True)
    assert not Group.objects.filter(name__in=["first", "second", "refused"]).exists()
    assert Group.objects.filter(name="kept").exists()


@pytest.mark.django_db
def test_inside_an_outer_transaction_the_block_is_undone_alone():
    _service("outer")
    with pytest.raises(ValueError), atomic_all_or_nothing():
        _service("inner")
        _service("inner-refused", refuse=True)
    assert Group.objects.filter(name="outer").exists()
    assert not Group.objects.filter(name__startswith="inner").exists()


@pytest.mark.django_db(transaction=True)
def test_a_block_nested_in_another_leaves_the_outer_one_as_it_was():
    with atomic_all_or_nothing():
        with atomic_all_or_nothing():
            _service("inner")
        assert connection.features.uses_savepoints is False
        _service("outer")
    assert connection.features.uses_savepoints is True
    assert Group.objects.filter(name__in=["inner", "outer"]).count() == 2
