"""The sweep as it runs in production: a real Celery worker with embedded beat, started the
way `make run` starts it, against this test database, archives ended records and starts a
scheduled one by itself. Once on the file-system broker of `make run` (always), once on
Redis (when CELERY_BROKER_URL points at Redis, as in CI)."""

import contextlib
import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from kernel.models import AuditEvent
from records.models import BadRecord, RecordStatus
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
WAIT_SECONDS = 120  # generous: CI machines and shared laptops start Celery slowly
DAY = datetime.timedelta(days=1)


def _database_url() -> str:
    """The test database (not the one in the settings), for the worker process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@contextlib.contextmanager
def worker_with_beat(broker_url: str, queue: str, var_dir: Path):
    """`celery worker --beat` as scripts/run_portal.py runs it, sweeping every 2 seconds,
    on its own queue and its own folder so that no other worker takes its tasks and no
    stale message reaches it. Yields the path of its log."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "blacklist_portal.settings",
        "DEBUG": "1",
        "DATABASE_URL": _database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_QUEUE": queue,
        "VAR_DIR": str(var_dir),
        "DISCLOSURE_SWEEP_SCHEDULE": "2",
        "PYTHONUNBUFFERED": "1",
    }
    log = var_dir / "worker.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "blacklist_portal", "worker", "--beat"]
            + ["-l", "info", "--concurrency", "1"]
            + ["--without-mingle", "--without-gossip", "--without-heartbeat"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield log
        finally:
            # SIGTERM is Celery's warm shutdown; anything left in the group afterwards is
            # killed so that no process outlives the test.
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            finally:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _ended(fang, today: datetime.date):
    return factories.record(
        filer=fang,
        status=RecordStatus.PUBLISHED,
        basis_date=today - 800 * DAY,
        public_from=today - 731 * DAY,
        public_until=today - DAY,
    )


def _wait_for(record, status: str, log: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while BadRecord.objects.get(pk=record.pk).status != status:
        assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
        time.sleep(0.5)


def _sweep_is_seen_end_to_end(fang, broker_url: str, queue: str, var_dir: Path) -> None:
    """A record that ended while the worker was down is archived when beat starts; records
    that become due while it runs are moved by the scheduled runs."""
    today = timezone.localdate()
    ended_while_down = _ended(fang, today)
    with worker_with_beat(broker_url, queue, var_dir) as log:
        _wait_for(ended_while_down, RecordStatus.ARCHIVED, log)
        ended_while_up = _ended(fang, today)
        starting = factories.record(
            filer=fang,
            status=RecordStatus.SCHEDULED,
            basis_date=today - 3 * DAY,
            public_from=today,
        )
        _wait_for(ended_while_up, RecordStatus.ARCHIVED, log)
        _wait_for(starting, RecordStatus.PUBLISHED, log)
    text = log.read_text(errors="replace")
    assert "Sending due task sweep-disclosures" in text, text[-3000:]
    assert "archived 1 ended record(s)" in text, text[-3000:]
    for record, action in (
        (ended_while_down, "record_archive"),
        (ended_while_up, "record_archive"),
        (starting, "record_start"),
    ):
        assert AuditEvent.objects.filter(record_id=record.pk).count() == 1
        assert AuditEvent.objects.get(record_id=record.pk).action == action


def test_a_worker_with_beat_on_the_embedded_broker_archives_an_ended_record(fang, tmp_path):
    _sweep_is_seen_end_to_end(fang, "filesystem://", "celery", tmp_path)


@pytest.mark.skipif(
    not settings.CELERY_BROKER_URL.startswith("redis://"),
    reason="CELERY_BROKER_URL does not point at Redis",
)
def test_a_worker_with_beat_on_redis_archives_an_ended_record(fang, tmp_path):
    import redis

    queue = f"portal-test-sweep-{uuid.uuid4().hex[:12]}"
    try:
        _sweep_is_seen_end_to_end(fang, settings.CELERY_BROKER_URL, queue, tmp_path)
    finally:
        # Beat may have sent a few more sweeps than the worker took: leave nothing behind.
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        for key in client.scan_iter(f"*{queue}*"):
            client.delete(key)
        for key in client.scan_iter("_kombu.binding*"):
            kind = client.type(key)
            if kind not in (b"set", b"zset"):
                continue
            members = client.smembers(key) if kind == b"set" else client.zrange(key, 0, -1)
            ours = [member for member in members if queue.encode() in member]
            if ours and kind == b"set":
                client.srem(key, *ours)
            elif ours and kind == b"zset":
                client.zrem(key, *ours)
