"""Every absolute link the site writes is on BASE_URL, never on Wagtail's Site
record nor on the request's host.

BASE_URL is the public address; the Site record is left at Wagtail's default
(`localhost:80`) and requests come to `testserver`, so a link built from either
of them shows here.
"""

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from wagtail.models import Site

from events.feeds import reset_calendar_token
from events.registration import registration_create
from members.models import CollectivityKind
from retex.links import absolute_url, sync_default_site
from tests.factories import (
    ArticlePageFactory,
    CollectivityPageFactory,
    EventPageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BASE = "https://retex.example.org"
URL = re.compile(r"https?://[^\s\"'<>\\]+")
# XML namespace names are identifiers, not links.
XMLNS = re.compile(r"""xmlns(?::\w+)?=["'][^"']*["']""")


def absolute_urls(text: str) -> list[str]:
    return URL.findall(XMLNS.sub("", text))


def assert_on_base(text: str, *, at_least: int = 1) -> list[str]:
    urls = absolute_urls(text)
    assert len(urls) >= at_least, text
    wrong = [url for url in urls if not url.startswith(BASE + "/")]
    assert wrong == [], wrong
    return urls


def unfolded(ics: bytes) -> str:
    return ics.decode().replace("\r\n ", "").replace("\r\n\t", "")


class MetaLinks(HTMLParser):
    """canonical and og:url of a page."""

    def __init__(self):
        super().__init__()
        self.found = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "canonical":
            self.found["canonical"] = attrs["href"]
        if tag == "meta" and attrs.get("property") == "og:url":
            self.found["og:url"] = attrs["content"]


@pytest.fixture(autouse=True)
def public_address(settings, db):
    settings.BASE_URL = BASE
    settings.WAGTAILADMIN_BASE_URL = BASE
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
    Site.clear_site_root_paths_cache()


@pytest.fixture
def content(section):
    article = ArticlePageFactory(parent=section("ressources"), title="Tiers-lieu")
    event = EventPageFactory(parent=section("evenements"), title="Atelier données")
    town = CollectivityPageFactory(
        parent=section("membres"),
        title="Ville de Lannion",
        kind=CollectivityKind.COMMUNE,
    )
    town.save_revision().publish()
    return {"article": article, "event": event, "town": town}


def person(email="agent@ville-exemple.fr"):
    user = UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def test_the_site_record_is_left_where_wagtail_puts_it():
    """The premise of every test here."""
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("localhost", 80)


def test_sitemap_and_robots(client, content):
    sitemap = client.get("/sitemap.xml").content.decode()
    urls = assert_on_base(sitemap, at_least=4)
    assert BASE + content["article"].url in urls
    assert_on_base(client.get("/robots.txt").content.decode())


def test_rss_and_atom_feeds(client, content):
    for path in ("/ressources/flux.xml", "/ressources/atom.xml"):
        body = client.get(path).content.decode()
        urls = assert_on_base(body, at_least=2)
        assert BASE + content["article"].url in urls
        assert BASE + path in urls  # The feed's own address.


def test_calendar_feeds_and_downloads(client, content):
    event = content["event"]
    expected = BASE + event.url
    for path in ("/evenements/agenda.ics", event.url + "evenement.ics"):
        text = unfolded(client.get(path).content)
        assert expected in assert_on_base(text, at_least=2)  # URL and DESCRIPTION.

    user = person()
    registration_create(event_id=event.pk, user=user)
    token = reset_calendar_token(user).token
    private = client.get(f"/mon-espace/agenda/{token}.ics")
    assert expected in assert_on_base(unfolded(private.content), at_least=2)

    client.force_login(user)
    my_space = client.get("/mon-espace/").content.decode()
    feed_links = [url for url in absolute_urls(my_space) if token in url]
    assert feed_links and all(url.startswith(BASE + "/") for url in feed_links)
    assert f"webcal://{BASE.split('://')[1]}/mon-espace/agenda/{token}.ics" in my_space


def test_agenda_page_feed_link(client, content):
    body = client.get("/evenements/").content.decode()
    links = [url for url in absolute_urls(body) if "agenda.ics" in url]
    assert links == [BASE + "/evenements/agenda.ics"] * len(links) and links


def test_directory_exports(client, content):
    rows = json.loads(client.get("/membres/export.json").content)
    rows = rows.get("collectivites", rows) if isinstance(rows, dict) else rows
    assert [row["url"] for row in rows] == [BASE + content["town"].url]
    csv_text = client.get("/membres/export.csv").content.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(csv_text), delimiter=";")
    assert [row["url"] for row in reader] == [BASE + content["town"].url]


def test_canonical_and_og_url(client, content):
    for page in content.values():
        parser = MetaLinks()
        parser.feed(client.get(page.url).content.decode())
        assert parser.found == {"canonical": BASE + page.url, "og:url": BASE + page.url}


def test_registration_email_and_its_calendar(
    content, django_capture_on_commit_callbacks
):
    event = content["event"]
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(event_id=event.pk, user=person())
    (message,) = mail.outbox
    urls = assert_on_base(message.body, at_least=2)
    assert BASE + event.url in urls
    assert BASE + "/mon-espace/" in urls
    html = message.alternatives[0][0]
    assert BASE + event.url in assert_on_base(html, at_least=2)
    (ics,) = [c for _n, c, t in message.attachments if t.startswith("text/calendar")]
    ics = ics if isinstance(ics, bytes) else ics.encode()
    assert BASE + event.url in assert_on_base(unfolded(ics), at_least=2)


def test_allauth_verification_and_password_reset_emails(client):
    client.post(
        "/accounts/signup/",
        {
            "email": "nouvelle@ville-exemple.fr",
            "password1": "motdepasse-solide-2026",
            "password2": "motdepasse-solide-2026",
            "first_name": "Camille",
            "last_name": "Durand",
            "status": "agent",
            "function_title": "DSI",
        },
    )
    (verification,) = mail.outbox
    (link,) = assert_on_base(verification.body)
    assert link.startswith(BASE + "/accounts/confirm-email/")

    mail.outbox.clear()
    person("camille@ville-exemple.fr")
    client.post("/accounts/password/reset/", {"email": "camille@ville-exemple.fr"})
    (reset,) = mail.outbox
    (link,) = assert_on_base(reset.body)
    assert link.startswith(BASE + "/accounts/password/reset/key/")

    mail.outbox.clear()
    client.post("/accounts/password/reset/", {"email": "inconnu@ville-exemple.fr"})
    (unknown,) = mail.outbox
    (link,) = assert_on_base(unknown.body)
    assert link == BASE + "/accounts/signup/"


def test_absolute_url_puts_any_path_or_url_on_base_url():
    assert absolute_url("/ressources/?page=2") == BASE + "/ressources/?page=2"
    assert absolute_url("http://localhost/ressources/#a") == BASE + "/ressources/#a"
    assert absolute_url("http://testserver:8000/") == BASE + "/"


# --- The Site record follows BASE_URL ------------------------------------------------


def test_migrate_puts_the_site_record_on_base_url(settings):
    call_command("migrate", verbosity=0, interactive=False)

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("retex.example.org", 443)
    assert site.root_url == BASE
    assert sync_default_site() is False  # Idempotent.

    settings.BASE_URL = "http://127.0.0.1:8001"
    assert sync_default_site() is True
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("127.0.0.1", 8001)
