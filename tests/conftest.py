import pytest
from django.db import connection
from wagtail.models import Page, Site

from retex.models import HomePage


@pytest.fixture(autouse=True)
def _test_environment(settings, tmp_path):
    """Tasks run at once in tests; uploads go to a throw-away folder."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    # The suite runs on the database backend; the live Elasticsearch tests set
    # their own URL, so a cluster named in the environment is never written to.
    settings.ELASTICSEARCH_URL = None
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


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
    """Tests marked `postgres` are skipped, with the reason, on another database."""
    from django.conf import settings

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
