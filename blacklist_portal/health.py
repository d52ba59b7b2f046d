"""GET /healthz: the state of the database and the broker, for load balancers and compose.

Each check runs in its own worker thread and is waited for at most HEALTHZ_TIMEOUT_SECONDS:
a broker or database that accepts connections but never answers (frozen, overloaded) is
reported as `error: timeout` in bounded time instead of holding a web worker for the length
of the client's own socket timeouts. A check still hanging keeps its one thread; the next
request's check queues behind it and times out too, so hung checks never pile up threads."""

import math
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.db import close_old_connections, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

_DATABASE = ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthz-database")
_BROKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthz-broker")


def _database_state() -> str:
    close_old_connections()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - reported, not raised
        return f"error: {type(error).__name__}"
    finally:
        # The thread's own connection: closed, so that it holds no database session.
        connection.close()
    return "ok"


def _broker_state() -> str:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        return "ok" if settings.CELERY_BROKER_FOLDER.is_dir() else "error: folder missing"
    timeout = settings.HEALTHZ_TIMEOUT_SECONDS
    options = {
        **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        "socket_connect_timeout": timeout,
        "socket_timeout": timeout,
    }
    try:
        with Connection(url, connect_timeout=timeout, transport_options=options) as conn:
            conn.ensure_connection(max_retries=1, timeout=math.ceil(timeout))
            if url.startswith(("redis://", "rediss://")):
                # A frozen server accepts the connection and never answers: ask it something.
                conn.default_channel.client.ping()  # type: ignore[attr-defined]
    except Exception as error:  # noqa: BLE001
        return f"error: {type(error).__name__}"
    return "ok"


def _result(future: Future[str], deadline: float) -> str:
    try:
        return future.result(timeout=max(0.0, deadline - time.monotonic()))
    except FutureTimeout:
        return "error: timeout"


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Public. 200 while the database answers (the broker's state is reported: jobs wait in
    the outbox while it is down); 503 when the database does not. Answers within about
    HEALTHZ_TIMEOUT_SECONDS whatever the state of either."""
    deadline = time.monotonic() + settings.HEALTHZ_TIMEOUT_SECONDS
    database_check = _DATABASE.submit(_database_state)
    broker_check = _BROKER.submit(_broker_state)  # both run at once: one wait in all
    database = _result(database_check, deadline)
    broker = _result(broker_check, deadline)
    status = 200 if database == "ok" else 503
    return JsonResponse({"database": database, "broker": broker}, status=status)
