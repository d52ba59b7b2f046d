"""Start the portal for development: Django's runserver and a Celery worker with embedded beat.

    .venv/bin/python scripts/run_portal.py      (what `make run` calls after its set-up)

HOST and PORT (default 127.0.0.1 and 8000) choose where runserver listens; DEBUG defaults
to 1. A worker that exits is started again after a back-off (1 s, doubling up to a minute,
back to 1 s once it has run for a while), with a line saying so: the web server stays up.
Ctrl-C, SIGTERM or SIGHUP stops both processes, and so does the web server exiting:
each child runs in its own process group; its leader gets SIGTERM, and whatever is still
in the group after a grace period gets SIGKILL, so neither runserver's reloader child nor
the Celery pool is left behind. On Linux the children also get SIGTERM if the launcher
itself dies.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRACE_SECONDS = 15.0
# A worker that dies is restarted after this many seconds, doubled at each crash in a row
# up to the maximum; one that ran STABLE_SECONDS before dying starts the count afresh.
RESTART_FIRST_SECONDS = 1.0
RESTART_MAX_SECONDS = 60.0
STABLE_SECONDS = 300.0


def _say(message: str) -> None:
    # A closed stdout (say `make run | tee log` and Ctrl-C, which stops tee too) must not
    # keep the launcher from stopping its children.
    with contextlib.suppress(OSError):
        print(message, flush=True)


def _die_with_parent() -> None:
    """In the child, before exec: on Linux, get SIGTERM if this launcher dies uncleanly."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _start(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - fixed command lines
        command,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # own process group: the terminal's Ctrl-C comes to us only
        preexec_fn=_die_with_parent,  # noqa: PLW1509 - single-threaded launcher
    )


def _signal_group(process: subprocess.Popen[bytes], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)  # the group outlives its leader while members remain


def _stop(children: dict[str, subprocess.Popen[bytes]]) -> None:
    # SIGTERM to each leader lets it stop its own children (Celery's warm shutdown of the
    # pool and beat, runserver's reloader of its server); whatever is left in a group after
    # the grace period gets SIGKILL.
    for process in children.values():
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    for process in children.values():
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
    for process in children.values():
        _signal_group(process, signal.SIGKILL)  # stragglers in the group, if any
        process.wait()


def _clear_up(process: subprocess.Popen[bytes]) -> None:
    """A dead worker's pool processes and beat must not outlive it next to its successor."""
    _signal_group(process, signal.SIGKILL)
    process.wait()


class WorkerKeeper:
    """Keeps the Celery worker running: `tick()`, called every turn of the launcher's loop,
    notices that the worker exited and starts a new one once its back-off has passed."""

    def __init__(
        self,
        start: Callable[[], subprocess.Popen[bytes]],
        *,
        clock: Callable[[], float] = time.monotonic,
        say: Callable[[str], None] = _say,
        clear_up: Callable[[subprocess.Popen[bytes]], None] = _clear_up,
    ) -> None:
        self.start = start
        self.clock = clock
        self.say = say
        self.clear_up = clear_up
        self.process = start()
        self.started_at = clock()
        self.crashes_in_a_row = 0
        self.restart_at: float | None = None

    def tick(self) -> None:
        now = self.clock()
        if self.restart_at is None:
            code = self.process.poll()
            if code is None:
                return
            self.clear_up(self.process)
            if now - self.started_at >= STABLE_SECONDS:
                self.crashes_in_a_row = 0
            self.crashes_in_a_row += 1
            delay = min(
                RESTART_MAX_SECONDS, RESTART_FIRST_SECONDS * 2 ** (self.crashes_in_a_row - 1)
            )
            self.restart_at = now + delay
            self.say(
                f"\nworker exited with code {code}; restarting it in {delay:g} s "
                f"(crash {self.crashes_in_a_row} in a row). The web server keeps running."
            )
        elif now >= self.restart_at:
            self.process = self.start()
            self.started_at = now
            self.restart_at = None
            self.say(f"worker restarted (pid {self.process.pid}).")


def main() -> int:
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    env = dict(os.environ)
    env.setdefault("DEBUG", "1")
    env.setdefault("PYTHONUNBUFFERED", "1")
    var_dir = Path(env.get("VAR_DIR", str(ROOT / "var")))
    (var_dir / "celery-broker").mkdir(parents=True, exist_ok=True)

    stop_requested: list[int] = []

    def request_stop(signum: int, _frame: object) -> None:
        stop_requested.append(signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, request_stop)

    python = sys.executable
    children: dict[str, subprocess.Popen[bytes]] = {}
    worker_command = [
        python,
        "-m",
        "celery",
        "-A",
        "blacklist_portal",
        "worker",
        "--beat",
        "-l",
        "info",
        "--concurrency",
        "1",
    ]
    worker = WorkerKeeper(lambda: _start(worker_command, env))
    children["worker"] = worker.process
    children["web"] = _start([python, "manage.py", "runserver", f"{host}:{port}"], env)
    _say(
        f"\nPortal: http://{host}:{port}/ (web pid {children['web'].pid}, "
        f"worker pid {children['worker'].pid}). Press Ctrl-C to stop both.\n"
    )

    exit_code = 0
    try:
        while not stop_requested:
            code = children["web"].poll()
            if code is not None:
                _say(f"\nweb exited with code {code}; stopping the worker.")
                exit_code = code or 1
                break
            worker.tick()
            children["worker"] = worker.process
            time.sleep(0.3)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up
        if stop_requested:
            _say("\nStopping web and worker...")
        _stop(children)
    if stop_requested:
        _say("Stopped.")
        return 0
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
