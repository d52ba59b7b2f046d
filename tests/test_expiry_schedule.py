"""The sweep's beat entry and its schedule setting, DISCLOSURE_SWEEP_SCHEDULE."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from blacklist_portal.env import env_schedule

ROOT = Path(__file__).resolve().parent.parent


def test_by_default_the_sweep_runs_at_minute_5_of_every_hour(monkeypatch):
    monkeypatch.delenv("DISCLOSURE_SWEEP_SCHEDULE", raising=False)
    schedule = env_schedule("DISCLOSURE_SWEEP_SCHEDULE", "5 * * * *")
    assert schedule == crontab(minute="5")
    assert len(schedule.hour) == 24


def test_a_crontab_expression_sets_the_time_of_day(monkeypatch):
    monkeypatch.setenv("DISCLOSURE_SWEEP_SCHEDULE", "10 0 * * *")
    assert env_schedule("DISCLOSURE_SWEEP_SCHEDULE", "5 * * * *") == crontab(minute=10, hour=0)


def test_a_number_is_seconds_between_runs(monkeypatch):
    monkeypatch.setenv("DISCLOSURE_SWEEP_SCHEDULE", "30")
    assert env_schedule("DISCLOSURE_SWEEP_SCHEDULE", "5 * * * *") == 30.0


@pytest.mark.parametrize("value", ["61 * * * *", "5 * * *", "every hour", "0", "-5", ""])
def test_a_bad_schedule_stops_start_up_with_the_variables_name(monkeypatch, value):
    monkeypatch.setenv("DISCLOSURE_SWEEP_SCHEDULE", value)
    with pytest.raises(ImproperlyConfigured, match="DISCLOSURE_SWEEP_SCHEDULE"):
        env_schedule("DISCLOSURE_SWEEP_SCHEDULE", "5 * * * *")


def test_the_beat_schedule_sweeps_disclosures_with_the_configured_schedule(settings):
    from blacklist_portal.celery import app
    from records.tasks import disclosures_sweep

    app.finalize()
    entry = app.conf.beat_schedule["sweep-disclosures"]
    assert entry["task"] == disclosures_sweep.name
    assert entry["schedule"] == settings.DISCLOSURE_SWEEP_SCHEDULE


def test_a_malformed_schedule_stops_manage_py_at_start_up(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
            "DEBUG": "1",
            "VAR_DIR": str(tmp_path),
            "DISCLOSURE_SWEEP_SCHEDULE": "5 25 * * *",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DISCLOSURE_SWEEP_SCHEDULE must be a crontab expression" in result.stderr
