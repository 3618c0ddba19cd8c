"""Calendar feeds: the public agenda and each person's private "my registrations".

- `GET /evenements/agenda.ics`: upcoming events and those of the last 30 days
  that anyone may see (drafts and view-restricted pages never, whoever asks: a
  feed URL is shared and cached), filterable like the agenda (`?theme=`,
  `?kind=`…). Constant number of queries, whatever the number of events.
- `GET /mon-espace/agenda/<token>.ics`: the confirmed registrations of the
  token's owner, with the connection links of online events. Calendar apps cannot
  log in, so the secret URL is the credential: 256 random bits, shown only in the
  person's Mon espace, and reset there (POST), which kills the old URL.
"""

import datetime
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from events.agenda import RECENT_DAYS_IN_FEED, feed_events
from events.calendar import feed_ical, feed_rows, stored_feed_ical, whole_feed_ical
from events.models import CalendarToken, EventPage, Registration, RegistrationStatus
from retex.links import absolute_url
from retex.lookups import lookup_value
from retex.page_cache import cacheable

CONTENT_TYPE = "text/calendar; charset=utf-8"
TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 64


def _calendar_response(data: bytes, *, filename: str, private: bool) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(False, filename)
    if private:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
    else:
        response["Cache-Control"] = "public, max-age=900"
    return response


@require_safe
@cacheable  # The same for everybody (see above).
def agenda_feed(request):
    # The events' stored VEVENTs, concatenated (`events.feed_entries`); the
    # whole feed's stored text when no filter applies.
    events, filtered = feed_events(request, with_filtered=True)
    write = stored_feed_ical if filtered else whole_feed_ical
    data = write(events, name=_("Retex — agenda"), request=request)
    response = _calendar_response(data, filename="agenda.ics", private=False)
    # Only the events' own fields and sessions (no seats): a registration
    # leaves the stored feed alone (`retex.page_cache.invalidation`).
    response.page_cache_tags = ("kind:events.eventpage",)
    return response


# --- Private feed ------------------------------------------------------------------


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def reset_calendar_token(user) -> CalendarToken:
    """Give `user` a new secret feed address; the previous one stops working."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                token, _created = CalendarToken.objects.update_or_create(
                    user=user,
                    defaults={"token": new_token(), "created_at": timezone.now()},
                )
                return token
        except IntegrityError:  # Two resets at once; a clash of tokens never is.
            continue
    raise IntegrityError("Could not store a calendar token")


def private_feed_events(user):
    """The live events `user` is confirmed for, upcoming and recent."""
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS_IN_FEED)
    registered = Registration.objects.filter(
        user=user, status=RegistrationStatus.CONFIRMED
    ).values("event_id")
    return (
        EventPage.objects.live()
        .filter(pk__in=registered, end__gte=since)
        .order_by("start", "pk")
    )


@require_safe
def private_feed(request, token: str):
    token = lookup_value(token, max_length=MAX_TOKEN_LENGTH)
    if token is None:
        raise Http404
    owner = (
        CalendarToken.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if owner is None:
        raise Http404
    events = feed_rows(private_feed_events(owner.user), request=request)
    data = feed_ical(events, name=_("Retex — mes inscriptions"), online_links=True)
    return _calendar_response(data, filename="mes-inscriptions.ics", private=True)


@login_required
@require_POST
def calendar_token_reset(request):
    had_one = CalendarToken.objects.filter(user=request.user).exists()
    reset_calendar_token(request.user)
    if had_one:
        messages.success(
            request,
            _(
                "Nouvelle adresse d'agenda créée : l'ancienne ne fonctionne plus. "
                "Abonnez de nouveau vos agendas."
            ),
        )
    else:
        messages.success(request, _("Votre adresse d'agenda personnel est prête."))
    return redirect(reverse("my_space") + "#agenda-title")


def _feed_urls(request, token: str) -> dict:
    url = absolute_url(reverse("private_calendar_feed", args=[token]))
    return {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}


def calendar_section(request):
    """Mon espace section (registered in `EventsConfig.ready`)."""
    if not request.user.is_authenticated:
        return None
    token = CalendarToken.objects.filter(user=request.user).first()
    context = {"token": token}
    if token:
        context.update(_feed_urls(request, token.token))
    return {"template": "events/my_space_calendar.html", "context": context}
