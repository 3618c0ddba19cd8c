"""What organizers do with an event's registrations, outside the rules themselves:
listings, exports, the sign-in sheet, writing to participants.

Plain functions, called by the admin views (`events.admin_views`); changes to
registrations go through `events.registration`. Every function reads a constant
number of queries, whatever the number of registrations.
"""

import csv
import io
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from events.models import EventPage, Registration, RegistrationStatus
from events.registration import seats_left
from retex.links import absolute_url, page_url

STATUS_ORDER = Case(
    When(status=RegistrationStatus.CONFIRMED, then=Value(0)),
    When(status=RegistrationStatus.WAITLISTED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


# --- Listing -------------------------------------------------------------------------


def event_counts(event: EventPage) -> dict:
    """Confirmed, waitlisted and cancelled registrations, and the seats left (None:
    no limit), in one query."""
    row = Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        cancelled=Count("pk", filter=Q(status=RegistrationStatus.CANCELLED)),
        present=Count(
            "pk", filter=Q(status=RegistrationStatus.CONFIRMED, attended=True)
        ),
    )
    row["seats_left"] = seats_left(event, confirmed=row["confirmed"])
    return row


def event_registrations(event: EventPage, *, status: str | None = None):
    """The event's registrations: confirmed first, then the waitlist in order, then
    cancellations; with the people and collectivities, without further queries."""
    queryset = (
        Registration.objects.filter(event=event)
        .select_related("user", "collectivity", "registered_by")
        .annotate(status_order=STATUS_ORDER)
        .order_by("status_order", "waitlisted_at", "created_at", "pk")
    )
    if status in RegistrationStatus.values:
        queryset = queryset.filter(status=status)
    return queryset


def waitlist_positions(event: EventPage) -> dict[int, int]:
    """{registration id: position} for everybody waiting, in one query (the same
    order as `events.registration.waitlist_position`)."""
    waiting = (
        Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED)
        .order_by("waitlisted_at", "pk")
        .values_list("pk", flat=True)
    )
    return {pk: position for position, pk in enumerate(waiting, start=1)}


def registrations_with_positions(event: EventPage, *, status: str | None = None):
    """The listing: registrations, each with `.position` (None unless waiting)."""
    positions = waitlist_positions(event) if status in (None, "attente") else {}
    registrations = list(event_registrations(event, status=status))
    for registration in registrations:
        registration.position = positions.get(registration.pk)
    return registrations


# --- Exports -------------------------------------------------------------------------

EXPORT_HEADINGS = [
    "Nom",
    "Prénom",
    "Adresse électronique",
    "Collectivité",
    "Fonction",
    "État",
    "Position en liste d'attente",
    "Inscrit·e le",
    "Inscrit·e par",
    "Présence",
]


def _attendance_label(attended) -> str:
    if attended is True:
        return _("présent·e")
    if attended is False:
        return _("absent·e")
    return ""


def export_rows(event: EventPage) -> list[list]:
    """One row per registration, headings first. Dates are local date-times."""
    rows = [EXPORT_HEADINGS]
    for registration in registrations_with_positions(event):
        user = registration.user
        rows.append(
            [
                user.last_name if user else _("(compte supprimé)"),
                user.first_name if user else "",
                user.email if user else "",
                registration.collectivity.title if registration.collectivity else "",
                user.function_title if user else "",
                registration.get_status_display(),
                registration.position or "",
                timezone.localtime(registration.created_at).replace(tzinfo=None),
                str(registration.registered_by) if registration.registered_by else "",
                _attendance_label(registration.attended),
            ]
        )
    return rows


def _safe_cell(value):
    """Text a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_filename(event: EventPage, extension: str) -> str:
    return f"inscriptions-{event.slug}-{timezone.localdate():%Y-%m-%d}.{extension}"


def registrations_csv(event: EventPage) -> str:
    """The export as CSV text (semicolons, UTF-8 with a BOM for spreadsheets)."""
    output = io.StringIO()
    output.write("\ufeff")
    writer = csv.writer(output, delimiter=";")
    for row in export_rows(event):
        writer.writerow(
            [
                value.strftime("%d/%m/%Y %H:%M")
                if hasattr(value, "strftime")
                else value
                for value in map(_safe_cell, row)
            ]
        )
    return output.getvalue()


def registrations_xlsx(event: EventPage) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Inscriptions"
    for row in export_rows(event):
        sheet.append([_safe_cell(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet["H"][1:]:
        cell.number_format = "DD/MM/YYYY HH:MM"
    widths = [20, 16, 32, 32, 28, 16, 12, 18, 24, 12]
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- Sign-in sheet (feuille d'émargement) -------------------------------------------


@dataclass
class SheetSession:
    label: str
    start: object
    end: object
    participants: list = field(default_factory=list)

    @property
    def same_day(self) -> bool:
        return (
            timezone.localtime(self.start).date() == timezone.localtime(self.end).date()
        )


def sign_in_sheet(event: EventPage) -> list[SheetSession]:
    """One sheet per session (the event's start and end when it has none), each with
    every confirmed participant, sorted by name."""
    participants = sorted(
        (
            registration
            for registration in event_registrations(
                event, status=RegistrationStatus.CONFIRMED
            )
            if registration.user_id
        ),
        key=lambda r: (r.user.last_name.lower(), r.user.first_name.lower(), r.pk),
    )
    sessions = sorted(event.sessions.all(), key=lambda s: s.start)
    if not sessions:
        return [SheetSession("", event.start, event.end, participants)]
    return [
        SheetSession(session.label, session.start, session.end, participants)
        for session in sessions
    ]


# --- Writing to participants --------------------------------------------------------


def recipients(event: EventPage, *, include_waitlisted: bool = False) -> list:
    """People a message to participants goes to: confirmed (and, if asked,
    waitlisted) registrations of active accounts, one entry per address."""
    statuses = [RegistrationStatus.CONFIRMED]
    if include_waitlisted:
        statuses.append(RegistrationStatus.WAITLISTED)
    registrations = (
        Registration.objects.filter(
            event=event, status__in=statuses, user__is_active=True
        )
        .select_related("user")
        .order_by("pk")
    )
    seen, people = set(), []
    for registration in registrations:
        email = registration.user.email.strip().lower()
        if email and email not in seen:
            seen.add(email)
            people.append(registration.user)
    return people


def _event_when(event: EventPage) -> str:
    start = timezone.localtime(event.start)
    return dateformat.format(start, "l j F Y")


def email_participants(
    event: EventPage, *, subject: str, message: str, include_waitlisted: bool, by
) -> int:
    """Send `message` to each participant, one email per person (nobody sees the
    others' addresses), by background tasks once the transaction commits. Returns
    the number of emails."""
    from events.registration import can_manage
    from retex.models import SiteSettings
    from retex.tasks import enqueue_after_commit, send_email

    if not can_manage(by, event):
        raise PermissionError("Only organizers may write to participants.")
    site_settings = SiteSettings.load()
    reply_to = [site_settings.contact_email] if site_settings.contact_email else None
    full_subject = f"[Retex] {subject.strip()}"
    footer = _(
        "Vous recevez ce message parce que vous êtes inscrit·e à « %(title)s » "
        "(%(date)s).\n%(url)s\n\nVos inscriptions : %(my_space)s"
    ) % {
        "title": event.title,
        "date": _event_when(event),
        "url": page_url(event),
        "my_space": absolute_url(reverse("my_space")),
    }
    people = recipients(event, include_waitlisted=include_waitlisted)
    for person in people:
        greeting = _("Bonjour %(name)s,") % {"name": person.first_name or person.email}
        body = f"{greeting}\n\n{message.strip()}\n\n-- \n{footer}\n"
        enqueue_after_commit(
            send_email,
            subject=full_subject,
            body=body,
            to=[person.email],
            reply_to=reply_to,
        )
    return len(people)
