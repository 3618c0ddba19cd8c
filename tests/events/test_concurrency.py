"""Never more confirmed than seats, whatever arrives at once (PostgreSQL)."""

import pytest
from allauth.account.models import EmailAddress

from events.models import RegistrationStatus
from events.registration import (
    event_promote_waitlist,
    registration_cancel,
    registration_create,
)
from tests.factories import EventPageFactory, UserFactory
from tests.helpers import run_at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def people(count):
    users = []
    for _ in range(count):
        user = UserFactory()
        EmailAddress.objects.create(
            user=user, email=user.email, verified=True, primary=True
        )
        users.append(user)
    return users


def test_concurrent_registrations_fill_exactly_the_seats(section):
    event = EventPageFactory(parent=section("evenements"), capacity=10)
    users = people(40)

    results = run_at_once(
        [lambda u=u: registration_create(event_id=event.pk, user=u) for u in users]
    )

    assert [created for _registration, created in results] == [True] * 40
    statuses = list(event.registrations.values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.CONFIRMED) == 10
    assert statuses.count(RegistrationStatus.WAITLISTED) == 30
    waiting = event.registrations.filter(status=RegistrationStatus.WAITLISTED)
    assert len({r.waitlisted_at for r in waiting}) >= 1
    assert event.registrations.values("user").distinct().count() == 40


def test_double_submits_at_once_register_once(section):
    event = EventPageFactory(parent=section("evenements"), capacity=5)
    (user,) = people(1)
    results = run_at_once(
        [lambda: registration_create(event_id=event.pk, user=user)] * 8
    )

    assert [created for _registration, created in results].count(True) == 1
    assert len({registration.pk for registration, _created in results}) == 1
    assert event.registrations.filter(user=user).count() == 1


def test_cancellations_registrations_and_capacity_changes_at_once(section):
    event = EventPageFactory(parent=section("evenements"), capacity=5)
    first = people(5)
    for user in first:
        registration_create(event_id=event.pk, user=user)
    late = people(10)
    for user in late[:3]:
        registration_create(event_id=event.pk, user=user)

    event.capacity = 7
    event.save_revision().publish()
    actions = [
        *[
            lambda r=r, u=u: registration_cancel(registration_id=r.pk, by=u)
            for u in first[:3]
            for r in event.registrations.filter(user=u)
        ],
        *[lambda u=u: registration_create(event_id=event.pk, user=u) for u in late[3:]],
        lambda: event_promote_waitlist(event_id=event.pk),
    ]
    run_at_once(actions)

    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    waitlisted = event.registrations.filter(
        status=RegistrationStatus.WAITLISTED
    ).count()
    assert confirmed == 7
    assert confirmed + waitlisted == 2 + 10  # 5 - 3 cancelled, plus all 10 late
