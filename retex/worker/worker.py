"""django-tasks-db's worker, made to lose no task and to outlive the database.

django-tasks-db (0.13) marks a task `RUNNING` when a worker claims it and has no
notion of a dead worker: a worker killed mid-task (OOM, `kill -9`, a machine lost)
leaves the task `RUNNING` forever. And its worker loop exits on the first database
error that is not "database is locked".

This worker, run by `python manage.py db_worker` (the project's command of the
same name replaces the library's), adds:

- A heartbeat: a thread writes `WorkerHeartbeat(worker_id, seen_at)` every
  `TASKS_WORKER_HEARTBEAT_SECONDS`, also while a long task runs; the row is
  removed when the worker stops cleanly.
- Reclaiming: at start and then every heartbeat period, each worker puts back
  to `READY` the `RUNNING` tasks whose last worker has not been seen for
  `TASKS_WORKER_DEAD_AFTER_SECONDS` (and which started before that). A task
  whose workers died `MAX_CLAIMS` times is marked `FAILED` instead, so a task
  that kills its worker cannot kill them all in turn. The update is conditional
  on the task's `started_at`, so two workers reclaiming at once reclaim it once.
- Emails are sent once per task even when it runs again (`retex.tasks.send_once`,
  keyed by the task result's id).
- Database outages: any `OperationalError` / `InterfaceError` in the loop is
  logged, the connections are closed, and the worker waits (1, 2, 4… up to 30
  seconds) and tries again; it never exits for it. A task's outcome that cannot
  be recorded is retried the same way; a task that failed on a database error is
  put back to `READY` (up to `MAX_CLAIMS` runs) rather than recorded as failed.
"""

import datetime
import logging
import random
import threading
import time

from django.db import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
)
from django.utils import timezone
from django_tasks_db.compat import (
    TaskContext,
    TaskResultStatus,
    task_finished,
    task_started,
)
from django_tasks_db.management.commands.db_worker import Worker as LibraryWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from retex.tasks import running_task
from retex.worker.models import SentEmail, WorkerHeartbeat

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
MAX_BACKOFF_SECONDS = 30
# Runs of one task before it is given up (its workers died, or the database failed
# under it, each time).
MAX_CLAIMS = 3
# How long a sent-email marker is kept: a task is re-run within minutes of its
# worker's death, so a week is plenty.
SENT_EMAIL_RETENTION = datetime.timedelta(days=7)


class WorkerDied(Exception):
    """Recorded on a task given up after its workers died `MAX_CLAIMS` times."""


def close_connections() -> None:
    """Close this thread's database connections, broken ones included."""
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except Exception:
            connection.connection = None


def next_backoff(previous: float) -> float:
    return min(MAX_BACKOFF_SECONDS, previous * 2 if previous else 1)


def reclaim_dead_workers(*, dead_after: float, now=None) -> list[str]:
    """Put back to READY the RUNNING tasks whose worker has not been seen for
    `dead_after` seconds; returns their ids."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=dead_after)
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list(
            "worker_id", flat=True
        )
    )
    reclaimed = []
    orphans = DBTaskResult.objects.running().filter(started_at__lt=cutoff)
    for pk, worker_ids, started_at, task_path in orphans.values_list(
        "pk", "worker_ids", "started_at", "task_path"
    ):
        if worker_ids and worker_ids[-1] in alive:
            continue
        same_run = DBTaskResult.objects.filter(
            pk=pk, status=TaskResultStatus.RUNNING, started_at=started_at
        )
        if len(worker_ids) >= MAX_CLAIMS:
            given_up = same_run.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{__name__}.WorkerDied",
                traceback=(
                    f"WorkerDied: the workers running this task died or lost the "
                    f"database {len(worker_ids)} times ({', '.join(worker_ids)})."
                ),
            )
            if given_up:
                logger.error(
                    "Task id=%s path=%s given up: its workers died %s times",
                    pk,
                    task_path,
                    len(worker_ids),
                )
            continue
        if same_run.update(status=TaskResultStatus.READY):
            logger.warning(
                "Task id=%s path=%s put back in the queue: worker %s is gone",
                pk,
                task_path,
                worker_ids[-1] if worker_ids else "?",
            )
            reclaimed.append(str(pk))
    WorkerHeartbeat.objects.filter(seen_at__lt=cutoff).delete()
    SentEmail.objects.filter(sent_at__lt=now - SENT_EMAIL_RETENTION).delete()
    return reclaimed


class Heartbeat(threading.Thread):
    """Writes the worker's `WorkerHeartbeat` row every `interval` seconds, on its
    own database connection, until `stop()`."""

    def __init__(self, worker_id: str, interval: float):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.started_at = timezone.now()
        self._stopping = threading.Event()

    def run(self) -> None:
        try:
            while True:
                self.beat()
                if self._stopping.wait(self.interval):
                    break
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except DATABASE_ERRORS as error:
            logger.warning(
                "Worker %s: heartbeat not removed (%s)", self.worker_id, error
            )
        finally:
            close_connections()

    def beat(self) -> None:
        now = timezone.now()
        try:
            seen = WorkerHeartbeat.objects.filter(worker_id=self.worker_id)
            if not seen.update(seen_at=now):
                try:
                    WorkerHeartbeat.objects.create(
                        worker_id=self.worker_id,
                        started_at=self.started_at,
                        seen_at=now,
                    )
                except IntegrityError:
                    seen.update(seen_at=now)
        except DATABASE_ERRORS as error:
            logger.warning(
                "Worker %s: heartbeat not written, database unavailable (%s)",
                self.worker_id,
                error,
            )
            close_connections()
        except Exception:
            logger.exception("Worker %s: heartbeat not written", self.worker_id)

    def stop(self) -> None:
        self._stopping.set()
        if self.is_alive():
            self.join(timeout=self.interval + 10)


class Worker(LibraryWorker):
    def __init__(self, *, heartbeat_seconds: float, dead_after_seconds: float, **kw):
        super().__init__(**kw)
        self.heartbeat_seconds = heartbeat_seconds
        self.dead_after_seconds = dead_after_seconds
        self._next_reclaim = 0.0
        self._backoff = 0.0

    def run(self) -> None:
        logger.info(
            "Starting worker worker_id=%s queues=%s",
            self.worker_id,
            ",".join(self.queue_names),
        )
        heartbeat = Heartbeat(self.worker_id, self.heartbeat_seconds)
        heartbeat.start()
        try:
            if self.startup_delay and self.interval:
                time.sleep(random.random())  # noqa: S311 - spreads workers' starts.
            self._loop()
        finally:
            heartbeat.stop()

    def _loop(self) -> None:
        while self.running:
            try:
                self._reclaim_when_due()
                task_result, retrieved = self._claim()
            except DATABASE_ERRORS as error:
                self._wait_for_database(error, "claiming a task")
                continue
            if self._backoff:
                logger.warning("Worker %s: the database is back", self.worker_id)
                self._backoff = 0.0
            if task_result is not None:
                self.run_task(task_result)
            if self.batch and retrieved and task_result is None:
                logger.info(
                    "No more tasks to run for worker_id=%s - exiting gracefully.",
                    self.worker_id,
                )
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info(
                    "Run maximum tasks (%d) on worker=%s - exiting gracefully.",
                    self._run_tasks,
                    self.worker_id,
                )
                return
            if self.running and task_result is None:
                time.sleep(self.interval)

    def _wait_for_database(self, error: Exception, doing: str) -> None:
        self._backoff = next_backoff(self._backoff)
        logger.warning(
            "Worker %s: database unavailable while %s (%s); retrying in %s s",
            self.worker_id,
            doing,
            str(error).strip(),
            self._backoff,
        )
        close_connections()
        time.sleep(self._backoff)

    def _reclaim_when_due(self) -> None:
        if time.monotonic() < self._next_reclaim:
            return
        reclaim_dead_workers(dead_after=self.dead_after_seconds)
        self._next_reclaim = time.monotonic() + self.heartbeat_seconds

    def _claim(self) -> tuple[DBTaskResult | None, bool]:
        close_old_connections()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
            except OperationalError as error:
                if is_locked_database_exception(error):
                    return None, False
                raise
        return task_result, True

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the task, then record its outcome, waiting for the database if it
        is down (the task is not run again for that)."""
        self.running_task = True
        try:
            with running_task(db_task_result.id):
                try:
                    task = db_task_result.task
                    task_result = db_task_result.task_result
                    task_started.send(
                        sender=type(task.get_backend()), task_result=task_result
                    )
                    if task.takes_context:
                        value = task.call(
                            TaskContext(task_result=task_result),
                            *task_result.args,
                            **task_result.kwargs,
                        )
                    else:
                        value = task.call(*task_result.args, **task_result.kwargs)
                except BaseException as error:
                    self._record(db_task_result, error=error)
                else:
                    self._record(db_task_result, value=value)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _record(self, db_task_result, *, value=None, error=None) -> None:
        while True:
            try:
                if isinstance(error, DATABASE_ERRORS) and (
                    len(db_task_result.worker_ids) < MAX_CLAIMS
                ):
                    self._requeue(db_task_result, error)
                    return
                if error is None:
                    try:
                        db_task_result.set_successful(value)
                    except DATABASE_ERRORS:
                        raise
                    except Exception as unrecordable:
                        error = unrecordable
                        continue
                else:
                    db_task_result.set_failed(error)
                break
            except DATABASE_ERRORS as db_error:
                self._wait_for_database(db_error, "recording a task's outcome")
        self._backoff = 0.0
        try:
            sender = type(db_task_result.task.get_backend())
            task_finished.send(sender=sender, task_result=db_task_result.task_result)
        except Exception:
            logger.exception("Task id=%s failed unexpectedly", db_task_result.id)

    def _requeue(self, db_task_result, error: Exception) -> None:
        logger.warning(
            "Task id=%s path=%s hit a database error (%s): put back in the queue",
            db_task_result.id,
            db_task_result.task_path,
            str(error).strip(),
        )
        DBTaskResult.objects.filter(
            pk=db_task_result.pk, status=TaskResultStatus.RUNNING
        ).update(status=TaskResultStatus.READY)
