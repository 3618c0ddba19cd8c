"""Follows, preferences, digests and the letter in the data export and in
account deletion; bounces and complaints stop every email."""

import io
import json

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from following.digest import send_digests
from following.follows import follow
from following.models import Digest, EmailPreference, Follow, Suppression
from following.preferences import preferences_of
from letter.models import Subscriber
from tests.factories import verified_person

pytestmark = pytest.mark.django_db


def test_the_export_holds_follows_preferences_and_the_letter(client, theme):
    person = verified_person("camille@lannion.fr")
    follow(person, "theme", object_id=theme.pk)
    follow(person, "search", query="tiers-lieux", filters={"region": "53"})
    Subscriber.objects.create(email="camille@lannion.fr")
    client.force_login(person)
    data = json.loads(client.get("/mon-espace/mes-donnees.json").content)
    following = data["abonnements"]
    assert following["preferences"]["frequence"] == "Hebdomadaire"
    assert {f["libelle"] for f in following["suivis"]} == {
        "Tiers-lieux",
        "« tiers-lieux » (région : 53)",
    }
    assert data["lettre"]["abonnement_public"]["adresse"] == "camille@lannion.fr"
    # The page of Mon espace says how many things are followed.
    assert "Vous suivez 2 contenus." in client.get("/mon-espace/").content.decode()


def test_deleting_the_account_deletes_follows_preferences_and_subscription(theme):
    from members.personal_data import account_delete

    person = verified_person("camille@lannion.fr")
    follow(person, "theme", object_id=theme.pk)
    Subscriber.objects.create(email="Camille@lannion.fr")
    send_digests()
    account_delete(user=person)
    assert not Follow.objects.exists()
    assert not EmailPreference.objects.exists()
    assert not Digest.objects.exists()
    assert not Subscriber.objects.exists()


def test_a_bounce_or_a_complaint_stops_the_digest(article, theme, committed):
    person = verified_person("boite-pleine@lannion.fr")
    follow(person, "theme", object_id=theme.pk)
    preference = preferences_of(person)
    preference.frequency = "quotidien"
    preference.save()
    article()
    output = io.StringIO()
    call_command("record_bounce", "Boite-Pleine@lannion.fr", "--plainte", stdout=output)
    assert "bloquée" in output.getvalue()
    assert Suppression.objects.get().reason == "plainte"
    committed(send_digests)
    assert mail.outbox == []
    with pytest.raises(CommandError, match="n'est pas une adresse valide"):
        call_command("record_bounce", "pas-une-adresse")
