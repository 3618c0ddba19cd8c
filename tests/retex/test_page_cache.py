"""Anonymous visitors get whole pages from the cache; nobody else ever does, and
a change shows at once (retex/page_cache/)."""

import datetime
import re
import time
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from wagtail.models import PageViewRestriction

from events.registration import registration_create
from retex import page_cache
from retex.models import SiteSettings
from retex.visibility import MEMBERS_GROUP
from tests.factories import (
    ArticlePageFactory,
    CollectivityPageFactory,
    EventPageFactory,
    InterviewPageFactory,
    PracticePageFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LOCAL_PAGES_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "tests-pages",
}


@pytest.fixture(autouse=True)
def page_cache_on(settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 300
    settings.CACHES = {**settings.CACHES, "pages": LOCAL_PAGES_CACHE}
    monkeypatch.setattr(page_cache.storage, "_state", page_cache.ProcessState())
    caches["pages"].clear()


def x_cache(response):
    return response.headers.get("X-Cache")


def fetch_twice(client, url):
    return client.get(url), client.get(url)


def member():
    user = UserFactory()
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    user.groups.add(Group.objects.get(name=MEMBERS_GROUP))
    return user


# --- Served from the cache ---------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/", "/ressources/", "/membres/", "/evenements/", "/evenements/agenda.ics"]
)
def test_the_second_anonymous_visit_gets_the_same_bytes_without_database(
    client, url, django_assert_num_queries
):
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)

    assert (x_cache(first), x_cache(second)) == ("MISS", "HIT")
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_content_pages_are_cached_too(client, section):
    article = ArticlePageFactory(parent=section("ressources"), title="Un article")
    event = EventPageFactory(parent=section("evenements"), title="Une formation")

    for page in (article, event):
        first, second = fetch_twice(client, page.url)
        assert (x_cache(first), x_cache(second)) == ("MISS", "HIT")
        assert page.title in second.content.decode()


@pytest.mark.parametrize("url", ["/", "/ressources/", "/evenements/"])
def test_pages_from_the_cache_keep_every_security_header(client, url):
    _first, hit = fetch_twice(client, url)

    assert x_cache(hit) == "HIT"
    policy = hit["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "'nonce-" not in policy
    assert hit["X-Frame-Options"] == "DENY"
    assert "camera=()" in hit["Permissions-Policy"]
    assert hit["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert hit["X-Content-Type-Options"] == "nosniff"


def test_head_requests_are_answered_from_the_cache(client):
    client.get("/")

    response = client.head("/")

    assert x_cache(response) == "HIT"
    assert response.status_code == 200


def test_each_query_string_is_kept_apart_whatever_the_order(client, section):
    knowledge = section("ressources")
    ArticlePageFactory(parent=knowledge, title="Un article sur les données")
    InterviewPageFactory(parent=knowledge, title="Un entretien avec une maire")

    articles = client.get("/ressources/?kind=article&page=1")
    interviews = client.get("/ressources/?kind=entretien&page=1")
    reordered = client.get("/ressources/?page=1&kind=article")

    assert (x_cache(articles), x_cache(interviews)) == ("MISS", "MISS")
    assert "Un article sur les données" in articles.content.decode()
    assert "Un entretien avec une maire" not in articles.content.decode()
    assert "Un entretien avec une maire" in interviews.content.decode()
    assert x_cache(reordered) == "HIT"
    assert reordered.content == articles.content


def test_pages_expire_after_page_cache_seconds(client, monkeypatch, settings):
    settings.PAGE_CACHE_SECONDS = 120
    client.get("/")
    assert x_cache(client.get("/")) == "HIT"

    later = time.time() + 121
    monkeypatch.setattr(time, "time", lambda: later)

    assert x_cache(client.get("/")) == "MISS"


def test_the_cache_can_be_turned_off(client, settings):
    settings.PAGE_CACHE_SECONDS = 0

    first, second = fetch_twice(client, "/")

    assert x_cache(first) is None
    assert x_cache(second) is None


# --- Changes show at once ----------------------------------------------------------


def test_a_published_page_shows_at_once_on_listings(client, section, committed):
    fetch_twice(client, "/ressources/")
    fetch_twice(client, "/")
    article = ArticlePageFactory.build(title="Le guichet numérique de Lannion")

    def publish():
        section("ressources").add_child(instance=article)
        article.save_revision().publish()

    committed(publish)

    for url in ("/ressources/", "/"):
        response = client.get(url)
        assert x_cache(response) == "MISS"
        assert "Le guichet numérique de Lannion" in response.content.decode()


def test_an_unpublished_page_disappears_at_once(client, section, committed):
    article = ArticlePageFactory(
        parent=section("ressources"), title="Une page bientôt retirée"
    )
    fetch_twice(client, article.url)
    fetch_twice(client, "/ressources/")

    committed(article.unpublish)

    assert client.get(article.url).status_code == 404
    assert "Une page bientôt retirée" not in client.get("/ressources/").content.decode()


def test_a_draft_leaves_the_published_page_in_the_cache(client, section, committed):
    article = ArticlePageFactory(parent=section("ressources"), title="Titre publié")
    client.get(article.url)
    article.title = "Titre du brouillon"

    committed(article.save_revision)

    response = client.get(article.url)
    assert x_cache(response) == "HIT"
    assert "Titre publié" in response.content.decode()


def test_renaming_a_theme_shows_at_once(client, section, committed):
    theme = ThemeFactory(name="Territoires connectés")
    article = ArticlePageFactory(parent=section("ressources"))
    article.themes = [theme]
    committed(lambda: article.save_revision().publish())
    assert "Territoires connectés" in client.get("/ressources/").content.decode()
    theme.name = "Territoires intelligents"

    committed(theme.save)

    html = client.get("/ressources/").content.decode()
    assert "Territoires intelligents" in html
    assert "Territoires connectés" not in html


def test_site_settings_show_at_once_in_every_footer(client, committed):
    fetch_twice(client, "/membres/")
    site_settings = SiteSettings.load()
    site_settings.association_name = "Réseau des territoires numériques"

    committed(site_settings.save)

    assert (
        "Réseau des territoires numériques" in client.get("/membres/").content.decode()
    )


def test_a_registration_updates_the_seats_left_at_once(client, section, committed):
    event = EventPageFactory(parent=section("evenements"), capacity=10)
    assert "10 places restantes" in fetch_twice(client, event.url)[1].content.decode()
    assert (
        "10 places restantes" in fetch_twice(client, "/evenements/")[1].content.decode()
    )

    committed(registration_create, event_id=event.pk, user=member())

    assert "9 places restantes" in client.get(event.url).content.decode()
    assert "9 places restantes" in client.get("/evenements/").content.decode()


def test_a_new_event_reaches_the_public_calendar_feed_at_once(
    client, section, committed
):
    fetch_twice(client, "/evenements/agenda.ics")

    committed(
        EventPageFactory, parent=section("evenements"), title="Webinaire open data"
    )

    response = client.get("/evenements/agenda.ics")
    assert x_cache(response) == "MISS"
    assert "Webinaire open data" in response.content.decode()


def test_a_change_made_by_another_process_shows_within_a_second(
    client, section, committed, monkeypatch
):
    """The worker or another web process publishes: this process, which keeps its
    own copies for `LOCAL_SECONDS`, asks the shared cache again after that."""
    fetch_twice(client, "/ressources/")
    this_process = page_cache.storage._state
    monkeypatch.setattr(page_cache.storage, "_state", page_cache.ProcessState())
    committed(
        ArticlePageFactory, parent=section("ressources"), title="Publié par le worker"
    )
    monkeypatch.setattr(page_cache.storage, "_state", this_process)
    now = time.monotonic()
    monkeypatch.setattr(time, "monotonic", lambda: now + page_cache.LOCAL_SECONDS)

    response = client.get("/ressources/")

    assert x_cache(response) == "MISS"
    assert "Publié par le worker" in response.content.decode()


def test_restricting_a_cached_page_hides_it_at_once(client, section, committed):
    article = ArticlePageFactory(
        parent=section("ressources"), title="Bientôt réservé", lead="Texte intégral."
    )
    fetch_twice(client, article.url)

    def restrict():
        restriction = PageViewRestriction.objects.create(
            page=article, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.set([Group.objects.get(name=MEMBERS_GROUP)])

    committed(restrict)

    response = client.get(article.url)
    assert response.status_code == 403
    assert x_cache(response) == "MISS"


# --- Never anybody else's page -----------------------------------------------------


def test_logged_in_people_never_get_the_anonymous_copy(client):
    anonymous = fetch_twice(client, "/")[1]
    assert x_cache(anonymous) == "HIT"
    assert "Connexion" in anonymous.content.decode()

    client.force_login(member())
    response = client.get("/")

    assert x_cache(response) == "MISS"
    assert "Mon espace" in response.content.decode()


def test_pages_seen_by_logged_in_people_are_never_served_to_visitors(client):
    client.force_login(member())
    client.get("/")
    client.get("/")
    client.logout()

    response = client.get("/")

    assert x_cache(response) == "MISS"
    assert "Mon espace" not in response.content.decode()


# --- Signed-in people: shared by those who may see the same -------------------------


def test_members_share_the_pages_of_members(section):
    ArticlePageFactory(parent=section("ressources"), title="Le guichet numérique")
    first, second = Client(), Client()
    first.force_login(member())
    second.force_login(member())

    stored = first.get("/ressources/")
    served = second.get("/ressources/")

    assert (x_cache(stored), x_cache(served)) == ("MISS", "HIT")
    assert served.content == stored.content
    assert "Mon espace" in served.content.decode()
    assert "Le guichet numérique" in served.content.decode()


def test_a_page_listing_members_only_content_is_never_served_to_a_non_member(
    section,
):
    article = ArticlePageFactory(
        parent=section("ressources"), title="Compte rendu du bureau"
    )
    restricted_to_members(article)
    a_member, not_a_member = Client(), Client()
    a_member.force_login(member())
    not_a_member.force_login(UserFactory())  # Signed in, not (yet) a member.

    for_members = fetch_twice(a_member, "/ressources/")
    for_others = fetch_twice(not_a_member, "/ressources/")

    assert [x_cache(r) for r in for_members] == ["MISS", "HIT"]
    assert "Compte rendu du bureau" in for_members[1].content.decode()
    assert [x_cache(r) for r in for_others] == ["MISS", "HIT"]
    assert "Compte rendu du bureau" not in for_others[1].content.decode()


def test_an_event_page_shows_each_person_their_own_registration(section):
    event = EventPageFactory(
        parent=section("evenements"),
        online=True,
        online_link="https://visio.example.org/salle-secrete",
    )
    registered, other = member(), member()
    registration_create(event_id=event.pk, user=registered)
    first, second = Client(), Client()
    first.force_login(registered)
    second.force_login(other)

    own = first.get(event.url)
    pages = fetch_twice(second, event.url)

    # The page around the registration panel is shared; the panel is not.
    assert [x_cache(r) for r in (own, *pages)] == ["MISS", "HIT", "HIT"]
    assert "Vous êtes inscrit·e." in own.content.decode()
    assert "salle-secrete" in own.content.decode()
    for page in pages:
        html = page.content.decode()
        assert "Vous êtes inscrit·e." not in html
        assert "salle-secrete" not in html
        assert "M'inscrire" in html  # Their own button, not the registered one's.
        assert event.title in html


def _without_tokens(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", html)


def store_shell(event):
    """A member visits `event`: the shell the signed-in share is stored."""
    visitor = Client()
    visitor.force_login(member())
    visitor.get(event.url)


@pytest.mark.parametrize("registered", [True, False])
def test_an_event_page_from_the_shared_shell_is_the_page_rendered_whole(
    section, settings, registered
):
    event = EventPageFactory(
        parent=section("evenements"),
        online=True,
        online_link="https://visio.example.org/x",
    )
    person = member()
    if registered:
        registration_create(event_id=event.pk, user=person)
    client = Client()
    client.force_login(person)
    store_shell(event)

    served = client.get(event.url)
    settings.PAGE_CACHE_SECONDS = 0
    whole = client.get(event.url)

    assert (x_cache(served), x_cache(whole)) == ("HIT", None)
    assert _without_tokens(served.content.decode()) == _without_tokens(
        whole.content.decode()
    )


def test_a_person_served_from_the_shared_shell_can_register_with_its_form(section):
    event = EventPageFactory(parent=section("evenements"))
    store_shell(event)
    person = member()
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)

    page = client.get(event.url)
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()
    ).group(1)
    answer = client.post(event.url + "inscription/", {"csrfmiddlewaretoken": token})

    assert x_cache(page) == "HIT"
    assert answer.status_code == 302
    assert event.registrations.filter(user=person).exists()


def test_a_stored_shell_is_filled_without_walking_the_page_tree(section):
    event = EventPageFactory(parent=section("evenements"))
    store_shell(event)
    client = Client()
    client.force_login(member())

    with CaptureQueriesContext(connection) as queries:
        page = client.get(event.url)

    assert x_cache(page) == "HIT"
    # The event itself, read once for its registration panel: no routing
    # through its ancestors, no restriction check (the shell was stored while
    # it was public; any change since would have started a new generation).
    page_reads = [
        q for q in queries if q["sql"].startswith('SELECT "wagtailcore_page"."id"')
    ]
    assert len(page_reads) == 1


def test_the_shell_of_an_unpublished_event_is_never_filled(section, committed):
    event = EventPageFactory(parent=section("evenements"))
    client = Client()
    client.force_login(member())
    client.get(event.url)  # Stores the shell.

    committed(event.unpublish)

    assert client.get(event.url).status_code == 404


def test_the_shared_shell_of_an_event_page_holds_nothing_personal(section):
    event = EventPageFactory(
        parent=section("evenements"),
        online=True,
        online_link="https://visio.example.org/y",
    )
    person = member()
    registration_create(event_id=event.pk, user=person)
    client = Client()
    client.force_login(person)

    page = client.get(event.url)
    shells = [
        entry[3].decode()
        for key, entry in caches["pages"]._cache.items()
        if page_cache.SHELL_PREFIX in key
        for entry in [caches["pages"].get(key.split(":", 2)[-1])]
        if entry
    ]

    assert x_cache(page) == "MISS"
    assert len(shells) == 1
    assert event.title in shells[0]
    for personal in (
        "Vous êtes inscrit·e.",
        "visio.example.org",
        "csrfmiddlewaretoken",
    ):
        assert personal not in shells[0]


def test_people_with_a_message_pending_are_not_served_from_cache(client):
    client.force_login(member())
    fetch_twice(client, "/")
    client.cookies[CookieStorage.cookie_name] = "pending"

    assert x_cache(client.get("/")) is None


@pytest.mark.parametrize("through", ["own permission", "group", "superuser"])
def test_editors_get_their_user_bar_never_a_stored_page(client, through):
    editor = member()
    access_admin = Permission.objects.get(
        codename="access_admin", content_type__app_label="wagtailadmin"
    )
    if through == "own permission":
        editor.user_permissions.add(access_admin)
    elif through == "group":
        editors = Group.objects.create(name="Rédaction locale")
        editors.permissions.add(access_admin)
        editor.groups.add(editors)
    else:
        editor.is_superuser = True
        editor.save()
    client.force_login(editor)

    pages = fetch_twice(client, "/")

    assert [x_cache(r) for r in pages] == [None, None]


def test_a_published_page_reaches_members_listings_at_once(section, committed):
    reader = Client()
    reader.force_login(member())
    reader.get("/ressources/")

    committed(ArticlePageFactory, parent=section("ressources"), title="Nouveau retour")
    response = reader.get("/ressources/")

    assert x_cache(response) == "MISS"
    assert "Nouveau retour" in response.content.decode()


@pytest.mark.urls(__name__)
def test_a_csrf_token_is_never_stored_for_signed_in_people():
    first, second = Client(), Client()
    first.force_login(member())
    second.force_login(member())

    token_of_first = first.get("/essai/csrf/").content
    served = second.get("/essai/csrf/")

    assert x_cache(served) == "MISS"
    assert served.content != token_of_first


def test_members_only_pages_are_never_stored_nor_leaked(client, section):
    article = ArticlePageFactory(
        parent=section("ressources"),
        title="Réservé aux membres",
        credits="Photographies de l'atelier de Plérin",
    )
    restriction = PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=MEMBERS_GROUP)])
    client.force_login(member())
    assert "atelier de Plérin" in client.get(article.url).content.decode()
    client.logout()

    teasers = fetch_twice(client, article.url)

    for response in teasers:
        assert response.status_code == 403
        assert x_cache(response) == "MISS"
        assert "atelier de Plérin" not in response.content.decode()


def test_previews_show_the_draft_and_leave_the_cache_alone(client, section):
    article = ArticlePageFactory(parent=section("ressources"), title="Titre publié")
    fetch_twice(client, article.url)
    article.title = "Titre en relecture"
    article.save_revision()

    # No cookie at all: the preview request must still not get the live copy.
    preview = article.get_latest_revision_as_object().make_preview_request()

    assert "Titre en relecture" in preview.content.decode()
    assert x_cache(preview) is None
    live = client.get(article.url)
    assert x_cache(live) == "HIT"
    assert "Titre en relecture" not in live.content.decode()


@pytest.mark.parametrize(
    "cookie", ["sessionid", "messages"], ids=["session", "pending-message"]
)
def test_visitors_with_a_session_or_a_message_are_not_served_from_cache(client, cookie):
    fetch_twice(client, "/")
    client.cookies[cookie] = "x" * 32

    assert x_cache(client.get("/")) is None


def test_posts_are_never_answered_from_the_cache(client, section):
    event = EventPageFactory(parent=section("evenements"))
    fetch_twice(client, event.url)

    response = client.post(event.url)

    assert x_cache(response) is None


# --- Parts of personalised pages, shared by visibility ----------------------------


def restricted_to_members(page):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=MEMBERS_GROUP)])


@pytest.mark.parametrize("member_first", [True, False])
def test_listing_parts_are_shared_only_by_people_who_see_the_same_pages(
    client, section, member_first
):
    restricted_to_members(
        ArticlePageFactory(
            parent=section("ressources"), publication_date=datetime.date(2019, 5, 2)
        )
    )
    ArticlePageFactory(
        parent=section("ressources"), publication_date=datetime.date(2024, 3, 1)
    )
    year_2019 = '<option value="2019">'
    member_client = Client()
    member_client.force_login(member())

    def as_member():
        return member_client.get("/ressources/").content.decode()

    def as_visitor():
        return client.get("/ressources/").content.decode()

    if member_first:
        assert year_2019 in as_member()
        assert year_2019 not in as_visitor()
    else:
        assert year_2019 not in as_visitor()
        assert year_2019 in as_member()
    assert '<option value="2024">' in as_visitor()


def test_listing_parts_of_logged_in_people_follow_changes_at_once(
    client, section, committed
):
    client.force_login(member())
    assert '<option value="2018">' not in client.get("/ressources/").content.decode()

    committed(
        ArticlePageFactory,
        parent=section("ressources"),
        publication_date=datetime.date(2018, 9, 1),
    )

    assert '<option value="2018">' in client.get("/ressources/").content.decode()


# --- What a write makes out of date: what the pages show ----------------------------


def test_a_registration_leaves_knowledge_pages_and_other_events_in_the_cache(
    client, section, committed
):
    article = ArticlePageFactory(parent=section("ressources"))
    event = EventPageFactory(parent=section("evenements"), capacity=10)
    other_event = EventPageFactory(parent=section("evenements"), capacity=10)
    untouched = (article.url, "/ressources/", other_event.url)
    for url in (*untouched, event.url, "/evenements/"):
        fetch_twice(client, url)

    committed(registration_create, event_id=event.pk, user=member())

    assert [x_cache(client.get(url)) for url in untouched] == ["HIT"] * 3
    for url in (event.url, "/evenements/"):
        response = client.get(url)
        assert x_cache(response) == "MISS"
        assert "9 places restantes" in response.content.decode()


def test_a_registration_leaves_members_copies_of_knowledge_pages(section, committed):
    article = ArticlePageFactory(parent=section("ressources"))
    event = EventPageFactory(parent=section("evenements"), capacity=10)
    reader = Client()
    reader.force_login(member())
    fetch_twice(reader, article.url)
    fetch_twice(reader, event.url)
    assert x_cache(reader.get(event.url)) == "HIT"  # Filled from the shell.

    committed(registration_create, event_id=event.pk, user=member())

    assert x_cache(reader.get(article.url)) == "HIT"
    response = reader.get(event.url)
    assert x_cache(response) == "MISS"  # The shell is rendered again.
    assert "9 places restantes" in response.content.decode()


def test_publishing_an_article_leaves_event_pages_but_reaches_its_listings(
    client, section, committed
):
    event = EventPageFactory(parent=section("evenements"))
    for url in (event.url, "/evenements/", "/", "/ressources/"):
        fetch_twice(client, url)

    committed(
        ArticlePageFactory, parent=section("ressources"), title="Cantine et circuits"
    )

    assert x_cache(client.get(event.url)) == "HIT"
    assert x_cache(client.get("/evenements/")) == "HIT"
    for url in ("/", "/ressources/"):
        response = client.get(url)
        assert x_cache(response) == "MISS"
        assert "Cantine et circuits" in response.content.decode()


def test_republishing_an_article_shows_at_once_on_its_page(client, section, committed):
    article = ArticlePageFactory(parent=section("ressources"), title="Avant")
    fetch_twice(client, article.url)
    article.title = "Après"

    committed(lambda: article.save_revision().publish())

    response = client.get(article.url)
    assert x_cache(response) == "MISS"
    assert "Après" in response.content.decode()


def test_republishing_an_article_reaches_only_the_pages_that_show_it(
    client, section, committed
):
    theme = ThemeFactory(name="Eau potable")
    shown, showing = (
        ArticlePageFactory(parent=section("ressources"), title=title)
        for title in ("Régie de l'eau", "Compteurs connectés")
    )
    unrelated = ArticlePageFactory(parent=section("ressources"))
    for page in (shown, showing):
        page.themes = [theme]
        committed(lambda page=page: page.save_revision().publish())
    for url in (showing.url, unrelated.url, "/ressources/"):
        fetch_twice(client, url)
    assert "Régie de l&#x27;eau" in client.get(showing.url).content.decode()
    shown.title = "Régie publique de l'eau"

    committed(lambda: shown.save_revision().publish())

    assert x_cache(client.get(unrelated.url)) == "HIT"
    for url in (showing.url, "/ressources/"):
        response = client.get(url)
        assert x_cache(response) == "MISS"
        assert "Régie publique de l&#x27;eau" in response.content.decode()


def test_a_new_article_reaches_the_pages_that_may_choose_it_as_related(
    client, section, committed
):
    theme = ThemeFactory(name="Eau potable")
    showing = ArticlePageFactory(parent=section("ressources"))
    showing.themes = [theme]
    committed(lambda: showing.save_revision().publish())
    fetch_twice(client, showing.url)
    article = ArticlePageFactory.build(title="Télérelève des compteurs")
    article.themes = [theme]

    def publish():
        section("ressources").add_child(instance=article)
        article.save_revision().publish()

    committed(publish)

    response = client.get(showing.url)
    assert x_cache(response) == "MISS"
    assert "Télérelève des compteurs" in response.content.decode()


def test_a_registration_leaves_the_directory_and_profiles_in_the_cache(
    client, section, committed
):
    collectivity = CollectivityPageFactory(parent=section("membres"))
    event = EventPageFactory(parent=section("evenements"), capacity=10)
    for url in ("/membres/", collectivity.url):
        fetch_twice(client, url)

    committed(registration_create, event_id=event.pk, user=member())

    assert [x_cache(client.get(url)) for url in ("/membres/", collectivity.url)] == [
        "HIT",
        "HIT",
    ]


def test_a_published_practice_shows_at_once_on_its_collectivity(
    client, section, committed
):
    collectivity = CollectivityPageFactory(parent=section("membres"))
    fetch_twice(client, collectivity.url)

    committed(
        PracticePageFactory,
        parent=section("ressources"),
        collectivity=collectivity,
        title="Un fablab intercommunal",
    )

    response = client.get(collectivity.url)
    assert x_cache(response) == "MISS"
    assert "Un fablab intercommunal" in response.content.decode()


@pytest.mark.parametrize("change", ["theme", "footer"])
def test_a_change_nobody_declared_empties_every_page(
    client, section, committed, change
):
    article = ArticlePageFactory(parent=section("ressources"))
    event = EventPageFactory(parent=section("evenements"))
    signed_in = Client()
    signed_in.force_login(member())
    for browser in (client, signed_in):
        for url in (article.url, event.url, "/"):
            fetch_twice(browser, url)

    if change == "theme":
        committed(ThemeFactory, name="Mobilités")
    else:
        site_settings = SiteSettings.load()
        site_settings.association_name = "Réseau des territoires numériques"
        committed(site_settings.save)

    for browser in (client, signed_in):
        for url in (article.url, event.url, "/"):
            assert x_cache(browser.get(url)) == "MISS", (browser, url)


def test_a_page_rendered_while_a_change_was_recorded_is_not_stored(db):
    from retex.page_cache import storage

    ticket, entry = storage.lookup("page:v1:test")
    assert entry is None
    # A registration commits while the page is rendered from older rows.
    storage.bump({"seats:1"})
    storage.store("page:v1:test", ticket, page_cache.mark_cacheable(HttpResponse()))

    assert storage.lookup("page:v1:test")[1] is None


def test_a_tag_version_evicted_from_the_cache_is_a_miss(client, section):
    article = ArticlePageFactory(parent=section("ressources"))
    fetch_twice(client, article.url)
    caches["pages"].delete(f"page-tag:v1:page:{article.pk}")
    monkeypatch_state = page_cache.storage._state
    monkeypatch_state.tags.clear()  # Another process: nothing known locally.
    monkeypatch_state.entries.clear()

    assert x_cache(client.get(article.url)) == "MISS"
    assert x_cache(client.get(article.url)) == "HIT"


@pytest.mark.parametrize("declared", [True, False])
def test_listing_parts_follow_only_the_changes_they_depend_on(
    section, committed, declared
):
    from django.contrib.auth.models import AnonymousUser

    computed = []

    def remembered():
        return page_cache.remember_for_visibility(
            "test-part",
            user=AnonymousUser(),
            compute=lambda: computed.append(1) or len(computed),
            depends_on=["kind:knowledge.knowledgepage"] if declared else None,
        )

    event = EventPageFactory(parent=section("evenements"), capacity=10)
    assert remembered() == 1

    committed(registration_create, event_id=event.pk, user=member())
    assert remembered() == (1 if declared else 2)

    committed(ArticlePageFactory, parent=section("ressources"))
    assert remembered() == (2 if declared else 3)


# --- What may be stored: views of this module's URLs -------------------------------


@page_cache.cacheable
def view_with_csrf_token(request):
    return HttpResponse(
        f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">'
    )


@page_cache.cacheable
def view_setting_a_cookie(request):
    response = HttpResponse("Bienvenue")
    response.set_cookie("bandeau", "vu")
    return response


@page_cache.cacheable
def private_view(request):
    response = HttpResponse("Votre tableau de bord")
    response["Cache-Control"] = "private"
    return response


@page_cache.cacheable
def view_varying_on_user_agent(request):
    response = HttpResponse("Version mobile")
    response["Vary"] = "User-Agent"
    return response


@page_cache.cacheable
def view_with_a_nonce(request):
    return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')


@page_cache.cacheable
def missing_view(request):
    return HttpResponse("Introuvable", status=404)


def unmarked_view(request):
    return HttpResponse("Rien de spécial")


@page_cache.cacheable
def public_view(request):
    return HttpResponse(f"Identifiant {uuid.uuid4()}")


urlpatterns = [
    path("essai/csrf/", view_with_csrf_token),
    path("essai/cookie/", view_setting_a_cookie),
    path("essai/prive/", private_view),
    path("essai/vary/", view_varying_on_user_agent),
    path("essai/nonce/", view_with_a_nonce),
    path("essai/absent/", missing_view),
    path("essai/ordinaire/", unmarked_view),
    path("essai/public/", public_view),
    path("", include("project.urls")),
]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "url",
    [
        "/essai/csrf/",
        "/essai/cookie/",
        "/essai/prive/",
        "/essai/vary/",
        "/essai/nonce/",
        "/essai/absent/",
        "/essai/ordinaire/",
        "/page-qui-n-existe-pas/",
    ],
)
def test_responses_that_are_personal_or_not_marked_are_never_stored(client, url):
    _first, second = fetch_twice(client, url)

    assert x_cache(second) == "MISS"


@pytest.mark.urls(__name__)
def test_a_marked_public_response_is_stored(client):
    first, second = fetch_twice(client, "/essai/public/")

    assert x_cache(second) == "HIT"
    assert second.content == first.content


# --- When the cache fails ----------------------------------------------------------


@pytest.fixture
def unreachable_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Nothing listens on port 9: connections are refused at once.
            "LOCATION": "redis://127.0.0.1:9/0",
        },
    }


def test_pages_are_served_uncached_when_the_cache_is_down(
    client, section, committed, unreachable_cache, caplog
):
    first, second = fetch_twice(client, "/")
    committed(ArticlePageFactory, parent=section("ressources"))

    assert (first.status_code, second.status_code) == (200, 200)
    assert x_cache(second) != "HIT"
    assert "Page cache unavailable" in caplog.text


def test_a_change_missed_during_an_outage_is_not_hidden_afterwards(
    client, section, committed, settings, monkeypatch
):
    fetch_twice(client, "/ressources/")
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        },
    }
    committed(
        ArticlePageFactory,
        parent=section("ressources"),
        title="Publié pendant la panne",
    )
    settings.CACHES = {**settings.CACHES, "pages": LOCAL_PAGES_CACHE}
    monkeypatch.setattr(page_cache.storage, "RETRY_AFTER", 0)

    response = client.get("/ressources/")

    assert "Publié pendant la panne" in response.content.decode()


@pytest.fixture
def redis_pages_cache(settings):
    import redis

    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"retex-tests-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        },
    }
    yield
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def test_the_shared_redis_cache_serves_and_forgets_pages(
    client, section, committed, redis_pages_cache
):
    first, second = fetch_twice(client, "/evenements/")
    assert (x_cache(first), x_cache(second)) == ("MISS", "HIT")
    assert second.content == first.content

    committed(EventPageFactory, parent=section("evenements"), title="Congrès 2027")

    response = client.get("/evenements/")
    assert x_cache(response) == "MISS"
    assert "Congrès 2027" in response.content.decode()


def test_restricting_a_page_hides_it_at_once_from_signed_in_non_members(
    section, committed
):
    article = ArticlePageFactory(parent=section("ressources"), title="Budget voté")
    reader = Client()
    reader.force_login(UserFactory())  # Signed in, not a member.
    assert "Budget voté" in fetch_twice(reader, "/ressources/")[1].content.decode()

    committed(restricted_to_members, article)
    response = reader.get("/ressources/")

    assert x_cache(response) == "MISS"
    assert "Budget voté" not in response.content.decode()
