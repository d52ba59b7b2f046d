"""`make run`'s launcher keeps the portal up when the worker dies: the worker is restarted
after a back-off that doubles while it keeps crashing, with a line saying so, and the web
server is left alone."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "run_portal.py"


@pytest.fixture(scope="module")
def run_portal():
    spec = importlib.util.spec_from_file_location("run_portal", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class FakeWorker:
    pids = iter(range(1000, 2000))

    def __init__(self) -> None:
        self.pid = next(self.pids)
        self.returncode: int | None = None

    def poll(self) -> int | None:
        return self.returncode


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def keeper(run_portal):
    started: list[FakeWorker] = []
    lines: list[str] = []
    cleared: list[FakeWorker] = []
    clock = Clock()

    def start() -> FakeWorker:
        started.append(FakeWorker())
        return started[-1]

    keeper = run_portal.WorkerKeeper(start, clock=clock, say=lines.append, clear_up=cleared.append)
    return keeper, started, lines, cleared, clock


def test_a_crashed_worker_is_restarted_after_a_second_with_a_line_saying_so(keeper):
    keeper, started, lines, cleared, clock = keeper
    clock.now = 30.0
    keeper.tick()
    assert len(started) == 1  # running: nothing to do
    started[0].returncode = 1
    keeper.tick()
    assert cleared == [started[0]]
    assert "worker exited with code 1; restarting it in 1 s" in lines[-1]
    clock.now = 30.5
    keeper.tick()
    assert len(started) == 1  # still backing off
    clock.now = 31.0
    keeper.tick()
    assert len(started) == 2 and keeper.process is started[1]
    assert f"worker restarted (pid {started[1].pid})" in lines[-1]


def test_the_back_off_doubles_while_the_worker_keeps_crashing_and_stops_at_a_minute(keeper):
    keeper, started, lines, _cleared, clock = keeper
    delays = []
    for _ in range(9):
        keeper.process.returncode = 1
        keeper.tick()
        delays.append(keeper.restart_at - clock.now)
        clock.now = keeper.restart_at
        keeper.tick()
    assert delays == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert len(started) == 10


def test_a_worker_that_ran_for_a_while_before_dying_is_restarted_quickly_again(keeper):
    keeper, started, _lines, _cleared, clock = keeper
    for _ in range(4):
        keeper.process.returncode = 1
        keeper.tick()
        clock.now = keeper.restart_at
        keeper.tick()
    clock.now += 600  # ran ten minutes
    keeper.process.returncode = -9
    keeper.tick()
    assert keeper.restart_at - clock.now == 1
