"""Public subscriptions to the letter, with double opt-in, and unsubscribing.

Subscribing (the form on /lettre/) records the address unconfirmed and sends a
confirmation link (signed, valid `CONFIRMATION_DAYS` days); only a POST from
the page that link opens confirms it (a GET never does: mail scanners follow
links). The answer is the same whether the address was known or not, so the
form tells nobody who subscribes. A new confirmation email goes at most once
every `RESEND_MINUTES` to the same address.
"""

import datetime

from django import forms
from django.core import signing
from django.db import IntegrityError, transaction
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from following.tokens import masked, register_unsubscriber
from letter.models import Subscriber
from retex.links import absolute_url
from retex.ratelimit import consume, too_many_requests_page
from retex.tasks import enqueue_after_commit, send_email

CONFIRM_SALT = "retex.letter.confirm"
CONFIRMATION_DAYS = 7
RESEND_MINUTES = 10


def public_subscriptions_open() -> bool:
    from letter.sending import public_subscribers_allowed

    return public_subscribers_allowed()


class SubscriptionForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Votre adresse électronique"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def subscribe(email: str) -> bool:
    """Record the address and send its confirmation link; returns whether an
    email was sent (False: already confirmed, or a link was sent moments ago)."""
    email = email.strip()
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                subscriber, _created = Subscriber.objects.get_or_create(
                    email__iexact=email, defaults={"email": email}
                )
        except IntegrityError:
            subscriber = Subscriber.objects.get(email__iexact=email)
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.active:
            return False
        recent = subscriber.confirmation_sent_at and (
            now - subscriber.confirmation_sent_at
            < datetime.timedelta(minutes=RESEND_MINUTES)
        )
        if recent:
            return False
        subscriber.confirmation_sent_at = now
        subscriber.save(update_fields=["confirmation_sent_at"])
        token = signing.dumps(subscriber.pk, salt=CONFIRM_SALT)
        link = absolute_url(reverse("letter_confirm", kwargs={"token": token}))
        enqueue_after_commit(
            send_email,
            subject=_("Confirmez votre abonnement à la lettre du réseau Retex"),
            body=render_to_string(
                "letter/email/confirm.txt", {"link": link, "days": CONFIRMATION_DAYS}
            ),
            to=[subscriber.email],
        )
    return True


def subscribe_view(request, index_page):
    if not public_subscriptions_open():
        return index_page.serve(_as_get(request))
    wait = consume(request, "letter_subscribe")
    if wait:
        return too_many_requests_page(request, wait)
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        context = index_page.get_context(request)
        context["form"] = form
        return render(request, "letter/letter_index_page.html", context, status=400)
    subscribe(form.cleaned_data["email"])
    return render(request, "letter/subscription_sent.html", {"page": index_page})


def _as_get(request):
    request.method = "GET"
    return request


def _subscriber_from(token: str) -> Subscriber | None:
    try:
        subscriber_id = signing.loads(
            token, salt=CONFIRM_SALT, max_age=datetime.timedelta(days=CONFIRMATION_DAYS)
        )
    except signing.BadSignature:
        return None
    if not isinstance(subscriber_id, int):
        return None
    return Subscriber.objects.filter(pk=subscriber_id).first()


@require_http_methods(["GET", "POST"])
def confirm_view(request, token: str):
    subscriber = _subscriber_from(token)
    if subscriber is None:
        return render(request, "letter/confirm_invalid.html", status=404)
    if request.method == "POST":
        Subscriber.objects.filter(pk=subscriber.pk).update(
            confirmed_at=timezone.now(), unsubscribed_at=None
        )
        return render(
            request, "letter/confirm_done.html", {"address": masked(subscriber.email)}
        )
    return render(request, "letter/confirm.html", {"address": masked(subscriber.email)})


def _describe(subscriber_id: int) -> str | None:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    return masked(subscriber.email) if subscriber else None


def _unsubscribe(subscriber_id: int, category: str) -> str | None:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return None
    Subscriber.objects.filter(pk=subscriber_id, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )
    return masked(subscriber.email)


def register() -> None:
    register_unsubscriber("subscriber", unsubscribe=_unsubscribe, describe=_describe)
