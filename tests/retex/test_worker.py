"""The task worker (`manage.py db_worker`, retex/worker/): real worker processes,
killed or deprived of their database by the test.

- A task whose worker is killed half-way is run again by another worker, and its
  email is sent once.
- The worker outlives a PostgreSQL restart and runs the tasks queued after it.
"""

import datetime
import email
import email.policy
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from retex.worker.models import WorkerHeartbeat
from retex.worker.worker import MAX_CLAIMS, reclaim_dead_workers

BASE_DIR = Path(settings.BASE_DIR)
# Only bounds a hang (a worker that never does what is awaited): never reached
# when the code works, whatever the machine's speed.
DEADLINE_SECONDS = 120


def wait_for(what: str, condition, *, processes=()):
    """Poll `condition` until it is true; fail at once if a process we need died."""
    give_up = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        for process in processes:
            if process.poll() is not None:
                pytest.fail(f"{what}: worker exited with {process.returncode}")
        if time.monotonic() > give_up:
            pytest.fail(f"{what}: still not the case after {DEADLINE_SECONDS} s")
        time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Site:
    """The project run as separate processes against one database."""

    def __init__(self, database_url: str, var_dir: Path):
        self.var_dir = var_dir
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"REDIS_URL", "ELASTICSEARCH_URL", "EMAIL_HOST"}
        }
        self.env.update(
            DATABASE_URL=database_url,
            TASKS_BACKEND="database",
            VAR_DIR=str(var_dir),
            DEBUG="1",
            TASKS_WORKER_HEARTBEAT_SECONDS="1",
            TASKS_WORKER_DEAD_AFTER_SECONDS="3",
            PYTHONUNBUFFERED="1",
        )
        self.workers: list[subprocess.Popen] = []

    def manage(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=DEADLINE_SECONDS,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def python(self, code: str) -> str:
        """Run `code` in a Django shell; returns what it printed after `=>`."""
        out = self.manage("shell", "--no-imports", "-c", code)
        return out.split("=>", 1)[1].strip()

    def enqueue(self, task: str, **kwargs) -> str:
        return self.python(
            f"from tests.retex.worker_tasks import {task}\n"
            f"print('=>', {task}.enqueue(**{kwargs!r}).id)"
        )

    def task(self, task_id: str) -> dict:
        return eval(  # noqa: S307 - our own repr, from our own subprocess.
            self.python(
                "from django_tasks_db.models import DBTaskResult\n"
                f"t = DBTaskResult.objects.get(pk={task_id!r})\n"
                "print('=>', repr({'status': t.status, 'worker_ids': t.worker_ids}))"
            )
        )

    def start_worker(self, worker_id: str) -> subprocess.Popen:
        log = open(self.var_dir / f"{worker_id}.log", "w")  # noqa: SIM115
        worker = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval=0.1",
                f"--worker-id={worker_id}",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.workers.append(worker)
        return worker

    def log(self, worker_id: str) -> str:
        return (self.var_dir / f"{worker_id}.log").read_text()

    def emails(self) -> list[email.message.EmailMessage]:
        """Every email written by the file backend, parsed back."""
        separator = "\n" + "-" * 79 + "\n"
        messages = []
        for path in sorted((self.var_dir / "mail").glob("*.log")):
            for chunk in path.read_text().split(separator):
                if chunk.strip():
                    messages.append(
                        email.message_from_string(chunk, policy=email.policy.default)
                    )
        return messages

    def stop(self):
        for worker in self.workers:
            if worker.poll() is None:
                worker.kill()
            worker.wait(timeout=DEADLINE_SECONDS)


def database_url(settings_dict) -> str:
    user = settings_dict["USER"] or ""
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


@pytest.fixture
def site(request, tmp_path):
    """On PostgreSQL, the test's own database (committed transactions); on SQLite,
    a copy of a migrated file (the suite's in-memory one is not shared;
    `migrated_sqlite` is in tests/conftest.py)."""
    if connection.vendor == "postgresql":
        url = database_url(connection.settings_dict)
    else:
        copy = tmp_path / "retex.sqlite3"
        shutil.copy(request.getfixturevalue("migrated_sqlite"), copy)
        url = f"sqlite:///{copy}"
    running = Site(url, tmp_path)
    yield running
    running.stop()


def lines(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_killed_workers_task_is_run_again_and_its_email_sent_once(site, tmp_path):
    runs, go = tmp_path / "runs", tmp_path / "go"
    first = site.start_worker("worker-a")
    task_id = site.enqueue(
        "send_then_wait", to="elue@ville.fr", runs_file=str(runs), go_file=str(go)
    )
    wait_for(
        "the first worker ran the task", lambda: lines(runs) == 1, processes=[first]
    )
    assert len(site.emails()) == 1

    first.send_signal(signal.SIGKILL)  # Mid-task: the task stays RUNNING.
    first.wait(timeout=DEADLINE_SECONDS)
    assert site.task(task_id)["status"] == "RUNNING"
    second = site.start_worker("worker-b")
    wait_for(
        "another worker took the task over",
        lambda: lines(runs) == 2,
        processes=[second],
    )
    go.touch()
    wait_for(
        "the task succeeded",
        lambda: site.task(task_id)["status"] == "SUCCESSFUL",
        processes=[second],
    )

    assert site.task(task_id)["worker_ids"] == ["worker-a", "worker-b"]
    [message] = site.emails()  # Sent by the first run only.
    assert message["To"] == "elue@ville.fr"
    assert message["Subject"] == "Tâche reprise"
    assert "put back in the queue: worker worker-a is gone" in site.log("worker-b")


# --- Reclaiming, in process --------------------------------------------------------


def running_task(worker_ids, started_minutes_ago):
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {"path": "/nonexistent"}},
        task_path="tests.retex.worker_tasks.touch",
        backend_name="default",
        status="RUNNING",
        worker_ids=worker_ids,
        started_at=timezone.now() - datetime.timedelta(minutes=started_minutes_ago),
    )


@pytest.mark.django_db
def test_only_tasks_of_workers_not_seen_lately_are_reclaimed():
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="alive", started_at=now, seen_at=now)
    WorkerHeartbeat.objects.create(
        worker_id="dead",
        started_at=now,
        seen_at=now - datetime.timedelta(minutes=5),
    )
    of_alive = running_task(["alive"], 10)
    of_dead = running_task(["dead"], 10)
    of_unknown = running_task(["never-seen"], 10)
    just_claimed = running_task(["starting"], 0)  # Its heartbeat is on its way.
    cursed = running_task([f"w{n}" for n in range(MAX_CLAIMS)], 10)

    reclaimed = reclaim_dead_workers(dead_after=120)

    assert sorted(reclaimed) == sorted([str(of_dead.pk), str(of_unknown.pk)])
    status = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert status[of_alive.pk] == "RUNNING"
    assert status[just_claimed.pk] == "RUNNING"
    assert status[of_dead.pk] == status[of_unknown.pk] == "READY"
    assert status[cursed.pk] == "FAILED"
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == [
        "alive"
    ]
    assert reclaim_dead_workers(dead_after=120) == []  # Once.


# --- A PostgreSQL restart under a running worker -----------------------------------


class PrivateCluster:
    """A PostgreSQL server of our own (initdb, trust authentication, a free
    port), which the test may stop and start. initdb refuses to run as root: as
    root, the cluster is run by the `postgres` system user."""

    def __init__(self):
        binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not binaries:
            pytest.fail("PostgreSQL server binaries not found in /usr/lib/postgresql")
        self.bin = binaries[-1].parent
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="retex-pg-"))
        self.data = self.dir / "data"
        self.as_owner = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres")

    def run(self, program: str, *args: str) -> None:
        subprocess.run(  # noqa: S603
            [*self.as_owner, str(self.bin / program), *args],
            check=True,
            capture_output=True,
            timeout=DEADLINE_SECONDS,
            cwd=self.dir,
        )

    def client(self, program: str, *args: str, input: bytes | None = None) -> bytes:
        """Run a client program (pg_dump, psql) of the same version as ours."""
        return subprocess.run(  # noqa: S603
            [str(self.bin / program), *args],
            input=input,
            check=True,
            capture_output=True,
            timeout=DEADLINE_SECONDS,
        ).stdout

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        self.run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.dir / "log"),
            "-w",
            "-o",
            options,
            "start",
        )

    def stop(self):
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def destroy(self):
        subprocess.run(  # noqa: S603
            [
                *self.as_owner,
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_outlives_a_database_restart(tmp_path):
    cluster = PrivateCluster()
    try:
        cluster.start()
        # The schema of the test's database, copied over (faster than migrating).
        dump = cluster.client(
            "pg_dump",
            "--no-owner",
            "--no-privileges",
            database_url(connection.settings_dict),
        )
        cluster.client("psql", cluster.url("postgres"), "-qc", "CREATE DATABASE retex")
        cluster.client(
            "psql", "-q", "-v", "ON_ERROR_STOP=1", cluster.url("retex"), input=dump
        )
        site = Site(cluster.url("retex"), tmp_path)
        try:
            worker = site.start_worker("survivor")
            before = tmp_path / "before"
            site.enqueue("touch", path=str(before))
            wait_for("a task ran", before.exists, processes=[worker])

            cluster.stop()
            wait_for(
                "the worker noticed the outage",
                lambda: "database unavailable" in site.log("survivor"),
                processes=[worker],
            )
            cluster.start()

            after = tmp_path / "after"
            site.enqueue("touch", path=str(after))
            wait_for(
                "a task queued after the restart ran", after.exists, processes=[worker]
            )
            assert worker.poll() is None
            assert "the database is back" in site.log("survivor")
        finally:
            site.stop()
    finally:
        cluster.destroy()
