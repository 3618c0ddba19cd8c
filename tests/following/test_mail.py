"""`following.mail.notification_message`: real messages, parsed back."""

import email
import re
from email import policy

import pytest
from django.core import mail

from following.mail import notification_message
from following.models import Frequency, Suppression, SuppressionReason
from following.preferences import preferences_of
from tests.factories import verified_person
from tests.html import visible_text

pytestmark = pytest.mark.django_db

TEMPLATES = {
    "text_template": "following_tests/hello.txt",
    "html_template": "following_tests/hello.html",
}


@pytest.fixture(autouse=True)
def _test_templates(settings):
    from pathlib import Path

    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "DIRS": [
                *settings.TEMPLATES[0]["DIRS"],
                Path(__file__).parent / "templates",
            ],
        }
    ]
    settings.BASE_URL = "https://retex.example.org"


def message_for(person, category="digest"):
    return notification_message(
        user=person,
        category=category,
        subject="Du nouveau  sur Retex",
        context={"link": "https://retex.example.org/ressources/"},
        **TEMPLATES,
    )


def parsed(message):
    return email.message_from_bytes(message.message().as_bytes(), policy=policy.default)


def test_the_message_has_both_parts_and_one_click_unsubscribe(client):
    person = verified_person(first_name="Annaïg")
    message = message_for(person)
    message.send()
    received = parsed(mail.outbox[0])
    assert received["To"] == person.email
    assert received["Subject"] == "Du nouveau sur Retex"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = received["List-Unsubscribe"].strip()  # folded: RFC 5322 allows it
    assert re.fullmatch(r"<https://retex\.example\.org/desabonnement/[^/]+/>", header)
    link = header[1:-1]
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    assert "Bonjour Annaïg" in text and link in text
    assert f'href="{link}"' in html and "Bonjour Annaïg" in visible_text(html)
    assert "https://retex.example.org/mon-espace/abonnements/" in text
    assert '<html lang="fr">' in html

    path = link.removeprefix("https://retex.example.org")
    # A GET (a mail scanner) shows a confirmation and changes nothing.
    page = client.get(path)
    assert page.status_code == 200
    assert "Confirmer le désabonnement" in visible_text(page.content.decode())
    assert (
        preferences_of(type(person).objects.get(pk=person.pk)).frequency
        != Frequency.NEVER
    )
    # The mail client's one-click POST, without session nor CSRF token.
    csrf_client = type(client)(enforce_csrf_checks=True)
    answer = csrf_client.post(
        path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200
    person = type(person).objects.get(pk=person.pk)
    assert preferences_of(person).frequency == Frequency.NEVER
    assert message_for(person) is None
    # Other categories are still sent.
    assert message_for(person, "events") is not None


def test_a_damaged_token_unsubscribes_nobody(client):
    person = verified_person()
    link = parsed(message_for(person))["List-Unsubscribe"].strip()[1:-1]
    path = link.removeprefix("https://retex.example.org")
    damaged = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    assert client.post(damaged).status_code == 404
    assert message_for(type(person).objects.get(pk=person.pk)) is not None


def test_no_message_for_an_inactive_account_or_a_blocked_address():
    person = verified_person()
    Suppression.objects.create(
        email=person.email.upper(), reason=SuppressionReason.BOUNCE
    )
    assert message_for(person) is None
    other = verified_person()
    other.is_active = False
    other.save()
    assert message_for(other) is None


def test_the_letter_is_opt_in():
    person = verified_person()
    assert message_for(person, "letter") is None
    preference = preferences_of(person)
    preference.letter = True
    preference.save()
    assert message_for(person, "letter") is not None
