"""Event pages, registration and the agenda: thin views over `events.registration`.

Each view here is also declared as one of the event page's Wagtail routes
(`event_page_route`): the page model imports no view, the views import it.
"""

import logging

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import DatabaseError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from wagtail.contrib.routable_page.models import path as routable_path

from events.calendar import event_calendar
from events.models import EventPage, RegistrationStatus
from events.registration import (
    MEMBERS_ONLY_REFUSAL,
    SIGN_IN_REFUSAL,
    UNKNOWN_FUNCTION_AGENTS,
    UNKNOWN_FUNCTION_ELECTED,
    VERIFY_EMAIL_REFUSAL,
    PersonFacts,
    RegistrationError,
    active_registration,
    audience_rule,
    cancellation_consequences,
    cancellation_deadline,
    closed_reason,
    colleagues_for,
    registration_cancel,
    registration_create,
    registration_refusal,
    seats_left,
    waitlist_position,
)
from retex.page_cache import rendering_shell, serve_with_personal_parts
from retex.ratelimit import rate_limited
from retex.visibility import page_restrictions_failed

logger = logging.getLogger(__name__)


def event_page_route(pattern: str, *, name: str):
    """Declare `view(request, event)` as the route `pattern` of every event page
    (`<event URL>pattern`). Wagtail's `RoutablePageMixin` reads the routes from
    the page class; they are put there from here, where the views are."""

    def declare(view):
        def route(event, request, *args, **kwargs):
            return view(request, event, *args, **kwargs)

        route.__name__ = route.__qualname__ = name
        route.__doc__ = view.__doc__
        setattr(EventPage, name, routable_path(pattern, name=name)(route))
        return view

    return declare


def _refusal_action(refusal) -> str | None:
    """What the person can do about a refusal, shown as links next to it.

    By identity: `registration_refusal` returns these very lazy strings (equality
    or hashing would translate them)."""
    for message, action in (
        (SIGN_IN_REFUSAL, "sign_in"),
        (VERIFY_EMAIL_REFUSAL, "verify_email"),
        (MEMBERS_ONLY_REFUSAL, "join"),
        (UNKNOWN_FUNCTION_ELECTED, "profile"),
        (UNKNOWN_FUNCTION_AGENTS, "profile"),
    ):
        if refusal is message:
            return action
    return None


def event_page_context(request, event) -> dict:
    """The person's own parts of the event page: the registration panel."""
    user = request.user
    if event.is_past():
        # Over: no seats, no registration message, nothing to do (the synthesis
        # and materials are in the shared part of the page).
        return {"past": True, "registration": None, "refusal": None}
    # Each thing read once for the panel, the refusal and the colleagues.
    facts = PersonFacts(event, user)
    numbers = facts.counts
    registration = facts.registration
    refusal = None if registration else registration_refusal(event, user, facts=facts)
    context = {
        "past": False,
        "audience_rule": audience_rule(event),
        "registration": registration,
        "position": waitlist_position(registration) if registration else None,
        "confirmed_count": numbers["confirmed"],
        "waitlisted_count": numbers["waitlisted"],
        "seats_left": seats_left(event, confirmed=numbers["confirmed"]),
        "closed_reason": closed_reason(event),
        "cancellation_deadline": cancellation_deadline(event),
        "show_online_link": bool(
            registration
            and registration.status == RegistrationStatus.CONFIRMED
            and event.online_link
        ),
        # Exactly what the registration service would answer (None: the button).
        "refusal": refusal,
        "refusal_action": _refusal_action(refusal),
        "colleagues": list(colleagues_for(user, event, facts=facts)[:200])
        if user.is_authenticated
        else [],
    }
    return context


@event_page_route("", name="index_route")
def event_page(request, event):
    """The event page. Signed-in people share its shell and get their own parts
    (registration panel, online link) rendered in (`retex.page_cache`)."""

    def serve():
        # While the shared shell is rendered, the personal parts are markers:
        # their context is not computed.
        personal = (
            {} if rendering_shell(request) else event_page_context(request, event)
        )
        request.is_preview = getattr(request, "is_preview", False)
        return event.render(request, context_overrides=personal)

    return serve_with_personal_parts(event, request, serve=serve)


def personal_part_renderer(event, request):
    """Renders the person's own parts of the page (registration panel, online
    link), sharing one computation of their context (`retex.page_cache`)."""
    context = None

    def render(template_name):
        nonlocal context
        if context is None:
            context = {"page": event, "self": event}
            context.update(event_page_context(request, event))
        return render_to_string(template_name, context, request=request)

    return render


EventPage.personal_part_renderer = personal_part_renderer


def _back(event):
    return redirect(event.url)


@event_page_route("inscription/", name="register")
@rate_limited("event_registration")
@csrf_protect
def register(request, event):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(event.url)
    if page_restrictions_failed(event, request.user):
        raise Http404
    target = request.user
    colleague_id = request.POST.get("colleague")
    if colleague_id:
        target = (
            colleagues_for(request.user, event).filter(pk=_int(colleague_id)).first()
        )
        if target is None:
            messages.error(
                request, _("Choisissez un ou une collègue de votre collectivité.")
            )
            return _back(event)
    try:
        registration, created = registration_create(
            event_id=event.pk, user=target, by=request.user
        )
    except RegistrationError as error:
        messages.error(request, error.message)
        return _back(event)
    # Committed from here on: whatever fails now, the person is told the truth.
    try:
        _announce(request, registration, created=created, target=target)
    except DatabaseError:
        logger.exception(
            "Registration %s saved, its details unreadable", registration.pk
        )
        if target != request.user:
            messages.success(
                request,
                _("L'inscription de %(name)s est enregistrée.") % {"name": target},
            )
        else:
            messages.success(request, _("Votre inscription est enregistrée."))
    return _back(event)


def _announce(request, registration, *, created: bool, target) -> None:
    if not created:
        messages.info(request, _("Cette inscription est déjà enregistrée."))
    elif target != request.user:
        messages.success(
            request,
            _("%(name)s est inscrit·e ; un courriel l'en informe.") % {"name": target},
        )
    elif registration.status == RegistrationStatus.CONFIRMED:
        messages.success(
            request, _("Votre inscription est confirmée. Un courriel suit.")
        )
    else:
        messages.success(
            request,
            _(
                "L'événement est complet : vous êtes en liste d'attente (position %(n)s)."
            )
            % {"n": waitlist_position(registration)},
        )


@event_page_route("desinscription/", name="unregister")
@rate_limited("event_registration")
@csrf_protect
def unregister(request, event):
    """GET: what cancelling will do, and a button to confirm (no JavaScript);
    POST: cancel."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if page_restrictions_failed(event, request.user):
        raise Http404
    registration = active_registration(event, request.user)
    if registration is None:
        messages.info(request, _("Vous n'êtes pas inscrit·e à cet événement."))
        return _back(event)
    if request.method != "POST":
        return TemplateResponse(
            request,
            "events/unregister_confirm.html",
            {"page": event, "self": event, **cancellation_consequences(registration)},
        )
    try:
        registration_cancel(registration_id=registration.pk, by=request.user)
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Votre inscription est annulée."))
    return _back(event)


# Reached through `project/urls.py`: Wagtail's own pattern allows no dot.
@event_page_route("evenement.ics/", name="event_ics")
def event_ics(request, event):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if page_restrictions_failed(event, request.user):
        raise Http404
    response = HttpResponse(
        event_calendar([event]).to_ical(), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"{event.slug}.ics"
    )
    return response


def _int(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return -1
    return number if 0 < number < 2**63 else -1
