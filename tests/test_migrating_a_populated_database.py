"""Issue 9 moved models between apps by renaming their tables. This test builds the schema of
main before the move (f777529), fills every table of it, migrates forward to the newest
migrations of every app — later ones included, whoever adds them — and checks that no row
and no value was lost, that the moved models' content types and the role groups' permissions
followed them, and that the current code reads the moved rows."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as installed_apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.graph import MigrationGraph
from django.utils import timezone

from accounts.models import InterestedParty, LoginThrottle
from archive.models import ArchiveAccessLog, ProofFile
from kernel.identity_numbers import identity_number_decrypt
from kernel.models import AuditEvent, OutboxJob
from records.models import BadRecord, User
from tests.old_main_rows import old_main_populate

pytestmark = pytest.mark.django_db(transaction=True)

Node = tuple[str, str]

# The newest migration of each of the project's apps at f777529. Django's and the third-party
# apps are at their newest migrations; the apps created since then (the kernel, accounts,
# archive, …) have none applied.
OLD_MAIN_NODES: list[Node] = [
    ("records", "0005_short_name_grams"),
    ("publication", "0002_archive_role_permissions"),
    ("licensing", "0004_batch_parts"),
]

# Models moved by issue 9: model -> (app before, app after). Their tables are renamed from
# <app before>_<model> to <app after>_<model>; every other table keeps its name.
MOVED_MODELS = {
    "auditevent": ("records", "kernel"),
    "outboxjob": ("records", "kernel"),
    "interestedparty": ("publication", "accounts"),
    "loginthrottle": ("publication", "accounts"),
    "archiverequest": ("publication", "archive"),
    "prooffile": ("publication", "archive"),
    "archiveaccesslog": ("publication", "archive"),
}
MOVED_TABLES = {f"{old}_{model}": f"{new}_{model}" for model, (old, new) in MOVED_MODELS.items()}

# Migrations may add content types, permissions and grants (a new model, a new role right);
# they never remove one, and every other table keeps exactly its rows.
TABLES_MIGRATIONS_ADD_TO = {
    "django_content_type",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
    # licensing/0006 and archive/0003 queue the unfinished batch parts and unsent decision
    # e-mails as outbox jobs.
    "records_outboxjob",
}

# A column that a later migration removes on purpose is listed here (table -> columns) with
# the reason beside it; any other column that disappears is lost data and fails the test.
COLUMNS_DROPPED_ON_PURPOSE: dict[str, set[str]] = {
    # Batch parts are outbox jobs since licensing/0005: the kernel's claim replaces this one.
    "licensing_checkbatchpart": {"claimed_until"},
}

# A column whose value a later migration transforms on purpose (table -> column -> the
# function that gives back the value as it was before): records/0011 encrypts identity numbers,
# archive/0004 those typed into archive requests (Fernet tokens start with "gAAAAA").
COLUMNS_TRANSFORMED_ON_PURPOSE: dict[str, dict[str, Callable[[Any], Any]]] = {
    "records_practitioner": {"identity_number": identity_number_decrypt},
    "archive_archiverequest": {
        "identifier": lambda value: (
            identity_number_decrypt(value) if value.startswith("gAAAAA") else value
        )
    },
}

SAMPLE_ROWS = 100


@dataclass(frozen=True)
class Table:
    name: str
    primary_key: str
    count: int
    columns: tuple[str, ...]
    # Primary key -> {column: value}: the first SAMPLE_ROWS rows in primary-key order.
    sample: dict[Any, dict[str, Any]]


def _is_project_app(label: str) -> bool:
    return Path(installed_apps.get_app_config(label).path).parent == Path(settings.BASE_DIR)


# Third-party apps installed after that schema: their tables come with the forward migration.
NEWER_THIRD_PARTY_APPS = {"otp_totp", "otp_static"}


def _old_main_nodes(graph: MigrationGraph) -> list[Node]:
    """The newest applied migration of each app in the old schema."""
    return OLD_MAIN_NODES + [
        node
        for node in graph.leaf_nodes()
        if not _is_project_app(node[0]) and node[0] not in NEWER_THIRD_PARTY_APPS
    ]


def _empty_database() -> None:
    """Drop every table, the migration history included. The old schema is then built by its
    own migrations, as on a server, without relying on the newer ones being reversible."""
    cascade = " CASCADE" if connection.vendor == "postgresql" else ""
    with connection.schema_editor() as editor:  # on SQLite: foreign-key checks off
        for table in connection.introspection.table_names():
            editor.execute(f"DROP TABLE {connection.ops.quote_name(table)}{cascade}")


def _migrate(targets: Sequence[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets))
    executor.loader.build_graph()  # forget the applied set it started with
    return executor


def _migrate_to_newest() -> None:
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def _read(table: str, *, primary_keys: Iterable[Any] | None = None) -> Table:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        primary_key = connection.introspection.get_primary_key_column(cursor, table)
        assert primary_key, table
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        (count,) = cursor.fetchone()
        if primary_keys is None:
            cursor.execute(
                f"SELECT * FROM {quote(table)} ORDER BY {quote(primary_key)} LIMIT %s",
                [SAMPLE_ROWS],
            )
        else:
            keys = list(primary_keys)
            marks = ", ".join(["%s"] * len(keys))
            cursor.execute(
                f"SELECT * FROM {quote(table)} WHERE {quote(primary_key)} IN ({marks})", keys
            )
        columns = [column[0] for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return Table(table, primary_key, count, tuple(columns), {row[primary_key]: row for row in rows})


def _tables() -> list[str]:
    return sorted(set(connection.introspection.table_names()) - {"django_migrations"})


def _group_grants() -> set[tuple[str, str, str, str]]:
    """(group, app label, model, codename) for every permission a group holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT g.name, ct.app_label, ct.model, p.codename FROM auth_group_permissions gp "
            "JOIN auth_group g ON g.id = gp.group_id "
            "JOIN auth_permission p ON p.id = gp.permission_id "
            "JOIN django_content_type ct ON ct.id = p.content_type_id"
        )
        return set(cursor.fetchall())


def _moved_label(app_label: str, model: str) -> str:
    old, new = MOVED_MODELS.get(model, (app_label, app_label))
    return new if app_label == old else app_label


def _expected_after(table: Table) -> dict[Any, dict[str, Any]]:
    """The sampled rows as they should read after the move: only content types change."""
    if table.name != "django_content_type":
        return table.sample
    return {
        key: {**row, "app_label": _moved_label(row["app_label"], row["model"])}
        for key, row in table.sample.items()
    }


# accounts/0003 turns DRF's plain tokens into hashed ones (accounts_apitoken) and deletes them.
TABLES_MOVED_INTO_HASHES = {"authtoken_token": "accounts_apitoken"}


def _assert_tokens_hashed(old: Table) -> None:
    import hashlib

    from accounts.models import ApiToken

    for key, row in old.sample.items():
        token = ApiToken.objects.get(key_hash=hashlib.sha256(str(key).encode()).hexdigest())
        assert token.user_id == row["user_id"]


def _assert_no_row_lost(before: dict[str, Table]) -> None:
    present = set(_tables())
    for old_name, old in before.items():
        if old_name in TABLES_MOVED_INTO_HASHES:
            assert _read(old_name).count == 0, f"{old_name}: plain keys left"
            _assert_tokens_hashed(old)
            continue
        name = MOVED_TABLES.get(old_name, old_name)
        assert name in present, f"{old_name}: table {name} is gone"
        new = _read(name, primary_keys=old.sample)
        if old_name in TABLES_MIGRATIONS_ADD_TO:
            assert new.count >= old.count, (old_name, old.count, new.count)
        else:
            assert new.count == old.count, (old_name, old.count, new.count)
        assert set(new.sample) == set(old.sample), f"{old_name}: sampled rows missing"
        dropped = set(old.columns) - set(new.columns)
        assert dropped <= COLUMNS_DROPPED_ON_PURPOSE.get(name, set()), (old_name, dropped)
        for key, expected in _expected_after(old).items():
            kept = {column: expected[column] for column in expected if column not in dropped}
            undo = COLUMNS_TRANSFORMED_ON_PURPOSE.get(name, {})
            found = {
                column: undo[column](new.sample[key][column])
                if column in undo
                else new.sample[key][column]
                for column in kept
            }
            assert found == kept, f"{old_name} row {key} changed"


def _assert_current_code_reads_the_moved_rows(before: dict[str, Table]) -> None:
    proofs = list(ProofFile.objects.select_related("archive_request__requester"))
    assert len(proofs) == before["publication_prooffile"].count
    assert {proof.archive_request.requester.username for proof in proofs} == {"pan@example.com"}
    access = ArchiveAccessLog.objects.select_related("archive_request", "record", "user").get()
    assert access.record.status == "archived"
    assert access.archive_request.status == "approved"
    assert InterestedParty.objects.get(user__username="pan@example.com").full_name == "潘晓"

    published = BadRecord.objects.get(status="published")
    assert AuditEvent.objects.filter(record_id=published.pk, action="record_publish").exists()
    # Events written before the scopes existed get them from the migration (records 0022).
    for event in AuditEvent.objects.filter(record_id=published.pk):
        assert event.record_scope == published.filing_bureau.path
        assert event.actor_scope == (event.actor.bureau.path if event.actor else "")

    # The renamed tables keep numbering after their old rows (PostgreSQL sequences).
    throttle = LoginThrottle.objects.create(key="9" * 64)
    assert throttle.pk > max(before["publication_loginthrottle"].sample)
    job = OutboxJob.objects.create(name="after_the_move", available_at=timezone.now())
    assert job.pk > max(before["records_outboxjob"].sample)

    archivist = User.objects.get(username="yue")
    assert archivist.has_perm("archive.view_archiverequest")
    assert archivist.has_perm("archive.view_archiveaccesslog")
    assert User.objects.get(username="fang").has_perm("kernel.view_auditevent")


def test_migrating_a_populated_database_of_old_main_keeps_every_row():
    nodes = _old_main_nodes(MigrationExecutor(connection).loader.graph)
    try:
        _empty_database()
        executor = _migrate(nodes)
        graph = executor.loader.graph
        assert set(executor.loader.applied_migrations) == {
            step for node in nodes for step in graph.forwards_plan(node)
        }
        with transaction.atomic():
            old_main_populate(executor.loader.project_state(nodes).apps)
        before = {name: _read(name) for name in _tables()}
        empty = [name for name, table in before.items() if not table.count]
        assert not empty, f"tables left empty: {empty}"
        assert set(MOVED_TABLES) <= set(before)
        grants_before = _group_grants()

        _migrate_to_newest()

        _assert_no_row_lost(before)
        assert not ContentType.objects.filter(
            app_label__in={old for old, _ in MOVED_MODELS.values()}, model__in=MOVED_MODELS
        ).exists()
        grants = _group_grants()
        assert {
            (group, _moved_label(app_label, model), model, codename)
            for group, app_label, model, codename in grants_before
        } <= grants
        assert ("archive_reviewer", "archive", "archiverequest", "view_archiverequest") in grants
        _assert_current_code_reads_the_moved_rows(before)

        call_command("migrate", check_unapplied=True, verbosity=0)  # exits 1 if one is left
        output = StringIO()
        call_command("migrate", stdout=output)
        assert "No migrations to apply." in output.getvalue()
    finally:
        _migrate_to_newest()


def test_the_moves_can_be_migrated_back_to_old_main():
    graph = MigrationExecutor(connection).loader.graph
    old_apps = {app for app, _ in OLD_MAIN_NODES}
    new_apps = sorted({app for app, _ in graph.leaf_nodes() if _is_project_app(app)} - old_apps)
    try:
        _migrate([*_old_main_nodes(graph), *((app, None) for app in new_apps)])
        tables = set(connection.introspection.table_names())
        assert set(MOVED_TABLES) <= tables
        assert not set(MOVED_TABLES.values()) & tables
    finally:
        _migrate_to_newest()
