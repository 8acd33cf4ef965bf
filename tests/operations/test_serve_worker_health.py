"""``amparo serve``, ``amparo worker`` and ``/healthz``, run for real in subprocesses."""

from __future__ import annotations

import json
import os
import signal

from .conftest import (
    background,
    copy_var,
    db_rows,
    free_port,
    http_get,
    run_amparo,
    stop,
    wait_for,
    wait_task,
)


def test_serve_refuses_while_demo_users_exist(demo_var):
    port = free_port()
    result = run_amparo(
        demo_var, "serve", "--bind", f"127.0.0.1:{port}", "--no-collectstatic", timeout=120
    )
    assert result.returncode == 2
    assert "Refusing to start" in result.stderr
    assert "demo users" in result.stderr
    assert "--allow-demo-users" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_with_demo_users_allowed_by_environment(demo_var, tmp_path):
    var_dir = copy_var(demo_var, tmp_path / "var")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with background(
        var_dir,
        "serve",
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        log=tmp_path / "serve.log",
        AMPARO_ALLOW_DEMO_USERS="1",
    ) as proc:
        wait_for(f"{base}/healthz", proc=proc)
        assert http_get(f"{base}/")[0] == 200
        assert stop(proc) == 0
    log = (tmp_path / "serve.log").read_text()
    assert f"Serving on 127.0.0.1:{port} with 2 workers" in log


def test_serve_refuses_bad_arguments_and_unmigrated_databases(tmp_path, migrated_var):
    result = run_amparo(migrated_var, "serve", "--bind", "nowhere", timeout=120)
    assert result.returncode == 2
    assert "--bind must look like HOST:PORT" in result.stderr

    result = run_amparo(migrated_var, "serve", "--workers", "0", timeout=120)
    assert result.returncode == 2
    assert "Enter a whole number of 1 or more" in result.stderr

    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_amparo(empty, "serve", "--bind", f"127.0.0.1:{free_port()}", timeout=120)
    assert result.returncode == 2
    assert "migrations to apply" in result.stderr
    assert "Traceback" not in result.stderr


def test_worker_runs_an_enqueued_task_and_stops_on_sigterm(migrated_var, tmp_path):
    var_dir = copy_var(migrated_var, tmp_path / "var")
    with background(var_dir, "worker", "--interval", "0.2", log=tmp_path / "worker.log") as worker:
        enqueue = run_amparo(
            var_dir,
            "shell",
            "-c",
            "from amparo.core.tasks import ping; print(ping.enqueue('worker-check').id)",
            timeout=120,
        )
        assert enqueue.returncode == 0, enqueue.stderr
        task_id = enqueue.stdout.strip().splitlines()[-1]

        result = wait_task(var_dir, task_id)

        # Run by the worker process itself, not by the process that enqueued it.
        assert result == {
            "pong": True,
            "token": "worker-check",
            "pid": worker.pid,
            "host": os.uname().nodename,
        }
        assert stop(worker, signal.SIGTERM) == 0
    assert "taking tasks from: default" in (tmp_path / "worker.log").read_text()


def test_worker_batch_drains_the_queue_and_exits(migrated_var, tmp_path):
    var_dir = copy_var(migrated_var, tmp_path / "var")
    enqueue = run_amparo(
        var_dir,
        "shell",
        "-c",
        "from amparo.core.tasks import ping\nfor i in range(3): ping.enqueue(str(i))",
        timeout=120,
    )
    assert enqueue.returncode == 0, enqueue.stderr
    result = run_amparo(var_dir, "worker", "--batch", "--no-schedule", timeout=120)
    assert result.returncode == 0, result.stderr
    assert db_rows(
        var_dir, "SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult GROUP BY status"
    ) == [("SUCCESSFUL", 3)]


def test_a_worker_enqueues_and_runs_every_periodic_job_once(migrated_var, tmp_path):
    from django.utils.module_loading import import_string

    from amparo.core.schedule import PERIODIC

    # Jobs that are off until configured (the encrypted backup, without recipients) never run.
    on = [job for job in PERIODIC if job.enabled is None or import_string(job.enabled)()]
    assert "encrypted-backup" in {job.name for job in PERIODIC} - {job.name for job in on}
    var_dir = copy_var(migrated_var, tmp_path / "var")
    for _ in range(2):  # a second worker right after the first finds nothing due
        result = run_amparo(var_dir, "worker", "--batch", timeout=120)
        assert result.returncode == 0, result.stderr
    assert db_rows(
        var_dir, "SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult GROUP BY status"
    ) == [("SUCCESSFUL", len(on))]
    assert db_rows(var_dir, "SELECT COUNT(*) FROM core_scheduledjob") == [(len(on),)]


def test_worker_refuses_an_unmigrated_database(tmp_path):
    result = run_amparo(tmp_path / "var", "worker", timeout=120)
    assert result.returncode == 2
    assert "Cannot read the task queue" in result.stderr
    assert "Traceback" not in result.stderr


def test_worker_refuses_a_bad_interval(migrated_var):
    result = run_amparo(migrated_var, "worker", "--interval", "soon", timeout=120)
    assert result.returncode == 2
    assert "Enter a number of seconds from 0 to 3600" in result.stderr


def test_healthz_is_503_when_the_database_is_unreachable(migrated_var, tmp_path):
    """No mock: the server's SQLite file is replaced by a folder while it runs."""
    var_dir = copy_var(migrated_var, tmp_path / "var")
    port = free_port()
    url = f"http://127.0.0.1:{port}/healthz"
    with background(
        var_dir,
        "serve",
        "--workers",
        "1",
        "--bind",
        f"127.0.0.1:{port}",
        log=tmp_path / "serve.log",
    ) as proc:
        wait_for(url, proc=proc)
        status, body = http_get(url)
        assert status == 200
        assert json.loads(body)["database"] == "ok"

        db = var_dir / "amparo.sqlite3"
        db.rename(var_dir / "moved.sqlite3")
        for suffix in ("-wal", "-shm"):
            (var_dir / f"amparo.sqlite3{suffix}").unlink(missing_ok=True)
        db.mkdir()  # sqlite cannot open a folder: every new connection fails

        status, body = http_get(url)
        assert status == 503
        answer = json.loads(body)
        assert answer["database"] == "error"
        assert answer["status"] == "error"
        assert stop(proc) == 0
