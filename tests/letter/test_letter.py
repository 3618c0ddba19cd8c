"""The network's letter: /lettre/, public double opt-in, a test to oneself,
sending to subscribers once, unsubscribing in one click, blocked addresses."""

import email
import re
from email import policy

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from wagtail.models import Page

from following.models import Suppression, SuppressionReason
from following.preferences import preferences_of
from letter.models import Delivery, LetterIndexPage, LetterPage, Subscriber
from tests.factories import give_mfa, verified_person
from tests.helpers import publish
from tests.html import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.BASE_URL = "https://retex.example.org"


def parsed(message):
    return email.message_from_bytes(message.message().as_bytes(), policy=policy.default)


def local(url: str) -> str:
    return url.removeprefix("https://retex.example.org")


@pytest.fixture
def letter(section):
    index = LetterIndexPage.objects.get()
    resource = section("ressources")
    page = LetterPage(
        title="La lettre de décembre",
        lead="Tiers-lieux, données ouvertes et rendez-vous.",
        body=[
            (
                "text",
                '<p>Bonne lecture de <a href="/ressources/">nos ressources</a>.</p>',
            ),
            ("resources", {"heading": "À lire", "pages": [resource]}),
            (
                "member_news",
                {
                    "title": "Lannion ouvre un fablab",
                    "collectivity": None,
                    "text": "Ouvert à tous.",
                },
            ),
        ],
    )
    index.add_child(instance=page)
    return publish(page)


def editor():
    """Sending needs the right to publish the letter (the « Modérateurs »)."""
    person = give_mfa(verified_person("editrice@reseau.fr", first_name="Éva"))
    person.groups.add(Group.objects.get(name="Modérateurs"))
    return person


def test_the_archive_shows_sent_letters_only(client, letter):
    page = client.get("/lettre/")
    assert page.status_code == 200
    text = visible_text(page.content.decode())
    assert "Aucune lettre envoyée pour le moment." in text
    assert "La lettre de décembre" not in text
    # Published but not sent: not public.
    assert client.get(letter.url).status_code == 404


def test_public_subscription_needs_the_confirmation(client, committed):
    answer = committed(client.post, "/lettre/", {"email": "lectrice@exemple.fr"})
    assert answer.status_code == 200
    assert "Vérifiez votre boîte de réception" in visible_text(answer.content.decode())
    assert len(mail.outbox) == 1
    link = re.search(r"https://\S+/lettre/confirmer/\S+/", mail.outbox[0].body).group(0)
    subscriber = Subscriber.objects.get()
    assert not subscriber.active
    # The same address again: no second email moments later, the same answer.
    committed(client.post, "/lettre/", {"email": "Lectrice@exemple.fr"})
    assert len(mail.outbox) == 1
    # Opening the link (or a mail scanner) confirms nothing; the button does.
    assert "Confirmer" in visible_text(client.get(local(link)).content.decode())
    subscriber.refresh_from_db()
    assert not subscriber.active
    client.post(local(link))
    subscriber.refresh_from_db()
    assert subscriber.active
    # A damaged link confirms nothing and says so.
    assert client.post(local(link)[:-4] + "xyz/").status_code == 404


def test_the_form_is_rate_limited(client, settings):
    settings.RETEX_RATE_LIMITS = {
        **settings.RETEX_RATE_LIMITS,
        "letter_subscribe": "2/h",
    }
    for n in range(2):
        assert client.post("/lettre/", {"email": f"l{n}@exemple.fr"}).status_code == 200
    answer = client.post("/lettre/", {"email": "l3@exemple.fr"})
    assert answer.status_code == 429
    assert Subscriber.objects.count() == 2


def test_a_bad_address_is_refused_in_french(client):
    answer = client.post("/lettre/", {"email": "pas-une-adresse"})
    assert answer.status_code == 400
    assert "Saisissez une adresse de courriel valide." in visible_text(
        answer.content.decode()
    )
    assert not Subscriber.objects.exists()


def test_an_editor_tests_then_sends_once_to_every_subscriber(client, letter, committed):
    reader = verified_person("membre@lannion.fr")
    preference = preferences_of(reader)
    preference.letter = True
    preference.save()
    verified_person("pas-abonne@lannion.fr")
    Subscriber.objects.create(
        email="public@exemple.fr", confirmed_at="2026-01-01T00:00Z"
    )
    Subscriber.objects.create(email="jamais-confirme@exemple.fr")
    Subscriber.objects.create(
        email="rejet@exemple.fr", confirmed_at="2026-01-01T00:00Z"
    )
    Suppression.objects.create(
        email="rejet@exemple.fr", reason=SuppressionReason.BOUNCE
    )

    client.force_login(editor())
    url = f"/admin/lettre/{letter.pk}/envoi/"
    page = client.get(url)
    assert "2 destinataires aujourd'hui." in visible_text(page.content.decode())

    committed(client.post, url, {"action": "test"})
    assert [m.to for m in mail.outbox] == [["editrice@reseau.fr"]]
    assert mail.outbox[0].subject == "[Test] La lettre de décembre"
    mail.outbox.clear()

    # Not confirmed: nothing is sent.
    committed(client.post, url, {"action": "send"})
    assert mail.outbox == []
    committed(client.post, url, {"action": "send", "confirm": "oui"})
    assert sorted(m.to[0] for m in mail.outbox) == [
        "membre@lannion.fr",
        "public@exemple.fr",
    ]
    letter.refresh_from_db()
    assert (letter.recipient_count, letter.sent_count, letter.failed_count) == (2, 2, 0)
    assert letter.sent_at is not None
    page = visible_text(client.get(url).content.decode())
    assert "2 courriels envoyés sur 2 destinataires (0 échecs)" in page

    # Both parts, absolute links, one-click unsubscribe.
    received = parsed(next(m for m in mail.outbox if m.to == ["public@exemple.fr"]))
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    assert "LANNION OUVRE UN FABLAB" in text
    assert "nos ressources (https://retex.example.org/ressources/)" in text
    assert 'href="https://retex.example.org/ressources/"' in html
    assert "https://retex.example.org/lettre/la-lettre-de-decembre/" in text
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # A second send is refused: nobody gets it twice.
    committed(client.post, url, {"action": "send", "confirm": "oui"}, follow=True)
    assert len(mail.outbox) == 2
    assert Delivery.objects.count() == 2

    # Now public, in the archive.
    client.logout()
    assert "La lettre de décembre" in visible_text(
        client.get("/lettre/").content.decode()
    )
    assert (
        client.get(
            local(letter.full_url or "/lettre/la-lettre-de-decembre/")
        ).status_code
        == 200
    )

    # The public subscriber unsubscribes in one click, without an account.
    link = received["List-Unsubscribe"].strip()[1:-1]
    assert (
        client.post(
            local(link),
            data="List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        ).status_code
        == 200
    )
    assert not Subscriber.objects.get(email="public@exemple.fr").active


def test_someone_without_publish_rights_cannot_send(client, letter):
    person = give_mfa(verified_person())
    person.groups.add(Group.objects.get(name="Éditeurs"))  # may edit, not publish
    client.force_login(person)
    answer = client.post(
        f"/admin/lettre/{letter.pk}/envoi/", {"action": "send", "confirm": "oui"}
    )
    assert answer.status_code in (302, 403)
    letter.refresh_from_db()
    assert letter.send_started_at is None


def test_the_letters_index_exists_once():
    assert Page.objects.filter(url_path__endswith="/lettre/").count() == 1


def test_an_unsent_letter_is_not_in_the_sitemap(client, letter):
    assert letter.url not in client.get("/sitemap.xml").content.decode()
    LetterPage.objects.filter(pk=letter.pk).update(send_started_at="2026-12-01T09:00Z")
    assert letter.url in client.get("/sitemap.xml").content.decode()
