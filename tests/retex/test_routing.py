"""Pages are routed by `retex.serving` in fewer queries, with Wagtail's rules:
every path answers what Wagtail's own routing answers."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction

from retex import serving
from tests.factories import EventPageFactory, StandardPageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(home_page, section):
    """/a-propos/ (live) > /a-propos/brouillon/ (draft) > /a-propos/brouillon/fin/
    (live), an event, a members-only page and a password-protected one."""
    about = StandardPageFactory(parent=home_page, title="À propos", slug="a-propos")
    draft = StandardPageFactory(parent=about, title="Brouillon", slug="brouillon")
    end = StandardPageFactory(parent=draft, title="Fin", slug="fin")
    draft.unpublish()
    event = EventPageFactory(parent=section("evenements"), slug="formation-rgpd")
    members = StandardPageFactory(parent=home_page, title="Réservé", slug="reserve")
    restriction = PageViewRestriction.objects.create(
        page=members, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get_or_create(name="Membres")[0]])
    inner = StandardPageFactory(parent=members, title="Dedans", slug="dedans")
    secret = StandardPageFactory(parent=home_page, title="Secret", slug="secret")
    PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="sésame"
    )
    return {"about": about, "draft": draft, "end": end, "event": event, "inner": inner}


PATHS = [
    "/",
    "/a-propos/",
    "/a-propos/brouillon/",
    "/a-propos/brouillon/fin/",
    "/a-propos/inconnue/",
    "/a-propos/brouillon/fin/encore/",
    "/evenements/",
    "/evenements/formation-rgpd/",
    "/evenements/formation-rgpd/inscription/",
    "/evenements/formation-rgpd/desinscription/",
    "/evenements/formation-rgpd/evenement.ics/",
    "/evenements/formation-rgpd/nimporte/",
    "/evenements/inconnu/",
    "/reserve/",
    "/reserve/dedans/",
    "/secret/",
    "/inconnue/",
    "/ressources/",
]


@pytest.mark.parametrize("path", PATHS)
def test_every_path_is_routed_as_wagtail_routes_it(tree, path):
    ours = serving.route(RequestFactory().get(path), path)
    theirs = Page.route_for_request(RequestFactory().get(path), path)
    if theirs is None:
        assert ours is None
        return
    assert ours is not None
    assert (ours.page.pk, type(ours.page)) == (theirs.page.pk, type(theirs.page))
    assert len(ours.args) == len(theirs.args)
    if ours.args:  # A routable page: the same view and arguments.
        assert ours.args[0].__name__ == theirs.args[0].__name__
        assert tuple(ours.args[1:]) == tuple(theirs.args[1:])
    assert ours.kwargs == theirs.kwargs
    # The ancestors read while routing are the breadcrumbs' trail.
    ancestors = getattr(ours.page, "_retex_ancestors", None)
    if ancestors is not None:
        expected = theirs.page.get_ancestors().filter(depth__gt=1)
        assert [a.pk for a in ancestors] == [a.pk for a in expected]


def test_a_live_page_under_a_draft_is_served_and_the_draft_is_not(client, tree):
    assert client.get("/a-propos/brouillon/fin/").status_code == 200
    assert client.get("/a-propos/brouillon/").status_code == 404
    assert client.get("/a-propos/inconnue/").status_code == 404


def test_event_sub_urls_still_reach_the_event_s_views(client, tree):
    assert client.get("/evenements/formation-rgpd/").status_code == 200
    # GET on the registration URL: the view answers « method not allowed ».
    assert client.get("/evenements/formation-rgpd/inscription/").status_code == 405
    response = client.get("/evenements/formation-rgpd/evenement.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert client.get("/evenements/formation-rgpd/nimporte/").status_code == 404


def test_restricted_pages_keep_their_teaser_and_password_form(client, tree):
    assert client.get("/reserve/").status_code == 403
    assert client.get("/reserve/dedans/").status_code == 403
    response = client.get("/secret/")
    assert response.status_code == 200
    assert b'name="password"' in response.content
    assert "no-cache" in response["Cache-Control"]
    member = UserFactory()
    member.groups.add(Group.objects.get(name="Membres"))
    client.force_login(member)
    assert client.get("/reserve/dedans/").status_code == 200


def test_a_path_without_its_slash_is_redirected_and_redirects_still_apply(client, tree):
    response = client.get("/a-propos")
    assert response.status_code == 301
    assert response["Location"] == "/a-propos/"
    Redirect.objects.create(old_path="/ancienne-page", redirect_link="/a-propos/")
    response = client.get("/ancienne-page/")
    assert response.status_code == 301
    assert response["Location"] == "/a-propos/"


def test_an_event_page_is_routed_in_a_constant_handful_of_queries(rf, tree):
    path = "/evenements/formation-rgpd/"
    with CaptureQueriesContext(connection) as ours:
        serving.route(rf.get(path), path)
    with CaptureQueriesContext(connection) as theirs:
        Page.route_for_request(rf.get(path), path)
    # The site, the pages of the path, the event's own row.
    assert len(ours) == 3
    assert len(theirs) > len(ours)
