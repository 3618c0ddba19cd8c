"""Organizers' views in the Wagtail admin: an event's registrations, exports,
sign-in sheet, attendance, cancellations, promotions, writing to participants.

Only people who may edit the event page (`can_manage`) get past `_event_for`;
changes go through `events.registration`, reads through `events.organizers`.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events import organizers
from events.models import EventPage, Registration, RegistrationStatus
from events.registration import (
    RegistrationError,
    can_manage,
    registration_cancel,
    registration_promote,
    registration_set_attendance,
)

STATUS_FILTERS = [
    ("", gettext_lazy("Toutes")),
    (RegistrationStatus.CONFIRMED, gettext_lazy("Confirmées")),
    (RegistrationStatus.WAITLISTED, gettext_lazy("Liste d'attente")),
    (RegistrationStatus.CANCELLED, gettext_lazy("Annulées")),
]


def _event_for(request, event_id: int) -> EventPage:
    event = EventPage.objects.filter(pk=event_id).first()
    if event is None:
        raise Http404
    if not can_manage(request.user, event):
        raise PermissionDenied
    return event


def _registration_of(event: EventPage, registration_id: int) -> Registration:
    registration = Registration.objects.filter(pk=registration_id, event=event).first()
    if registration is None:
        raise Http404
    return registration


def _status_param(value) -> str:
    return value if value in RegistrationStatus.values else ""


def _back_to_list(event: EventPage, status: str = ""):
    url = reverse("events_registrations", args=[event.pk])
    status = _status_param(status)
    if status:
        url += "?" + urlencode({"statut": status})
    return redirect(url)


def _person(registration: Registration) -> str:
    return str(registration.user) if registration.user else _("compte supprimé")


@require_GET
def registrations_list(request, event_id: int):
    event = _event_for(request, event_id)
    status = _status_param(request.GET.get("statut", ""))
    context = {
        "event": event,
        "registrations": organizers.registrations_with_positions(
            event, status=status or None
        ),
        "numbers": organizers.event_counts(event),
        "status": status,
        "status_filters": [
            (value, label, value == status) for value, label in STATUS_FILTERS
        ],
        "header_title": _("Inscriptions : %(title)s") % {"title": event.title},
        "event_is_over": event.end <= timezone.now(),
    }
    return TemplateResponse(request, "events/admin/registrations.html", context)


@require_GET
def registrations_export_csv(request, event_id: int):
    event = _event_for(request, event_id)
    response = HttpResponse(
        organizers.registrations_csv(event), content_type="text/csv; charset=utf-8"
    )
    filename = organizers.export_filename(event, "csv")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_GET
def registrations_export_xlsx(request, event_id: int):
    event = _event_for(request, event_id)
    response = HttpResponse(
        organizers.registrations_xlsx(event),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = organizers.export_filename(event, "xlsx")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_GET
def sign_in_sheet(request, event_id: int):
    event = _event_for(request, event_id)
    sessions = organizers.sign_in_sheet(event)
    days = sorted(
        {timezone.localtime(s.start).date() for s in sessions}
        | {timezone.localtime(s.end).date() for s in sessions}
    )
    return TemplateResponse(
        request,
        "events/admin/sign_in_sheet.html",
        {
            "event": event,
            "sessions": sessions,
            "days": days,
            "back_url": reverse("events_registrations", args=[event.pk]),
        },
    )


@require_POST
def registration_attendance(request, event_id: int, registration_id: int):
    event = _event_for(request, event_id)
    registration = _registration_of(event, registration_id)
    attended = {"1": True, "0": False, "": None}.get(request.POST.get("attended"), ...)
    if attended is ...:
        messages.error(request, _("Choisissez présent ou absent."))
        return _back_to_list(event, request.POST.get("statut", ""))
    try:
        registration_set_attendance(
            registration_id=registration.pk, attended=attended, by=request.user
        )
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        if attended is True:
            text = _("%(name)s est noté·e présent·e.")
        elif attended is False:
            text = _("%(name)s est noté·e absent·e.")
        else:
            text = _("La présence de %(name)s est effacée.")
        messages.success(request, text % {"name": _person(registration)})
    return _back_to_list(event, request.POST.get("statut", ""))


@require_POST
def registration_cancel_view(request, event_id: int, registration_id: int):
    event = _event_for(request, event_id)
    registration = _registration_of(event, registration_id)
    if registration.status == RegistrationStatus.CANCELLED:
        messages.info(request, _("Cette inscription est déjà annulée."))
        return _back_to_list(event, request.POST.get("statut", ""))
    try:
        registration_cancel(registration_id=registration.pk, by=request.user)
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("L'inscription de %(name)s est annulée ; un courriel l'en informe.")
            % {"name": _person(registration)},
        )
    return _back_to_list(event, request.POST.get("statut", ""))


@require_POST
def registration_promote_view(request, event_id: int, registration_id: int):
    event = _event_for(request, event_id)
    registration = _registration_of(event, registration_id)
    try:
        registration_promote(registration_id=registration.pk, by=request.user)
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "%(name)s a une place : son inscription est confirmée et un courriel l'en informe."
            )
            % {"name": _person(registration)},
        )
    return _back_to_list(event, request.POST.get("statut", ""))


class ParticipantsEmailForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Objet"), max_length=150)
    message = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy(
            "Envoyé à chaque personne séparément : personne ne voit les adresses des "
            "autres. « Bonjour Prénom, » est ajouté au début, le rappel de "
            "l'événement à la fin."
        ),
    )
    include_waitlisted = forms.BooleanField(
        label=gettext_lazy("Écrire aussi aux personnes en liste d'attente"),
        required=False,
    )


@require_http_methods(["GET", "POST"])
def participants_email(request, event_id: int):
    event = _event_for(request, event_id)
    form = ParticipantsEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = organizers.email_participants(
            event,
            subject=form.cleaned_data["subject"],
            message=form.cleaned_data["message"],
            include_waitlisted=form.cleaned_data["include_waitlisted"],
            by=request.user,
        )
        if sent:
            messages.success(
                request,
                _("Message envoyé à %(count)s personne(s), chacune séparément.")
                % {"count": sent},
            )
        else:
            messages.warning(
                request, _("Personne à qui écrire : aucun message envoyé.")
            )
        return _back_to_list(event)
    numbers = organizers.event_counts(event)
    return TemplateResponse(
        request,
        "events/admin/participants_email.html",
        {
            "event": event,
            "form": form,
            "numbers": numbers,
            "header_title": _("Écrire aux participants : %(title)s")
            % {"title": event.title},
        },
    )
