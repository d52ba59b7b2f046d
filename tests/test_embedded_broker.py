"""The file-system broker of `make run`: a worker reading the folder while a message is being
written never sees it half-written (kombu's own transport handed it an empty file, and the
worker died with JSONDecodeError), and a damaged file is set aside, not fatal."""

from queue import Empty

import pytest
from django.conf import settings

from blacklist_portal.celery import app

pytestmark = pytest.mark.skipif(
    not settings.CELERY_BROKER_URL.startswith("filesystem://"),
    reason="the embedded broker of make run",
)

QUEUE = "test-embedded-broker"


@pytest.fixture
def channels(tmp_path, settings):
    options = {
        "data_folder_in": str(tmp_path),
        "data_folder_out": str(tmp_path),
        "control_folder": str(tmp_path / "control"),
        "store_processed": False,
    }
    (tmp_path / "control").mkdir()
    web = app.connection_for_write(transport_options=options)
    worker = app.connection_for_read(transport_options=options)
    yield web.default_channel, worker.default_channel
    web.release()
    worker.release()


class ReadsWhileBeingWritten:
    """A message body whose serialisation lets the worker look at the folder mid-write."""

    def __init__(self, worker_channel) -> None:
        self.worker_channel = worker_channel
        self.seen: list[object] = []

    def __json__(self) -> str:
        try:
            self.seen.append(self.worker_channel._get(QUEUE))
        except Empty:
            self.seen.append("nothing yet")
        except ValueError as error:  # JSONDecodeError: the empty file
            self.seen.append(error)
        return "hello"


def test_a_worker_never_reads_a_message_that_is_still_being_written(channels):
    web, worker = channels
    body = ReadsWhileBeingWritten(worker)
    web._put(QUEUE, {"body": body})
    assert body.seen == ["nothing yet"]
    assert worker._get(QUEUE) == {"body": "hello"}


def test_a_damaged_message_file_is_set_aside_and_the_next_one_is_read(channels, tmp_path):
    web, worker = channels
    (tmp_path / f"1_damaged.{QUEUE}.msg").write_bytes(b"")
    web._put(QUEUE, {"body": "next"})
    assert worker._get(QUEUE) == {"body": "next"}
    with pytest.raises(Empty):
        worker._get(QUEUE)
    assert (tmp_path / "damaged" / f"1_damaged.{QUEUE}.msg").exists()


def test_messages_are_read_in_the_order_they_were_sent(channels):
    web, worker = channels
    for number in range(12):
        web._put(QUEUE, {"body": number})
    assert [worker._get(QUEUE)["body"] for _ in range(12)] == list(range(12))
