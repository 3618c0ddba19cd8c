"""What each kind of write makes out of date in the page cache, and nothing
more (issue #19): the writes of the benchmark's mixed run (registrations,
cancellations, an editor's publications, the emails the worker sends after
them) and the writes visitors and members make all day (joining a
collectivity, subscribing to the letter) must leave the knowledge pages, the
directory and the public calendar feed in the cache
(`retex.page_cache.invalidation`, the apps' declarations)."""

import uuid

import pytest
from django.apps import apps
from django.core import mail
from django.core.cache import caches
from wagtail.models import Page

from aid.questions import question_create
from events.registration import registration_cancel, registration_create
from knowledge.models import ArticlePage
from letter.subscriptions import subscribe
from members.affiliation import affiliation_request
from members.models import CollectivityPage
from retex import page_cache
from retex.page_cache import recording_bumps
from retex.page_cache.invalidation import _declaration
from retex.tasks import running_task, send_email
from retex.worker.models import SentEmail
from retex.worker.worker import Heartbeat
from tests.factories import (
    ArticlePageFactory,
    CollectivityPageFactory,
    EventPageFactory,
    PracticePageFactory,
    ThemeFactory,
    verified_person,
)
from tests.html import visible_text

pytestmark = pytest.mark.django_db

ICS = "/evenements/agenda.ics"


@pytest.fixture(autouse=True)
def page_cache_on(settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 300
    monkeypatch.setattr(page_cache.storage, "_state", page_cache.ProcessState())
    caches["pages"].clear()


def x_cache(client, url):
    return client.get(url).headers.get("X-Cache")


def warm(client, *urls):
    for url in urls:
        client.get(url)
        assert x_cache(client, url) == "HIT", url


@pytest.fixture
def site(section):
    """An article, the directory, a profile, an event with seats and the
    agenda, each once in the cache."""
    collectivity = CollectivityPageFactory(parent=section("membres"))
    article = ArticlePageFactory(parent=section("ressources"))
    event = EventPageFactory(parent=section("evenements"), capacity=10)
    return {
        "article": article,
        "collectivity": collectivity,
        "event": event,
        "untouched": (article.url, "/membres/", collectivity.url, ICS),
    }


# --- The writes of the mixed run -----------------------------------------------------


def test_a_registration_bumps_the_seats_of_its_event_only(site, committed):
    event = site["event"]

    with recording_bumps() as bumped:
        committed(registration_create, event_id=event.pk, user=verified_person())

    assert bumped == [("events.registration", {f"seats:{event.pk}", "seats"})]


def test_a_cancellation_bumps_the_seats_of_its_event_only(site, committed):
    event = site["event"]
    person = verified_person()
    registration, _created = registration_create(event_id=event.pk, user=person)

    with recording_bumps() as bumped:
        committed(registration_cancel, registration_id=registration.pk, by=person)

    assert bumped == [("events.registration", {f"seats:{event.pk}", "seats"})]


def test_a_registration_reaches_its_event_and_the_agenda_not_the_rest(
    client, site, committed
):
    event = site["event"]
    warm(client, *site["untouched"], event.url, "/evenements/")

    committed(registration_create, event_id=event.pk, user=verified_person())

    assert [x_cache(client, url) for url in site["untouched"]] == ["HIT"] * 4
    for url in (event.url, "/evenements/"):
        response = client.get(url)
        assert response.headers["X-Cache"] == "MISS", url
        assert "9 places restantes" in response.content.decode()


def test_a_registration_leaves_the_agenda_pages_that_do_not_show_its_event(
    client, site, section, committed
):
    webinar = EventPageFactory(
        parent=section("evenements"), kind="webinaire", title="Webinaire RGPD"
    )
    webinars = "/evenements/?kind=webinaire"
    warm(client, webinars, "/evenements/")
    assert "Webinaire RGPD" in client.get(webinars).content.decode()

    committed(registration_create, event_id=site["event"].pk, user=verified_person())

    # The training is not on the webinars' page; it is on the whole agenda.
    assert x_cache(client, webinars) == "HIT"
    assert x_cache(client, "/evenements/") == "MISS"
    committed(registration_create, event_id=webinar.pk, user=verified_person())
    assert x_cache(client, webinars) == "MISS"


def test_republishing_an_article_starts_no_generation(site, committed):
    article = site["article"]
    article.title = "Une régie publique de l'eau"

    with recording_bumps() as bumped:
        committed(lambda: article.save_revision().publish())

    assert bumped, "a publication makes something out of date"
    assert all(tags is not None for _origin, tags in bumped), bumped
    tags = set().union(*(tags for _origin, tags in bumped))
    assert f"page:{article.pk}" in tags
    # Nothing about events, seats, collectivities or the calendar feed.
    assert not {
        tag for tag in tags if tag.startswith(("seats", "kind:events", "kind:members"))
    }


def test_republishing_an_article_leaves_events_the_directory_and_the_feed(
    client, site, committed
):
    article, event = site["article"], site["event"]
    kept = ("/membres/", ICS, event.url, "/evenements/")
    warm(client, *kept)
    article.title = "Une régie publique de l'eau"

    committed(lambda: article.save_revision().publish())

    assert [x_cache(client, url) for url in kept] == ["HIT"] * 4
    assert "régie publique" in client.get(article.url).content.decode()


def test_the_emails_the_worker_sends_after_a_registration_leave_the_cache(
    client, site, committed, settings
):
    """The worker records each email it sends (`SentEmail`, so a task run
    again never sends it twice) and beats its heart every few seconds: rows
    no page shows, which used to start a new generation each time."""
    warm(client, *site["untouched"])

    def work():
        with running_task("4b1d5e5a-task-result"):
            send_email.call(subject="Inscription confirmée", body="…", to=["a@b.fr"])
        Heartbeat("worker-1", interval=10).beat()

    with recording_bumps() as bumped:
        committed(work)

    assert len(mail.outbox) == 1
    assert SentEmail.objects.count() == 1
    assert bumped == []
    assert [x_cache(client, url) for url in site["untouched"]] == ["HIT"] * 4


# --- Writes made all day by visitors and members -------------------------------------


def test_asking_to_join_a_collectivity_leaves_every_page_in_the_cache(
    client, site, committed
):
    warm(client, *site["untouched"], "/")

    with recording_bumps() as bumped:
        committed(
            affiliation_request,
            user=verified_person(),
            collectivity=site["collectivity"],
            message="Je suis agente à la mairie.",
        )

    assert bumped == []
    assert [x_cache(client, url) for url in (*site["untouched"], "/")] == ["HIT"] * 5


def test_subscribing_to_the_letter_leaves_every_page_in_the_cache(
    client, site, committed
):
    warm(client, *site["untouched"], "/")

    with recording_bumps() as bumped:
        committed(subscribe, "lectrice@exemple.fr")

    assert bumped == []
    assert [x_cache(client, url) for url in (*site["untouched"], "/")] == ["HIT"] * 5


# --- The calendar feed ----------------------------------------------------------------


def test_the_calendar_feed_follows_its_events_at_once(client, section, committed):
    warm(client, ICS)
    event = EventPageFactory.build(title="Atelier données ouvertes")

    def publish():
        section("evenements").add_child(instance=event)
        event.save_revision().publish()

    committed(publish)

    response = client.get(ICS)
    assert response.headers["X-Cache"] == "MISS"
    assert "Atelier données ouvertes" in response.content.decode()


# --- The safety net ---------------------------------------------------------------------


def test_the_recorder_names_what_started_a_new_generation(committed):
    with recording_bumps() as bumped:
        committed(ThemeFactory, name="Mobilités")

    assert ("retex.theme", None) in bumped


# Models whose every write still starts a new generation (everything out of
# date): shown on every page (themes, site settings, images, documents,
# territories' names), deciding who sees what (view restrictions, groups,
# permissions) or changing URLs (sites, redirects, locales), all written by
# editors and operators only, seldom. A new model writes there too until its app
# declares it (`declare`, `declare_invisible` in its AppConfig): add it here only
# if every page may show it.
NEW_GENERATION = {
    "auth.group",
    "auth.group_permissions",
    "auth.permission",
    "retex.sitesettings",
    "retex.theme",
    "taggit.tag",
    "taggit.taggeditem",
    "territories.commune",
    "territories.department",
    "territories.epci",
    "territories.region",
    "wagtailcore.apitoken",
    "wagtailcore.collection",
    "wagtailcore.collectionviewrestriction",
    "wagtailcore.collectionviewrestriction_groups",
    "wagtailcore.groupapprovaltask",
    "wagtailcore.groupapprovaltask_groups",
    "wagtailcore.groupcollectionpermission",
    "wagtailcore.grouppagepermission",
    "wagtailcore.groupsitepermission",
    "wagtailcore.locale",
    "wagtailcore.pageviewrestriction",
    "wagtailcore.pageviewrestriction_groups",
    "wagtailcore.site",
    "wagtailcore.task",
    "wagtailcore.workflow",
    "wagtailcore.workflowcontenttype",
    "wagtailcore.workflowpage",
    "wagtailcore.workflowtask",
    "wagtaildocs.document",
    "wagtailimages.image",
    "wagtailredirects.redirect",
}


def test_only_what_every_page_may_show_starts_a_new_generation():
    undeclared = {
        model._meta.label_lower
        for model in apps.get_models(include_auto_created=True)
        if not issubclass(model, Page) and _declaration(model) is None
    }

    assert undeclared == NEW_GENERATION


# --- Collectivity profiles and the knowledge pages naming them ---------------------


def publish(page):
    page.save_revision().publish()


def test_publishing_an_article_not_citing_a_collectivity_leaves_its_profile(
    client, site, section, committed
):
    collectivity = site["collectivity"]
    warm(client, collectivity.url)
    article = site["article"]
    article.title = "Une régie publique de l'eau"
    new = ArticlePageFactory.build(title="Un article sans collectivité")

    def write():
        publish(article)
        section("ressources").add_child(instance=new)
        publish(new)

    with recording_bumps() as bumped:
        committed(write)

    assert not {tag for _o, tags in bumped for tag in tags if tag.startswith("cites:")}
    assert x_cache(client, collectivity.url) == "HIT"


def test_an_article_citing_a_collectivity_or_ceasing_to_reaches_its_profile_only(
    client, site, section, committed
):
    collectivity = site["collectivity"]
    other = CollectivityPageFactory(parent=section("membres"), title="Ville témoin")
    article = site["article"]
    article.title = "La fibre à Ville exemple"
    article.related_collectivities = [collectivity]
    warm(client, collectivity.url, other.url)

    committed(publish, article)

    assert x_cache(client, other.url) == "HIT"
    response = client.get(collectivity.url)
    assert response.headers["X-Cache"] == "MISS"
    assert "La fibre à Ville exemple" in visible_text(response.content.decode())

    warm(client, collectivity.url)
    article = ArticlePage.objects.get(pk=article.pk)
    article.related_collectivities = []
    committed(publish, article)

    response = client.get(collectivity.url)
    assert response.headers["X-Cache"] == "MISS"
    assert "La fibre à Ville exemple" not in visible_text(response.content.decode())
    assert x_cache(client, other.url) == "HIT"


def test_unpublishing_or_deleting_a_page_naming_a_collectivity_reaches_its_profile(
    client, site, section, committed
):
    collectivity = site["collectivity"]
    practice = PracticePageFactory(
        parent=section("ressources"),
        title="Un guichet numérique unique",
        collectivity=collectivity,
    )
    article = site["article"]
    article.title = "Un article qui la cite"
    article.related_collectivities = [collectivity]
    committed(publish, article)
    warm(client, collectivity.url)
    assert (
        "Un guichet numérique unique" in client.get(collectivity.url).content.decode()
    )

    committed(lambda: practice.get_latest_revision_as_object().unpublish())

    response = client.get(collectivity.url)
    assert response.headers["X-Cache"] == "MISS"
    assert "Un guichet numérique unique" not in response.content.decode()

    warm(client, collectivity.url)
    committed(lambda: Page.objects.get(pk=article.pk).delete())

    response = client.get(collectivity.url)
    assert response.headers["X-Cache"] == "MISS"
    assert "Un article qui la cite" not in response.content.decode()


# --- The home page ------------------------------------------------------------------


def test_a_registration_leaves_the_home_page_in_the_cache(client, site, committed):
    warm(client, "/")

    committed(registration_create, event_id=site["event"].pk, user=verified_person())

    assert x_cache(client, "/") == "HIT"


def test_a_new_question_reaches_the_home_page(client, site, committed):
    collectivity = site["collectivity"]
    CollectivityPage.objects.filter(pk=collectivity.pk).update(
        email_domains="ville-exemple.fr"
    )
    collectivity.refresh_from_db()
    person = verified_person("agente@ville-exemple.fr")
    affiliation_request(user=person, collectivity=collectivity)
    warm(client, "/", collectivity.url)

    committed(
        question_create,
        author=person,
        title="Quel outil pour les astreintes ?",
        details="Des précisions.",
        token=uuid.uuid4(),
        consent=False,
    )

    assert x_cache(client, "/") == "MISS"


def test_a_theme_change_still_reaches_the_home_page_and_the_profiles(
    client, site, committed
):
    warm(client, "/", site["collectivity"].url)

    committed(ThemeFactory, name="Mobilités")

    assert [x_cache(client, url) for url in ("/", site["collectivity"].url)] == [
        "MISS",
        "MISS",
    ]


def test_the_home_page_depends_on_every_write_if_a_section_declares_nothing(
    home_page, monkeypatch
):
    import retex.declarations

    assert home_page.cache_dependencies() is not None
    real = retex.declarations.declared

    def declared(attribute):
        found = dict(real(attribute))
        if attribute == "home_sections":
            found["undeclared"] = lambda *, user: None
        return found

    monkeypatch.setattr(retex.declarations, "declared", declared)

    assert home_page.cache_dependencies() is None


def test_a_practice_reaches_the_profiles_showing_its_collectivity_as_comparable(
    client, site, section, committed
):
    collectivity = site["collectivity"]
    other = CollectivityPageFactory(parent=section("membres"), title="Ville témoin")
    warm(client, collectivity.url)
    practice = PracticePageFactory.build(
        title="Un guichet numérique unique", collectivity=other
    )

    def write():
        section("ressources").add_child(instance=practice)
        publish(practice)

    committed(write)

    response = client.get(collectivity.url)
    assert response.headers["X-Cache"] == "MISS"
    assert "Un guichet numérique unique" in response.content.decode()
