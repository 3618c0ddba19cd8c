"""Search answers come from the cache until the index changes, and never cross
from members to visitors."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.factories import ArticlePageFactory, UserFactory
from tests.helpers import api, publish, titles

pytestmark = pytest.mark.django_db


def search_statements(client, **params):
    """How many statements read the full-text index to answer."""
    with CaptureQueriesContext(connection) as queries:
        data = api(client, **params)
    index_reads = [
        q for q in queries if "search_fts" in q["sql"] or "search_vector" in q["sql"]
    ]
    return data, len(index_reads)


@pytest.fixture
def knowledge(section, django_capture_on_commit_callbacks):
    def add(title, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return publish(
                ArticlePageFactory(parent=section("ressources"), title=title, **kwargs)
            )

    return add


def test_a_repeated_search_is_answered_without_matching_again(client, knowledge):
    knowledge("Un tiers-lieu rural")
    first, reads = search_statements(client, q="tiers-lieu")
    assert reads > 0
    again, reads = search_statements(client, q="tiers-lieu")
    assert again == first
    assert reads == 0


def test_publishing_a_page_shows_it_in_the_next_search(client, knowledge):
    knowledge("Un tiers-lieu rural")
    assert titles(api(client, q="tiers-lieu")) == ["Un tiers-lieu rural"]
    knowledge("Un tiers-lieu urbain")
    assert sorted(titles(api(client, q="tiers-lieu"))) == [
        "Un tiers-lieu rural",
        "Un tiers-lieu urbain",
    ]


def test_unpublishing_a_page_removes_it_from_the_next_search(
    client, knowledge, django_capture_on_commit_callbacks
):
    page = knowledge("Un tiers-lieu rural")
    assert titles(api(client, q="tiers-lieu")) == ["Un tiers-lieu rural"]
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert titles(api(client, q="tiers-lieu")) == []


def test_members_answers_never_reach_visitors_and_back(
    client, knowledge, django_capture_on_commit_callbacks
):
    knowledge("Un tiers-lieu rural")
    secret = knowledge("Un tiers-lieu confidentiel")
    # The restriction reaches the index through its signal and task.
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=secret, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.set([Group.objects.get(name="Membres")])
    member = UserFactory()
    member.groups.add(Group.objects.get(name="Membres"))
    client.force_login(member)
    assert "Un tiers-lieu confidentiel" in titles(api(client, q="tiers-lieu"))
    client.logout()
    assert titles(api(client, q="tiers-lieu")) == ["Un tiers-lieu rural"]
    client.force_login(member)
    assert "Un tiers-lieu confidentiel" in titles(api(client, q="tiers-lieu"))


class BrokenCache(LocMemCache):
    def _fail(self, *args, **kwargs):
        raise ConnectionError("cache server unreachable")

    get = set = add = incr = get_many = set_many = _fail


def test_search_answers_when_the_cache_is_down(client, knowledge, settings):
    knowledge("Un tiers-lieu rural")
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "tests.search.test_search_cache.BrokenCache"},
    }
    assert titles(api(client, q="tiers-lieu")) == ["Un tiers-lieu rural"]


def use_process_cache(settings, name):
    """Point the default cache at the memory of process `name` (LocMemCache
    instances with different locations share nothing, like two processes)."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"process-{name}",
        },
    }


def test_what_the_worker_indexed_is_found_by_a_web_process_with_its_own_cache(
    client, knowledge, settings
):
    """`make run` without Redis: the web process and the task worker each cache
    in their own memory. A search asked before an editor publishes must not keep
    its old answer once the worker has indexed the new page."""
    use_process_cache(settings, "web")
    knowledge("Un tiers-lieu rural")
    assert titles(api(client, q="tiers-lieu")) == ["Un tiers-lieu rural"]
    # Published, then indexed by the worker, with the worker's cache.
    use_process_cache(settings, "worker")
    knowledge("Un tiers-lieu urbain")
    use_process_cache(settings, "web")
    assert sorted(titles(api(client, q="tiers-lieu"))) == [
        "Un tiers-lieu rural",
        "Un tiers-lieu urbain",
    ]
    # And the answer is cached again for the next searches of this process.
    again, reads = search_statements(client, q="tiers-lieu")
    assert reads == 0
    assert len(again["results"]) == 2
