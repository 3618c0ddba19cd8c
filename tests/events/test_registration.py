"""Registration rules: seats, waitlist, cancellations, windows, members-only."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from events.models import RegistrationStatus
from events.registration import (
    RegistrationError,
    registration_cancel,
    registration_create,
    waitlist_position,
)
from tests.factories import EventPageFactory, UserFactory
from tests.factories import verified_person as person

pytestmark = pytest.mark.django_db


@pytest.fixture
def training(section):
    return EventPageFactory(
        parent=section("evenements"), capacity=2, waitlist_enabled=True
    )


def register(event, user):
    return registration_create(event_id=event.pk, user=user)[0]


def test_seats_then_waitlist_in_order(training):
    first, second, third, fourth = (person() for _ in range(4))
    assert register(training, first).status == RegistrationStatus.CONFIRMED
    assert register(training, second).status == RegistrationStatus.CONFIRMED
    waiting = [register(training, third), register(training, fourth)]
    assert [r.status for r in waiting] == [RegistrationStatus.WAITLISTED] * 2
    assert [waitlist_position(r) for r in waiting] == [1, 2]


def test_full_without_waitlist_is_refused(section):
    event = EventPageFactory(
        parent=section("evenements"), capacity=1, waitlist_enabled=False
    )
    register(event, person())
    with pytest.raises(RegistrationError, match="complet"):
        register(event, person())


def test_registering_twice_registers_once(training):
    user = person()
    first, created = registration_create(event_id=training.pk, user=user)
    again, created_again = registration_create(event_id=training.pk, user=user)
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert training.registrations.count() == 1


def test_a_cancellation_promotes_the_first_waiting_who_is_told(training, committed):
    confirmed = [person(), person()]
    for user in confirmed:
        register(training, user)
    waiting_first = person("premier@ville.fr")
    waiting_second = person("second@ville.fr")
    first_wait = register(training, waiting_first)
    register(training, waiting_second)
    mail.outbox.clear()

    committed(
        registration_cancel,
        registration_id=training.registrations.first().pk,
        by=confirmed[0],
    )

    first_wait.refresh_from_db()
    assert first_wait.status == RegistrationStatus.CONFIRMED
    assert training.registrations.filter(status="confirmee").count() == 2
    promoted_mail = [m for m in mail.outbox if m.to == ["premier@ville.fr"]]
    assert promoted_mail and "Une place s'est libérée" in promoted_mail[0].subject
    assert not [m for m in mail.outbox if m.to == ["second@ville.fr"]]


def test_raising_capacity_promotes_people_in_order(training, committed):
    users = [person() for _ in range(5)]
    registrations = [register(training, user) for user in users]
    training.capacity = 4
    committed(training.save_revision().publish)
    statuses = [training.registrations.get(pk=r.pk).status for r in registrations]
    assert statuses == ["confirmee"] * 4 + ["attente"]


def test_nobody_is_promoted_after_registration_closed(section):
    soon = timezone.now() + datetime.timedelta(days=1)
    event = EventPageFactory(
        parent=section("evenements"),
        capacity=1,
        registration_closes=timezone.now() + datetime.timedelta(hours=1),
        start=soon,
        end=soon + datetime.timedelta(hours=2),
    )
    holder, waiting = person(), person()
    held = register(event, holder)
    wait = register(event, waiting)
    event.registration_closes = timezone.now() - datetime.timedelta(minutes=1)
    event.save_revision().publish()
    registration_cancel(registration_id=held.pk, by=holder)
    wait.refresh_from_db()
    assert wait.status == RegistrationStatus.WAITLISTED


@pytest.mark.parametrize(
    ("settings_", "message"),
    [
        (
            {"registration_opens": timezone.now() + datetime.timedelta(days=2)},
            "ouvriront",
        ),
        (
            {"registration_closes": timezone.now() - datetime.timedelta(days=1)},
            "closes",
        ),
        ({"cancelled": True}, "annulé"),
    ],
)
def test_registration_outside_its_window_is_refused(section, settings_, message):
    event = EventPageFactory(parent=section("evenements"), **settings_)
    with pytest.raises(RegistrationError, match=message):
        register(event, person())


def test_an_event_that_started_refuses_registrations(section):
    start = timezone.now() - datetime.timedelta(hours=1)
    event = EventPageFactory(
        parent=section("evenements"),
        start=start,
        end=start + datetime.timedelta(hours=3),
    )
    with pytest.raises(RegistrationError, match="commencé"):
        register(event, person())


def test_an_unverified_address_cannot_register(training):
    with pytest.raises(RegistrationError, match="Vérifiez"):
        registration_create(event_id=training.pk, user=UserFactory())


def test_members_only_events_need_a_member(section):
    event = EventPageFactory(parent=section("evenements"), members_only=True)
    with pytest.raises(RegistrationError, match="réservé aux membres"):
        register(event, person())
    member = person()
    member.groups.add(Group.objects.get(name="Membres"))
    # Membership is the affiliation rule, not the group alone.
    with pytest.raises(RegistrationError):
        register(event, member)


def test_cancelling_after_the_deadline_is_refused_to_participants(section):
    event = EventPageFactory(
        parent=section("evenements"),
        cancellation_deadline=timezone.now() + datetime.timedelta(seconds=1),
    )
    user = person()
    registration = register(event, user)
    event.cancellation_deadline = timezone.now() - datetime.timedelta(hours=1)
    event.save_revision().publish()
    with pytest.raises(RegistrationError, match="date limite"):
        registration_cancel(registration_id=registration.pk, by=user)


def test_nobody_cancels_someone_else(training):
    owner, stranger = person(), person()
    registration = register(training, owner)
    with pytest.raises(RegistrationError, match="pas la vôtre"):
        registration_cancel(registration_id=registration.pk, by=stranger)


# --- Page view restrictions: the service's rule, for every caller ------------------


def restrict_to_group(page, name):
    from wagtail.models import PageViewRestriction

    group = Group.objects.create(name=name)
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([group])
    return group


def test_nobody_is_registered_to_an_event_behind_a_restriction_they_fail(section):
    agenda = section("evenements")
    event = EventPageFactory(parent=agenda, capacity=10)
    group = restrict_to_group(agenda, "Élus référents")  # On an ancestor.
    outsider, insider = person(), person()
    insider.groups.add(group)

    with pytest.raises(RegistrationError) as refused:
        registration_create(event_id=event.pk, user=outsider)

    assert refused.value.message == "Vous n'avez pas accès à cet événement."
    assert not event.registrations.filter(user=outsider).exists()
    assert register(event, insider).status == RegistrationStatus.CONFIRMED


def test_a_colleague_who_may_not_see_the_event_is_not_registered(section):
    """A representative registering a colleague: both must pass the restrictions."""
    from members.affiliation import affiliation_request, affiliation_set_role
    from members.models import AffiliationRole
    from tests.factories import CollectivityPageFactory, give_mfa

    town = CollectivityPageFactory(parent=section("membres"), email_domains="vitre.fr")
    representative, colleague = person("rep@vitre.fr"), person("agent@vitre.fr")
    for user in (representative, colleague):
        affiliation_request(user=user, collectivity=town)
    affiliation_set_role(
        affiliation_id=representative.affiliations.get().pk,
        role=AffiliationRole.REPRESENTATIVE,
        by=give_mfa(UserFactory(is_staff=True, is_superuser=True)),
    )
    event = EventPageFactory(parent=section("evenements"), capacity=10)
    representative.groups.add(restrict_to_group(event, "Direction"))

    with pytest.raises(RegistrationError) as refused:
        registration_create(event_id=event.pk, user=colleague, by=representative)

    assert refused.value.message == f"{colleague} n'a pas accès à cet événement."
    assert not event.registrations.exists()


# --- One eligibility rule: the page shows exactly the service's refusal ------------


def _members_only(section):
    return EventPageFactory(parent=section("evenements"), members_only=True), person()


def _unverified(section):
    return EventPageFactory(parent=section("evenements")), UserFactory()


def _full(section):
    event = EventPageFactory(
        parent=section("evenements"), capacity=1, waitlist_enabled=False
    )
    register(event, person())
    return event, person()


def _collectivity_share_taken(section):
    from members.affiliation import affiliation_request
    from tests.factories import CollectivityPageFactory

    town = CollectivityPageFactory(parent=section("membres"), email_domains="vitre.fr")
    first, second = person("un@vitre.fr"), person("deux@vitre.fr")
    for user in (first, second):
        affiliation_request(user=user, collectivity=town)
    event = EventPageFactory(parent=section("evenements"), seats_per_collectivity=1)
    register(event, first)
    return event, second


def _with(**fields):
    def make(section):
        return EventPageFactory(parent=section("evenements"), **fields), person()

    return make


_STARTED = timezone.now() - datetime.timedelta(hours=1)


@pytest.mark.parametrize(
    ("situation", "expected"),
    [
        (_with(cancelled=True), "Cet événement est annulé."),
        (
            _with(registration_enabled=False),
            "Cet événement ne prend pas d'inscription en ligne.",
        ),
        (
            _with(registration_opens=timezone.now() + datetime.timedelta(days=2)),
            "Les inscriptions ouvriront le",
        ),
        (
            _with(registration_closes=timezone.now() - datetime.timedelta(days=1)),
            "Les inscriptions sont closes.",
        ),
        (
            _with(start=_STARTED, end=_STARTED + datetime.timedelta(hours=3)),
            "Cet événement a déjà commencé : les inscriptions sont closes.",
        ),
        (_unverified, "Vérifiez votre adresse électronique pour vous inscrire."),
        (_members_only, "Cet événement est réservé aux membres du réseau"),
        (_full, "Cet événement est complet."),
        (_collectivity_share_taken, "Votre collectivité a déjà 1 inscrit·e·s"),
    ],
    ids=[
        "cancelled",
        "no-online-registration",
        "not-yet-open",
        "closed",
        "started",
        "unverified-address",
        "members-only",
        "full-without-waitlist",
        "collectivity-share-taken",
    ],
)
def test_the_page_shows_the_refusal_the_service_gives(
    client, section, situation, expected
):
    from tests.html import visible_text

    event, user = situation(section)

    with pytest.raises(RegistrationError) as refused:
        register(event, user)
    client.force_login(user)
    page = client.get(event.url)

    message = str(refused.value.message)
    assert visible_text(message).startswith(expected)
    assert page.status_code == 200
    panel = page.content.decode().split('class="panel registration"')[1]
    refusal = panel.split('class="registration-refusal">')[1].split("</p>")[0]
    assert visible_text(refusal).startswith(visible_text(message))
    assert "M'inscrire" not in panel and "liste d'attente</button>" not in panel
