"""Registration rules: the one module views, the admin, commands and tasks call.

Every change to an event's registrations locks the event's row first, then
counts, then writes, all in one transaction: whatever arrives at once
(registrations, cancellations, a capacity change), never more people are
confirmed than there are seats, and the waitlist is promoted in order. On
PostgreSQL the lock waits a bounded time and becomes a "busy, try again" message,
never a hang; on SQLite, `IMMEDIATE` transactions queue the writers.

Errors are `RegistrationError`s carrying a French message for the person.
"""

from functools import cached_property

from django.db import DatabaseError, OperationalError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import (
    ACTIVE_REGISTRATION_STATUSES,
    Audience,
    EventPage,
    Registration,
    RegistrationStatus,
)
from members.affiliation import is_network_member, open_affiliation, verified_email
from members.models import AffiliationRole, AffiliationStatus, PersonStatus
from retex.templatetags.french_dates import french_datetime

LOCK_TIMEOUT = "5s"


class RegistrationError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- Reads -------------------------------------------------------------------------


def registration_closes_at(event: EventPage):
    """When registration closes: the set date, and never later than the start."""
    if event.registration_closes:
        return min(event.registration_closes, event.start)
    return event.start


def cancellation_deadline(event: EventPage):
    if event.cancellation_deadline:
        return min(event.cancellation_deadline, event.start)
    return event.start


def registration_is_open(event: EventPage, *, now=None) -> bool:
    now = now or timezone.now()
    if event.cancelled or not event.registration_enabled:
        return False
    if event.registration_opens and now < event.registration_opens:
        return False
    return now < registration_closes_at(event)


def closed_reason(event: EventPage, *, now=None):
    """Why nobody can register now, in French; None when registration is open."""
    now = now or timezone.now()
    if event.cancelled:
        return _("Cet événement est annulé.")
    if not event.registration_enabled:
        return _("Cet événement ne prend pas d'inscription en ligne.")
    if event.registration_opens and now < event.registration_opens:
        return _("Les inscriptions ouvriront le %(date)s.") % {
            "date": french_datetime(event.registration_opens, "j F Y")
        }
    if event.is_past(now=now):
        return PAST_EVENT
    if now >= event.start:
        return _("Cet événement a déjà commencé : les inscriptions sont closes.")
    if now >= registration_closes_at(event):
        return _("Les inscriptions sont closes.")
    return None


def counts(event: EventPage) -> dict:
    row = Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
    )
    return row


def seats_left(event: EventPage, *, confirmed: int | None = None) -> int | None:
    """Free seats, or None when the event has no capacity limit."""
    if event.capacity is None:
        return None
    if confirmed is None:
        confirmed = counts(event)["confirmed"]
    return max(0, event.capacity - confirmed)


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        status=RegistrationStatus.WAITLISTED,
    ).filter(
        Q(waitlisted_at__lt=registration.waitlisted_at)
        | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def cancellation_consequences(registration: Registration, *, now=None) -> dict:
    """What cancelling `registration` would do, said on the confirmation page
    before the person confirms: {"allowed": bool, "refusal": str | None,
    "consequences": [French sentences], "registration", "position"}."""
    now = now or timezone.now()
    event = registration.event
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    position = waitlist_position(registration)
    result = {"registration": registration, "position": position}
    if now >= cancellation_deadline(event):
        result.update(
            allowed=False,
            consequences=[],
            refusal=_(
                "La date limite de désinscription est passée : prévenez "
                "l'équipe organisatrice."
            ),
        )
        return result
    consequences = []
    open_now = registration_is_open(event, now=now)
    if confirmed:
        waiting = counts(event)["waitlisted"]
        if waiting and open_now:
            consequences.append(
                _(
                    "Votre place ira aussitôt à la première personne de la liste "
                    "d'attente, qui en sera prévenue par courriel."
                )
            )
        else:
            consequences.append(_("Votre place sera libérée pour une autre personne."))
        consequences.append(
            _(
                "Vous recevrez un courriel de confirmation ; l'événement sera retiré "
                "de votre agenda s'il y figurait."
            )
        )
    else:
        consequences.append(
            _(
                "Vous quitterez la liste d'attente, où vous êtes en position "
                "%(position)s ; les personnes après vous avanceront d'un rang."
            )
            % {"position": position}
        )
        consequences.append(_("Vous recevrez un courriel de confirmation."))
    if open_now:
        consequences.append(
            _(
                "Pour revenir, il faudra vous inscrire de nouveau : à la suite de la "
                "liste d'attente si l'événement est complet."
            )
        )
    else:
        consequences.append(
            _("Les inscriptions sont closes : vous ne pourrez pas vous réinscrire.")
        )
    result.update(allowed=True, refusal=None, consequences=consequences)
    return result


def active_registration(event: EventPage, user):
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(
        event=event, user=user, status__in=ACTIVE_REGISTRATION_STATUSES
    ).first()


def can_manage(user, event: EventPage) -> bool:
    """Organizers: people who may edit the event page in the admin."""
    if not user.is_authenticated or not user.is_active:
        return False
    return event.permissions_for_user(user).can_edit()


class PersonFacts:
    """What the rules read about one person and one event, each read once
    when first asked: the event page's registration panel asks the same
    things of `registration_refusal`, `colleagues_for` and the seats. Lives
    as long as one call or one rendering, never across a write."""

    def __init__(self, event: EventPage, person):
        self.event = event
        self.person = person

    @cached_property
    def registration(self):
        return active_registration(self.event, self.person)

    @cached_property
    def affiliation(self):
        if not self.person.is_authenticated:
            return None
        return open_affiliation(self.person)

    @cached_property
    def counts(self) -> dict:
        return counts(self.event)


def colleagues_for(user, event: EventPage, *, facts: PersonFacts | None = None):
    """People a representative may register: approved members of the collectivity
    they represent, not yet registered."""
    from members.models import User

    facts = facts or PersonFacts(event, user)
    affiliation = facts.affiliation
    if (
        affiliation is None
        or affiliation.status != AffiliationStatus.APPROVED
        or affiliation.role != AffiliationRole.REPRESENTATIVE
    ):
        return User.objects.none()
    registered = Registration.objects.filter(
        event=event, status__in=ACTIVE_REGISTRATION_STATUSES
    ).values("user_id")
    return (
        User.objects.filter(
            affiliations__collectivity=affiliation.collectivity,
            affiliations__status=AffiliationStatus.APPROVED,
            is_active=True,
        )
        .exclude(pk=user.pk)
        .exclude(pk__in=registered)
        .order_by("last_name", "first_name")
    )


# --- Eligibility -------------------------------------------------------------------

PAST_EVENT = _("Événement passé.")

# Who an audience admits, by the function people declare in their profile
# (`User.status`); audiences not listed admit everyone.
AUDIENCE_STATUSES = {
    Audience.ELECTED: {PersonStatus.ELECTED},
    Audience.AGENTS: {PersonStatus.AGENT},
}


def audience_rule(event: EventPage):
    """Who may register, said to everyone before they try; None when anybody may."""
    if event.audience == Audience.ELECTED:
        return _(
            "Réservé aux élus et élues des collectivités : les agents ne peuvent "
            "pas s'y inscrire."
        )
    if event.audience == Audience.AGENTS:
        return _(
            "Réservé aux agents des collectivités : les élus et élues ne peuvent "
            "pas s'y inscrire."
        )
    return None


def audience_refusal(event: EventPage, person, *, by=None):
    """Why `person`'s declared function keeps them out of `event`, or None."""
    admitted = AUDIENCE_STATUSES.get(event.audience)
    if not admitted or person.status in admitted:
        return None
    for_elected = event.audience == Audience.ELECTED
    if by is not None and by.pk != person.pk:
        if for_elected:
            return _(
                "%(name)s ne peut pas être inscrit·e : cet événement est réservé "
                "aux élus et élues."
            ) % {"name": person}
        return _(
            "%(name)s ne peut pas être inscrit·e : cet événement est réservé "
            "aux agents."
        ) % {"name": person}
    if not person.status:
        return UNKNOWN_FUNCTION_ELECTED if for_elected else UNKNOWN_FUNCTION_AGENTS
    if for_elected:
        return _(
            "Cet événement est réservé aux élus et élues : votre profil indique "
            "que vous êtes %(status)s, vous ne pouvez donc pas vous y inscrire. "
            "Les formations et rencontres ouvertes aux agents sont dans l'agenda."
        ) % {"status": _status_words(person.status)}
    return _(
        "Cet événement est réservé aux agents des collectivités : votre profil "
        "indique que vous êtes %(status)s, vous ne pouvez donc pas vous y inscrire."
    ) % {"status": _status_words(person.status)}


def _status_words(status: str) -> str:
    return {
        PersonStatus.ELECTED: _("élu ou élue"),
        PersonStatus.AGENT: _("agent"),
    }.get(status, _("ni élu ni agent"))


UNKNOWN_FUNCTION_ELECTED = _(
    "Cet événement est réservé aux élus et élues : indiquez votre fonction dans "
    "votre profil pour vous inscrire."
)
UNKNOWN_FUNCTION_AGENTS = _(
    "Cet événement est réservé aux agents des collectivités : indiquez votre "
    "fonction dans votre profil pour vous inscrire."
)

SIGN_IN_REFUSAL = _("Connectez-vous pour vous inscrire.")
VERIFY_EMAIL_REFUSAL = _("Vérifiez votre adresse électronique pour vous inscrire.")
MEMBERS_ONLY_REFUSAL = _(
    "Cet événement est réservé aux membres du réseau : rattachez "
    "votre compte à votre collectivité adhérente."
)


def registration_refusal(
    event: EventPage, person, *, by=None, facts: PersonFacts | None = None
):
    """Why `person` may not be registered to `event` now (by themselves, or by
    `by`, a representative of their collectivity), in French; None when they may.

    The one eligibility rule: the registration service raises this message, the
    event page's registration panel shows it. In order: the event (not
    published, cancelled, no online registration, outside the registration
    window, past), then the person (signed in, already registered, a colleague
    of `by`, admitted by the event's audience — élus only, agents only — from
    the function in their profile, verified address, a network member for
    members-only events, allowed to see the page by its view restrictions), then
    the seats (their collectivity's
    share, a full event without a waitlist). Seats change with every
    registration: the service asks again with the event's row locked.
    """
    by = by or person
    if not event.live:
        return _("Cet événement n'existe pas.")
    reason = closed_reason(event)
    if reason:
        return reason
    if not person.is_authenticated or not by.is_authenticated:
        return SIGN_IN_REFUSAL
    if facts.registration:
        return _("Cette inscription est déjà enregistrée.")
    if (
        by.pk != person.pk
        and not colleagues_for(by, event).filter(pk=person.pk).exists()
    ):
        return _("Vous ne pouvez inscrire que des collègues de votre collectivité.")
    reason = audience_refusal(event, person, by=by)
    if reason:
        return reason
    if verified_email(person) is None:
        return VERIFY_EMAIL_REFUSAL
    if event.members_only and not is_network_member(person):
        return MEMBERS_ONLY_REFUSAL
    reason = _page_access_refusal(event, person, by=by)
    if reason:
        return reason
    affiliation = facts.affiliation
    if (
        event.seats_per_collectivity
        and affiliation is not None
        and affiliation.status == AffiliationStatus.APPROVED
    ):
        taken = Registration.objects.filter(
            event=event,
            collectivity=affiliation.collectivity,
            status__in=ACTIVE_REGISTRATION_STATUSES,
        ).count()
        if taken >= event.seats_per_collectivity:
            return _(
                "Votre collectivité a déjà %(count)s inscrit·e·s : c'est le "
                "maximum pour cet événement."
            ) % {"count": taken}
    if (
        not event.waitlist_enabled
        and event.capacity is not None
        and seats_left(event, confirmed=facts.counts["confirmed"]) == 0
    ):
        return _("Cet événement est complet.")
    return None


def _page_access_refusal(event: EventPage, person, *, by):
    """The site's one visibility rule (`retex.visibility`): nobody registers, nor
    is registered, to an event whose page (or an ancestor) they may not see."""
    from retex.visibility import page_restrictions_failed

    if by.pk != person.pk and page_restrictions_failed(event, by):
        return _("Vous n'avez pas accès à cet événement.")
    if page_restrictions_failed(event, person):
        if by.pk != person.pk:
            return _("%(name)s n'a pas accès à cet événement.") % {"name": person}
        return _("Vous n'avez pas accès à cet événement.")
    return None


# --- Writes ------------------------------------------------------------------------


def _locked_event(event_id: int) -> EventPage:
    """The event, its row locked until the transaction ends (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    return EventPage.objects.select_for_update(of=("self",)).get(pk=event_id)


def _busy(error: OperationalError) -> RegistrationError:
    return RegistrationError(
        _(
            "Beaucoup de personnes s'inscrivent en ce moment : réessayez dans un instant."
        )
    )


def registration_create(*, event_id: int, user, by=None) -> tuple[Registration, bool]:
    """Register `user` (by themselves, or by `by`, a representative of their
    collectivity). Returns (registration, created); registering twice returns the
    existing registration, so a double submit registers once. Whether the person
    may register is `registration_refusal`'s answer, asked with the event locked."""
    by = by or user
    registration = None
    try:
        with transaction.atomic():
            event = _locked_event(event_id)
            # Read with the row locked, once for the whole decision.
            facts = PersonFacts(event, user)
            existing = facts.registration
            if existing:
                return existing, False
            refusal = registration_refusal(event, user, by=by, facts=facts)
            if refusal:
                raise RegistrationError(refusal)
            affiliation = facts.affiliation
            collectivity = (
                affiliation.collectivity
                if affiliation and affiliation.status == AffiliationStatus.APPROVED
                else None
            )
            now = timezone.now()
            left = (
                None
                if event.capacity is None
                else seats_left(event, confirmed=facts.counts["confirmed"])
            )
            status = (
                RegistrationStatus.CONFIRMED
                if left is None or left > 0
                else RegistrationStatus.WAITLISTED
            )
            registration = Registration.objects.create(
                event=event,
                user=user,
                status=status,
                collectivity=collectivity,
                registered_by=by if by.pk != user.pk else None,
                created_at=now,
                confirmed_at=now if status == RegistrationStatus.CONFIRMED else None,
                waitlisted_at=now if status == RegistrationStatus.WAITLISTED else None,
            )
            _notify(
                registration, "confirmed" if status == "confirmee" else "waitlisted"
            )
            if by.pk != user.pk:
                _notify(registration, "registered_by_colleague")
    except OperationalError as error:
        # The commit itself may have failed after the server applied it (the
        # connection lost at that moment): never say "try again" to someone who
        # is registered.
        known, existing = _registered_after_error(event_id, user)
        if existing is not None:
            return existing, registration is not None and existing.pk == registration.pk
        if not known:
            raise RegistrationError(_UNKNOWN_OUTCOME) from error
        raise _busy(error) from error
    return registration, True


_UNKNOWN_OUTCOME = _(
    "Le site n'a pas pu vérifier votre inscription\u00a0: rechargez la page dans un "
    "instant pour savoir si elle est enregistrée."
)


def _registered_after_error(event_id: int, user) -> tuple[bool, Registration | None]:
    """After a database error: (whether the database could answer, the person's
    active registration), read again on a fresh connection when it broke."""
    try:
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
        return True, Registration.objects.filter(
            event_id=event_id, user=user, status__in=ACTIVE_REGISTRATION_STATUSES
        ).first()
    except DatabaseError:
        return False, None


def registration_cancel(*, registration_id: int, by) -> Registration:
    """Cancel a registration: the person before the deadline, or an organizer.
    The freed seat goes to the first person waiting, while registration is open."""
    try:
        with transaction.atomic():
            registration = Registration.objects.select_related("event").get(
                pk=registration_id
            )
            event = _locked_event(registration.event_id)
            registration = Registration.objects.select_for_update().get(
                pk=registration_id
            )
            organizer = can_manage(by, event)
            if not organizer and registration.user_id != by.pk:
                raise RegistrationError(_("Cette inscription n'est pas la vôtre."))
            if registration.status == RegistrationStatus.CANCELLED:
                return registration  # A double submit cancels once.
            if not organizer and timezone.now() >= cancellation_deadline(event):
                raise RegistrationError(
                    _(
                        "La date limite de désinscription est passée : prévenez "
                        "l'équipe organisatrice."
                    )
                )
            registration.status = RegistrationStatus.CANCELLED
            registration.cancelled_at = timezone.now()
            registration.save(update_fields=["status", "cancelled_at"])
            _notify(registration, "cancelled")
            _promote_waitlisted(event)
    except OperationalError as error:
        raise _busy(error) from error
    return registration


def registration_promote(*, registration_id: int, by) -> Registration:
    """An organizer gives a seat to someone waiting, even after registration closed
    (a seat freed the day before is the organizer's call)."""
    with transaction.atomic():
        registration = Registration.objects.get(pk=registration_id)
        event = _locked_event(registration.event_id)
        if not can_manage(by, event):
            raise RegistrationError(_("Seule l'équipe organisatrice peut faire cela."))
        registration = Registration.objects.select_for_update().get(pk=registration_id)
        if registration.status != RegistrationStatus.WAITLISTED:
            raise RegistrationError(_("Cette personne n'est pas en liste d'attente."))
        left = seats_left(event)
        if left is not None and left <= 0:
            raise RegistrationError(
                _("Il n'y a plus de place : augmentez d'abord le nombre de places.")
            )
        _confirm(registration)
    return registration


def event_promote_waitlist(*, event_id: int) -> list[Registration]:
    """After the capacity grew: confirm people waiting, in order, while seats
    remain and registration is open."""
    with transaction.atomic():
        event = _locked_event(event_id)
        return _promote_waitlisted(event)


def _promote_waitlisted(event: EventPage) -> list[Registration]:
    if not registration_is_open(event):
        return []
    promoted = []
    left = seats_left(event)
    waiting = (
        Registration.objects.select_for_update()
        # Never a deleted account (its registrations are cancelled on deletion).
        .filter(event=event, status=RegistrationStatus.WAITLISTED, user__isnull=False)
        .order_by("waitlisted_at", "pk")
    )
    for registration in waiting:
        if left is not None and left <= 0:
            break
        _confirm(registration)
        promoted.append(registration)
        if left is not None:
            left -= 1
    return promoted


def _confirm(registration: Registration) -> None:
    registration.status = RegistrationStatus.CONFIRMED
    registration.confirmed_at = timezone.now()
    registration.save(update_fields=["status", "confirmed_at"])
    _notify(registration, "promoted")


def registration_set_attendance(*, registration_id: int, attended: bool | None, by):
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .select_related("event")
            .get(pk=registration_id)
        )
        if not can_manage(by, registration.event):
            raise RegistrationError(_("Seule l'équipe organisatrice peut faire cela."))
        if registration.status != RegistrationStatus.CONFIRMED:
            raise RegistrationError(
                _("Seule une inscription confirmée peut être pointée.")
            )
        registration.attended = attended
        if attended and not registration.certificate_code:
            from events.certificates import new_certificate_code

            registration.certificate_code = new_certificate_code()
        registration.save(update_fields=["attended", "certificate_code"])
    return registration


def _notify(registration: Registration, kind: str) -> None:
    from events.notifications import notify_registration

    notify_registration(registration, kind)
