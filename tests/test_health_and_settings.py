import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


def test_healthz_reports_database_and_broker(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert set(response.json()) == {"database", "broker"}


def test_healthz_reports_a_dead_broker_without_failing(db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"].startswith("error")


def _run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE")
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    result = _run_manage("check", DEBUG="0", VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_a_malformed_boolean_setting_stops_start_up_with_its_name(tmp_path):
    result = _run_manage("check", DEBUG="perhaps", VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_a_cache_url_that_is_not_redis_stops_start_up_with_its_name(tmp_path):
    result = _run_manage("check", DEBUG="1", VAR_DIR=str(tmp_path), CACHE_URL="memcached://x")
    assert result.returncode != 0
    assert "CACHE_URL must be a redis://" in result.stderr


def test_a_redis_cache_url_shares_the_cache_between_processes(tmp_path):
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = _run_manage(
        "shell", "-c", code, DEBUG="1", VAR_DIR=str(tmp_path), CACHE_URL="redis://127.0.0.1:6379/9"
    )
    assert result.stdout.strip().endswith("django.core.cache.backends.redis.RedisCache")


@pytest.mark.slow
def test_the_deploy_check_is_clean_with_production_settings(tmp_path):
    result = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="k" * 20 + "-9fz!Qw3#Lr8$Tb6^Yx1&Np4*Hc7@Ud2",
        ALLOWED_HOSTS="example.org",
        VAR_DIR=str(tmp_path),
        CACHE_URL="redis://127.0.0.1:6379/9",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_healthz_finds_the_configured_broker_answering(db):
    # In CI this is Redis; under `make run` and on SQLite runs, the file-system broker.
    assert Client().get("/healthz").json()["broker"] == "ok"


def test_the_beat_schedule_drains_the_outbox_and_the_task_runs(db):
    from blacklist_portal.celery import app
    from kernel.tasks import outbox_drain

    app.finalize()
    entry = app.conf.beat_schedule["drain-job-outbox"]
    assert entry["task"] == outbox_drain.name
    assert outbox_drain.apply().get() == 0
