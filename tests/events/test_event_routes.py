"""An event page's sub-URLs are Wagtail routes (`RoutablePageMixin`), declared with
their views: the URLs stay what they were, and the page model imports no view."""

import ast
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress

from events import models as event_models
from tests.factories import EventPageFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_event_sub_urls_are_the_pages_routes(section):
    event = EventPageFactory(parent=section("evenements"), capacity=5)
    assert [
        event.reverse_subpage(name)
        for name in ("index_route", "register", "unregister", "event_ics")
    ] == ["", "inscription/", "desinscription/", "evenement.ics/"]


def test_every_sub_url_answers_at_its_address(client, section):
    event = EventPageFactory(parent=section("evenements"), capacity=5)
    user = UserFactory()
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    client.force_login(user)

    assert client.get(event.url).status_code == 200
    calendar = client.get(event.url + "evenement.ics")
    assert calendar["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in calendar.content

    assert client.post(event.url + "inscription/").url == event.url
    assert event.registrations.get().user == user
    assert client.post(event.url + "desinscription/").url == event.url
    assert event.registrations.get().status == "annulee"
    assert client.get(event.url + "inscription/").status_code == 405
    assert client.get(event.url + "autre-chose/").status_code == 404


def test_the_event_page_model_imports_no_view_nor_the_page_cache():
    tree = ast.parse(Path(event_models.__file__).read_text())
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not imported & {"events.views", "retex.page_cache", "events"}
