"""`send_digests`: real emails parsed back, once per person and period, and
only what the person may see at sending time."""

import email
import io
from email import policy

import pytest
from django.core import mail
from django.core.management import call_command

from following.digest import send_digests
from following.follows import follow
from following.models import Digest, DigestStatus, Frequency
from following.preferences import preferences_of
from tests.factories import StandardPageFactory, verified_person
from tests.following.conftest import member, members_only
from tests.helpers import run_at_once
from tests.html import visible_text


def daily(person):
    preference = preferences_of(person)
    preference.frequency = Frequency.DAILY
    preference.save()
    return person


def parsed(message):
    return email.message_from_bytes(message.message().as_bytes(), policy=policy.default)


@pytest.mark.django_db
def test_a_daily_digest_lists_the_followed_theme_once(
    article, theme, client, committed
):
    person = daily(verified_person("camille@lannion.fr", first_name="Camille"))
    follow(person, "theme", object_id=theme.pk)
    page = article()
    article(title="Un sujet que personne ne suit", themes=())

    output = io.StringIO()
    committed(call_command, "send_digests", stdout=output)
    assert output.getvalue() == "1 résumé(s) à envoyer, confiés aux tâches.\n"

    assert len(mail.outbox) == 1
    received = parsed(mail.outbox[0])
    assert received["To"] == "camille@lannion.fr"
    assert received["Subject"].startswith("Retex : vos nouveautés du ")
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    link = f"https://retex.example.org{page.url}"
    assert "Bonjour Camille," in text
    assert "Ouvrir un tiers-lieu numérique" in text and link in text
    assert "Un sujet que personne ne suit" not in text
    assert f'href="{link}"' in html
    assert "Vos nouveautés sur Retex" in visible_text(html)
    assert "personne ne suit" not in html
    # The link in the email opens the page.
    assert client.get(link.removeprefix("https://retex.example.org")).status_code == 200

    # Run again (hourly): nothing more is sent.
    assert committed(send_digests) == 0
    assert len(mail.outbox) == 1
    digest = Digest.objects.get(user=person)
    assert (digest.status, digest.item_count) == (DigestStatus.SENT, 1)


@pytest.mark.django_db
def test_nothing_new_sends_no_email(theme, committed):
    person = daily(verified_person())
    follow(person, "theme", object_id=theme.pk)
    assert committed(send_digests) == 1
    assert mail.outbox == []
    assert Digest.objects.get(user=person).status == DigestStatus.EMPTY


@pytest.mark.django_db
def test_a_page_restricted_after_it_was_followed_reaches_members_only(
    article, theme, section, committed
):
    outsider = daily(verified_person("curieux@ailleurs.fr"))
    insider = daily(member("membre@lannion.fr"))
    for person in (outsider, insider):
        follow(person, "theme", object_id=theme.pk)
    shelf = StandardPageFactory(parent=section("ressources"), title="Dossier")
    article(title="Budget confidentiel du tiers-lieu", parent=shelf)
    article(title="Guide public du tiers-lieu")
    members_only(shelf)  # Restricted after the people followed the theme.

    committed(send_digests)

    bodies = {
        m.to[0]: parsed(m).get_body(("plain",)).get_content() for m in mail.outbox
    }
    assert set(bodies) == {"curieux@ailleurs.fr", "membre@lannion.fr"}
    assert "Budget confidentiel" not in bodies["curieux@ailleurs.fr"]
    assert "Guide public du tiers-lieu" in bodies["curieux@ailleurs.fr"]
    assert "Budget confidentiel" in bodies["membre@lannion.fr"]


@pytest.mark.django_db
def test_never_and_unsubscribed_people_get_nothing(article, theme, committed):
    person = verified_person()
    follow(person, "theme", object_id=theme.pk)
    preference = preferences_of(person)
    preference.frequency = Frequency.NEVER
    preference.save()
    article()
    assert committed(send_digests) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_saved_search_brings_its_new_results(article, theme, committed):
    person = daily(verified_person())
    follow(person, "search", query="tiers-lieu")
    article(title="Un tiers-lieu à Lannion", themes=())
    article(title="La fibre en Bretagne", themes=())
    committed(send_digests)
    text = parsed(mail.outbox[0]).get_body(("plain",)).get_content()
    assert "Nouveaux résultats de vos recherches" in text
    assert "Un tiers-lieu à Lannion" in text
    assert "La fibre en Bretagne" not in text


@pytest.mark.django_db
def test_immediately_means_when_it_is_published(section, theme, committed):
    from tests.factories import ArticlePageFactory
    from tests.helpers import publish

    person = verified_person()
    follow(person, "theme", object_id=theme.pk)
    preference = preferences_of(person)
    preference.frequency = Frequency.IMMEDIATE
    preference.save()
    page = ArticlePageFactory(parent=section("ressources"), title="Tout chaud")
    page.themes.set([theme])
    committed(publish, page)
    assert len(mail.outbox) == 1
    assert "Tout chaud" in parsed(mail.outbox[0]).get_body(("plain",)).get_content()
    committed(publish, page)  # Republishing is not news.
    assert len(mail.outbox) == 1


# On PostgreSQL, as the other tests of real concurrency: SQLite's shared
# in-memory test database answers « table is locked » at once where a database
# file waits for the lock (its timeout), so threads there test nothing real.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_runs_send_each_digest_once(article, theme):
    people = [daily(verified_person(f"p{n}@lannion.fr")) for n in range(5)]
    for person in people:
        follow(person, "theme", object_id=theme.pk)
    article()

    claimed = run_at_once([send_digests, send_digests])

    assert sorted(claimed) in ([0, 5], [1, 4], [2, 3]) and sum(claimed) == 5
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert Digest.objects.filter(status=DigestStatus.SENT).count() == 5


@pytest.mark.django_db
def test_events_open_for_registration_questions_and_answers(section, theme, committed):
    import datetime

    from django.utils import timezone

    from aid.models import Answer, Question
    from events.models import EventPage
    from tests.factories import EventPageFactory
    from tests.helpers import publish

    yesterday = timezone.now() - datetime.timedelta(days=1)
    reader = daily(member("lectrice@lannion.fr"))
    outsider = daily(verified_person("curieux@ailleurs.fr"))
    follow(outsider, "theme", object_id=theme.pk)
    follow(reader, "theme", object_id=theme.pk)
    asked = Question.objects.create(title="Quel outil de GRC ?", details="…")
    follow(reader, "question", object_id=asked.pk)

    event = EventPageFactory(parent=section("evenements"), title="Atelier tiers-lieux")
    event.themes.set([theme])
    publish(event)
    closed = EventPageFactory(
        parent=section("evenements"),
        title="Atelier complet et clos",
        registration_closes=timezone.now() - datetime.timedelta(hours=1),
    )
    closed.themes.set([theme])
    publish(closed)
    EventPage.objects.update(first_published_at=yesterday)
    on_theme = Question.objects.create(title="Un tiers-lieu rural ?", details="…")
    on_theme.themes.set([theme])
    Answer.objects.create(question=asked, body="Nous utilisons un logiciel libre.")
    Question.objects.update(created_at=yesterday)
    Answer.objects.update(created_at=yesterday)

    committed(send_digests)

    bodies = {
        m.to[0]: parsed(m).get_body(("plain",)).get_content() for m in mail.outbox
    }
    text = bodies["lectrice@lannion.fr"]
    assert "Événements ouverts aux inscriptions" in text
    assert "Atelier tiers-lieux" in text and "Atelier complet et clos" not in text
    assert "Un tiers-lieu rural ?" in text  # a new question on the theme
    assert "Nouvelles réponses aux questions que vous suivez" in text
    assert "Quel outil de GRC ?" in text
    # The mutual-aid space is for members: the outsider gets the event only.
    assert "Atelier tiers-lieux" in bodies["curieux@ailleurs.fr"]
    assert "tiers-lieu rural" not in bodies["curieux@ailleurs.fr"]


@pytest.mark.django_db
def test_a_mail_server_that_refuses_leaves_a_failed_record_not_a_lost_one(
    article, theme, committed, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.following.test_digest.RefusingBackend"
    person = daily(verified_person())
    follow(person, "theme", object_id=theme.pk)
    article()
    committed(send_digests)
    digest = Digest.objects.get(user=person)
    # The test backend cannot run a task later: the failure is final, recorded
    # and logged; a backend that can (the database) schedules retries instead.
    assert (digest.status, digest.attempts) == (DigestStatus.FAILED, 1)
    assert "abandoned" in caplog.text
    assert committed(send_digests) == 0  # never claimed twice


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("Connexion refusée par le serveur de courriel")
