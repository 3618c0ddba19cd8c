import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from wagtail.models import Page, Site

from retex.models import HomePage
from tests.logins import _force_login_is_a_complete_login  # noqa: F401


@pytest.fixture(autouse=True)
def _test_environment(settings, tmp_path):
    """Tasks run at once in tests; uploads and local files go to a throw-away
    folder of the test's own."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    # The demo passwords `seed_demo` and `demo_admin` write once under VAR_DIR:
    # with the suite on several workers (`make test`), one worker's seed_demo
    # must not write the file another worker's test has just read.
    settings.VAR_DIR = tmp_path / "var"
    # The suite runs on the database backend; the live Elasticsearch tests set
    # their own URL, so a cluster named in the environment is never written to.
    settings.ELASTICSEARCH_URL = None
    # A REDIS_URL in the environment must not turn the page cache on for the
    # suite; tests/retex/test_page_cache.py turns it on where it is the subject.
    settings.PAGE_CACHE_SECONDS = 0
    # Process memory, whatever REDIS_URL says: clearing the cache between tests
    # must never empty a developer's shared Redis.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tests",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tests-pages",
        },
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def _empty_cache(_test_environment):
    """Each test starts with an empty cache: rate-limit counters (and anything
    cached) never carry over from one test to the next."""
    from django.core.cache import caches

    # At set-up only: at tear-down a test may still point a cache at a server
    # that is down on purpose.
    for alias in ("default", "pages"):
        caches[alias].clear()


# What Django serialised of each test database when it was created, for
# `serialized_rollback` (see tests/browser/conftest.py for why it is kept here).
SERIALIZED_CONTENTS: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is not None:
            SERIALIZED_CONTENTS[alias] = contents
    # Every content type in the process's cache, as the database has them now.
    # Restoring the serialised data (`serialized_rollback`, after a flush) builds
    # pages, and a Wagtail page built without an id asks for its content type:
    # one not yet cached would be created in the emptied table, and the restore
    # would then fail on its own row (UNIQUE constraint on django_content_type).
    with django_db_blocker.unblock():
        ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A file SQLite database with every migration applied, for tests that run
    the project as separate processes: copy it, never write to it.

    Migrating takes a while (the longest test of a run did nothing else): it
    is done once per run, by whichever pytest-xdist worker asks first, the
    others waiting on a lock in the folder the workers share."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # pytest-N/, holding each worker's popen-gwN/.
    folder = shared / "migrated-sqlite"
    path = folder / "retex.sqlite3"
    with open(shared / "migrated-sqlite.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            folder.mkdir(exist_ok=True)
            partial = folder / "partial.sqlite3"
            partial.unlink(missing_ok=True)
            env = {
                key: value
                for key, value in os.environ.items()
                if key not in {"REDIS_URL", "ELASTICSEARCH_URL", "EMAIL_HOST"}
            }
            env.update(
                DATABASE_URL=f"sqlite:///{partial}", VAR_DIR=str(folder), DEBUG="1"
            )
            done = subprocess.run(
                [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
                cwd=django_settings.BASE_DIR,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            assert done.returncode == 0, done.stderr
            partial.rename(path)
    return path


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`committed(action, …)`: run `action`, then what it scheduled for after its
    transaction commits (the test's transaction never does)."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def home_page(db) -> HomePage:
    """The home page created by the page-tree migration."""
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def section(db):
    """Index page of a section by its slug: section("ressources")."""

    def get(slug: str) -> Page:
        return Page.objects.get(depth=3, slug=slug).specific

    return get


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` are skipped, with the reason, on another database.

    A test with real transactions must also restore the serialised data
    (`serialized_rollback=True`): without it, the flush after the test runs the
    post-migrate handlers, which write content types and the site's root pages
    again, and every later restore fails on its own rows."""
    from django.conf import settings

    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: django_db(transaction=True) needs "
                "serialized_rollback=True (see tests/conftest.py)"
            )

    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    if vendor == "postgresql":
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL: run `make test-postgres` or set DATABASE_URL"
    )
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"
