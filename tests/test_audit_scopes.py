"""Who reads which audit events: the events of records in the account's jurisdiction and
the events its bureau's accounts (or those of the bureaus below) caused. The rule reads the
scopes written with each event; events written before the scopes existed get them from a
migration, with the same result."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from kernel.audit import action_label, audit_log, audit_log_bulk
from kernel.models import AuditEvent
from records.models import RecordStatus
from records.roles import Role
from records.selectors import audit_event_page_keys, audit_events_visible_to
from records.services.evidence import evidence_add
from tests import factories
from tests.archive_helpers import PDF, proof
from tests.conftest import client_for, make_user

BEFORE_THE_SCOPES = [
    ("records", "0021_staff_list_covering_indexes"),
    ("kernel", "0002_audit_hash_chain"),
]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _migrate_to_newest() -> None:
    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def trail(bureaus, fang, shang, bei, national_admin):
    """One event of each kind, by name: a Xihu filer's event on a Xihu record, the system's
    event on a Xihu record, a Xihu account's event about no record, a Shangcheng record's,
    a Beijing record's, and a national administrator's about no record."""
    xihu_record = factories.record(filer=fang, status=RecordStatus.DRAFT)
    shangcheng_record = factories.record(filer=shang, status=RecordStatus.DRAFT)
    beijing_record = factories.record(filer=bei, status=RecordStatus.DRAFT)
    evidence_add(record=xihu_record, by=fang, upload=proof("a.pdf", PDF))
    audit_log(actor=None, action="record_expire", obj=xihu_record)
    audit_log(actor=fang, action="account_note", obj=fang)
    audit_log(actor=shang, action="record_note", obj=shangcheng_record)
    audit_log(actor=bei, action="record_note", obj=beijing_record)
    audit_log(actor=national_admin, action="bureau_note", obj=bureaus["national"])
    events = AuditEvent.objects.order_by("id")
    names = ["xihu_by_fang", "xihu_by_system", "fang_no_record", "shangcheng", "beijing"]
    names.append("national_no_record")
    return dict(zip(names, (event.pk for event in events), strict=True))


def _readers(bureaus, fang, shang, su, bei, xihu_admin, national_admin):
    zhe = make_user("zhe", bureaus["zhejiang"], Role.SUPERVISOR)
    nation = make_user("nation", bureaus["national"], Role.SUPERVISOR)
    everything = {
        "xihu_by_fang",
        "xihu_by_system",
        "fang_no_record",
        "shangcheng",
        "beijing",
        "national_no_record",
    }
    xihu = {"xihu_by_fang", "xihu_by_system", "fang_no_record"}
    return [
        (fang, xihu),
        (xihu_admin, xihu),
        (shang, {"shangcheng"}),
        (bei, {"beijing"}),
        (su, xihu | {"shangcheng"}),
        (zhe, xihu | {"shangcheng"}),
        (nation, everything),
        (national_admin, everything),
    ]


def _assert_each_reads_its_own(trail, readers) -> None:
    by_id = {pk: name for name, pk in trail.items()}
    for user, expected in readers:
        visible = audit_events_visible_to(AuditEvent.objects.all(), user)
        assert {by_id[pk] for pk in visible.values_list("pk", flat=True)} == expected, user.username


@pytest.mark.django_db
def test_events_carry_the_records_and_the_actors_bureau_from_the_moment_they_are_written(
    trail, bureaus
):
    xihu, shangcheng = bureaus["xihu"].path, bureaus["shangcheng"].path
    scopes = dict(AuditEvent.objects.values_list("pk", "record_scope"))
    actors = dict(AuditEvent.objects.values_list("pk", "actor_scope"))
    assert (scopes[trail["xihu_by_fang"]], actors[trail["xihu_by_fang"]]) == (xihu, xihu)
    assert (scopes[trail["xihu_by_system"]], actors[trail["xihu_by_system"]]) == (xihu, "")
    assert (scopes[trail["fang_no_record"]], actors[trail["fang_no_record"]]) == ("", xihu)
    assert scopes[trail["shangcheng"]] == shangcheng
    assert actors[trail["national_no_record"]] == bureaus["national"].path


@pytest.mark.django_db
def test_each_account_reads_the_events_of_its_region_and_of_its_bureaus_accounts(
    trail, bureaus, fang, shang, su, bei, xihu_admin, national_admin
):
    _assert_each_reads_its_own(
        trail, _readers(bureaus, fang, shang, su, bei, xihu_admin, national_admin)
    )


@pytest.mark.django_db
def test_every_page_of_each_accounts_audit_list_is_the_same_from_the_scope_indexes(
    trail, bureaus, fang, shang, su, bei, xihu_admin, national_admin
):
    # A region's page is read as two disjoint parts (what its record scope holds, what only
    # its actor scope holds) merged in the list's order: every window of every account's
    # list, filtered or not, is what slicing the list itself gives, each event once.
    for _ in range(4):  # a Xihu account's events on Shangcheng's records
        audit_log(actor=fang, action="account_note", obj=factories.record(filer=shang))
    for _ in range(3):  # a city supervisor's on Xihu's
        audit_log(actor=su, action="record_note", obj=factories.record(filer=fang))
    for user, _expected in _readers(bureaus, fang, shang, su, bei, xihu_admin, national_admin):
        for events in (
            AuditEvent.objects.all(),
            AuditEvent.objects.filter(action__in=["account_note", "record_note"]),
        ):
            listed = audit_events_visible_to(events, user).order_by("-at", "-id")
            expected = list(listed.values_list("pk", flat=True))
            for bottom, top in ((0, 2), (1, 4), (3, 5), (0, 50), (8, 20)):
                keys = audit_event_page_keys(listed, bottom, top, user=user)
                assert keys == expected[bottom:top], (user.username, bottom, top)


@pytest.mark.django_db
def test_a_county_filer_finds_her_events_in_the_list_and_cannot_open_the_neighbours(trail, fang):
    client = client_for(fang)
    page = client.get("/admin/kernel/auditevent/").content.decode()
    shown = client.get("/admin/kernel/auditevent/?action=account_note").content.decode()
    assert f"/admin/kernel/auditevent/{trail['fang_no_record']}/change/" in shown
    assert f"/admin/kernel/auditevent/{trail['xihu_by_system']}/change/" in page
    for name in ("shangcheng", "beijing", "national_no_record"):
        assert f"/admin/kernel/auditevent/{trail[name]}/change/" not in page
        url = f"/admin/kernel/auditevent/{trail[name]}/change/"
        assert client.get(url).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_events_written_before_the_scopes_existed_are_read_by_the_same_accounts(
    trail, bureaus, fang, shang, su, bei, xihu_admin, national_admin
):
    readers = _readers(bureaus, fang, shang, su, bei, xihu_admin, national_admin)
    try:
        _migrate(BEFORE_THE_SCOPES)  # drops the scopes; the events stay
        with connection.cursor() as cursor:
            columns = [
                c.name
                for c in connection.introspection.get_table_description(cursor, "kernel_auditevent")
            ]
        assert "record_scope" not in columns
        _migrate_to_newest()  # records 0022 fills them in again
        _assert_each_reads_its_own(trail, readers)
    finally:
        _migrate_to_newest()


@pytest.mark.django_db
def test_a_search_by_reference_object_id_or_action_finds_only_the_events_in_the_jurisdiction(
    trail, fang, su
):
    own = AuditEvent.objects.get(pk=trail["xihu_by_fang"])  # evidence added to a Xihu record
    theirs = AuditEvent.objects.get(pk=trail["beijing"])
    link = "/admin/kernel/auditevent/{}/change/".format

    def found(user, text: str) -> str:
        return client_for(user).get("/admin/kernel/auditevent/", {"q": text}).content.decode()

    for user in (fang, su):
        # The record's reference as the list shows it, in any width and case: its events,
        # the evidence's included.
        by_reference = found(user, f"ｔｒ{own.record_id:08d}")
        assert link(own.pk) in by_reference
        assert link(trail["xihu_by_system"]) in by_reference
        assert link(trail["fang_no_record"]) not in by_reference
        assert link(own.pk) in found(user, f"#{own.object_id}")
        assert link(theirs.pk) not in found(user, f"TR{theirs.record_id:08d}")
        assert link(theirs.pk) not in found(user, theirs.object_id)
    # An action by part of its code or of its label in the staff's language.
    code = own.action
    assert link(own.pk) in found(fang, code[: len(code) - 2])
    with translation.override("zh-hans"):
        label = action_label(code)
    assert link(own.pk) in found(fang, label)
    # Not a part of an object id, and nothing for a text that names nothing.
    assert link(own.pk) not in found(fang, own.object_id[:-1] + "9999")
    nothing = found(fang, "不存在的内容")
    assert all(link(pk) not in nothing for pk in trail.values())


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("level", ["county", "bureau_admin", "city", "province", "national"])
@pytest.mark.parametrize("query", ["", "?action=record_note", "?q=record"])
def test_the_audit_list_costs_the_same_queries_for_a_few_events_and_for_many_at_every_level(
    level, query, bureaus, fang, xihu_admin, su, national_admin
):
    reader = {
        "county": fang,
        "bureau_admin": xihu_admin,
        "city": su,
        "province": make_user("zhe", bureaus["zhejiang"], Role.SUPERVISOR),
        "national": national_admin,
    }[level]
    client = client_for(reader)
    records = [factories.record(filer=fang) for _ in range(40)]
    for record in records[:5]:
        audit_log(actor=fang, action="record_note", obj=record)
    few = _queries(client, "/admin/kernel/auditevent/" + query)
    for record in records[5:]:
        audit_log(actor=fang, action="record_note", obj=record)
    assert _queries(client, "/admin/kernel/auditevent/" + query) == few


@pytest.mark.django_db
def test_a_sweeps_events_carry_each_records_bureau_however_many_records_it_moves(
    bureaus, fang, bei
):
    xihu_record = factories.record(filer=fang, status=RecordStatus.PUBLISHED)
    beijing_record = factories.record(filer=bei, status=RecordStatus.PUBLISHED)
    gone = list(range(10**9, 10**9 + 1500))  # more than SQLite takes in one statement
    ids = [*gone, xihu_record.pk, beijing_record.pk]
    audit_log_bulk(
        actor=None, action="record_expire", object_type="badrecord", object_ids=ids, record_ids=ids
    )
    scopes = dict(AuditEvent.objects.values_list("record_id", "record_scope"))
    assert scopes[xihu_record.pk] == bureaus["xihu"].path
    assert scopes[beijing_record.pk] == bureaus["dongcheng"].path
    assert {scopes[pk] for pk in gone} == {""}
    assert set(AuditEvent.objects.values_list("actor_scope", flat=True)) == {""}
