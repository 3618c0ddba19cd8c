"""Attendance certificates (attestations de présence).

A confirmed participant marked present gets a verification code (set by
`registration_set_attendance`) and, once the event is over, downloads a PDF from
"Mon espace". Anybody holding the paper can check the code on
`/attestations/verifier/`, which confirms only initials, the event and its date.
"""

import re
import secrets
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.models import Registration, RegistrationStatus
from retex.links import absolute_url
from retex.templatetags.french_dates import french_date, french_time
from territories.text import with_article

# No 0/O or 1/I/L: the code is typed back from paper.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE_LENGTH = 12
_CODE_RE = re.compile(f"[{_ALPHABET}]{{{_CODE_LENGTH}}}")


def new_certificate_code() -> str:
    """A verification code printed on the certificate, e.g. "K7QM-2XRT-P9WD"."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(_CODE_LENGTH))
    return _dashed(raw)


def _dashed(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, _CODE_LENGTH, 4))


def normalize_code(value) -> str | None:
    """The code as stored ("K7QM-2XRT-P9WD") from what a person typed (any case,
    spaces or dashes anywhere), or None when it cannot be a certificate code."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    raw = re.sub(r"[\s.\-\u2010-\u2015]", "", value).upper()
    if not _CODE_RE.fullmatch(raw):
        return None
    return _dashed(raw)


# --- Who gets a certificate ---------------------------------------------------------


def certificate_eligible(registration: Registration, *, now=None) -> bool:
    """A confirmed participant, marked present, of an event that is over."""
    now = now or timezone.now()
    event = registration.event
    return bool(
        registration.user_id
        and registration.status == RegistrationStatus.CONFIRMED
        and registration.attended is True
        and registration.certificate_code
        and not event.cancelled
        and event.end <= now
    )


def certificate_registration_for(user, registration_id: int) -> Registration | None:
    """This person's own registration when it gives a certificate now, else None
    (someone else's, absent, not over yet: all alike to the caller)."""
    if not user.is_authenticated:
        return None
    registration = (
        Registration.objects.select_related("event", "user")
        .prefetch_related("event__sessions")
        .filter(pk=registration_id, user=user)
        .first()
    )
    if registration is None or not certificate_eligible(registration):
        return None
    return registration


# --- What the certificate says ------------------------------------------------------


def format_hours(hours: float) -> str:
    """3.5 → "3 h 30", 2 → "2 h"."""
    minutes = round(hours * 60)
    whole, rest = divmod(minutes, 60)
    return f"{whole} h {rest:02d}" if rest else f"{whole} h"


def _day(value) -> str:
    return french_date(value, "l j F Y")


def _time(value) -> str:
    # Plain spaces: the PDF wraps its lines itself.
    return french_time(value).replace("\u00a0", " ")


@dataclass
class CertificateSession:
    label: str
    day: str
    start: str
    end: str
    hours: float
    # « 12 h 30 », « 13 h 30 »: a break, not counted in `hours`.
    break_start: str = ""
    break_end: str = ""

    @property
    def hours_display(self) -> str:
        return format_hours(self.hours)


def certificate_sessions(event) -> list[CertificateSession]:
    """The sessions attended; the event's start and end when it has none."""
    sessions = [
        CertificateSession(
            label=session.label,
            day=_day(session.start),
            start=_time(session.start),
            end=_time(session.end),
            hours=session.hours,
            **_break_times(session),
        )
        for session in sorted(event.sessions.all(), key=lambda s: s.start)
    ]
    if sessions:
        return sessions
    hours = round((event.end - event.start).total_seconds() / 3600, 2)
    start_day, end_day = _day(event.start), _day(event.end)
    if start_day == end_day:
        return [
            CertificateSession(
                "", start_day, _time(event.start), _time(event.end), hours
            )
        ]
    return [
        CertificateSession(
            "",
            _("du %(start)s") % {"start": f"{start_day}, {_time(event.start)}"},
            "",
            _("au %(end)s") % {"end": f"{end_day}, {_time(event.end)}"},
            hours,
        )
    ]


def _break_times(session) -> dict:
    bounds = session.break_bounds() if session.break_minutes else None
    if bounds is None:
        return {}
    return {"break_start": _time(bounds[0]), "break_end": _time(bounds[1])}


def certificate_collectivity(registration: Registration):
    """The collectivity the person came for: the one they were attached to when
    they registered, else the one they are attached to now."""
    if registration.collectivity_id:
        return registration.collectivity
    from members.affiliation import open_affiliation
    from members.models import AffiliationStatus

    affiliation = open_affiliation(registration.user) if registration.user else None
    if affiliation is not None and affiliation.status == AffiliationStatus.APPROVED:
        return affiliation.collectivity
    return None


def event_place(event) -> str:
    if event.online:
        return _("en ligne (classe virtuelle)")
    parts = [event.venue, event.address, f"{event.postcode} {event.city}".strip()]
    return ", ".join(part for part in parts if part)


def organization_name() -> str:
    from retex.models import SiteSettings

    return SiteSettings.load().association_name or "Retex"


def verification_url(code: str) -> str:
    return absolute_url(f"/attestations/verifier/?code={code}")


def certificate_context(registration: Registration) -> dict:
    event = registration.event
    user = registration.user
    sessions = certificate_sessions(event)
    total = round(sum(session.hours for session in sessions), 2)
    collectivity = certificate_collectivity(registration)
    return {
        "name": user.get_full_name() or user.email,
        "function": user.function_title,
        "collectivity": collectivity.title if collectivity else "",
        "title": event.title,
        "kind": event.get_kind_display(),
        "sessions": sessions,
        "total_hours": total,
        "total_display": format_hours(total),
        "place": event_place(event),
        "organization": organization_name(),
        "agreement_number": getattr(settings, "RETEX_TRAINING_AGREEMENT_NUMBER", ""),
        "code": registration.certificate_code,
        "verification_url": verification_url(registration.certificate_code),
        "issued_on": french_date(timezone.localdate()),
    }


# --- The PDF ------------------------------------------------------------------------

# The PDF's standard fonts cover Windows-1252 (French included); anything else in a
# name is spelled without its accent, or replaced, rather than failing.
_REPLACEMENTS = {
    "\u202f": " ",
    "\u2011": "-",
    "\u2010": "-",
    "\u00ad": "",
    # Letters that do not decompose into a base letter and an accent.
    "Ł": "L",
    "ł": "l",
    "Đ": "D",
    "đ": "d",
    "\u0131": "i",  # Dotless i.
    "Ħ": "H",
    "ħ": "h",
}


def _pdf_text(value: str) -> str:
    value = unicodedata.normalize("NFC", str(value))
    out = []
    for char in value:
        char = _REPLACEMENTS.get(char, char)
        try:
            char.encode("cp1252")
        except UnicodeEncodeError:
            ascii_form = (
                unicodedata.normalize("NFKD", char)
                .encode("ascii", "ignore")
                .decode("ascii")
            )
            char = ascii_form or "?"
        out.append(char)
    return "".join(out)


def certificate_pdf(registration: Registration) -> bytes:
    """The certificate of a participant, as a one-page A4 PDF."""
    from fpdf import FPDF

    with translation.override(settings.LANGUAGE_CODE):
        data = certificate_context(registration)
        texts = _certificate_texts(data)

    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "cp1252"
    pdf.set_title(_pdf_text(texts["document_title"]))
    pdf.set_author(_pdf_text(data["organization"]))
    pdf.set_creator("Retex")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()

    def line(text, *, size=11, style="", height=6, align="L", gap=0):
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(
            0, height, _pdf_text(text), align=align, new_x="LMARGIN", new_y="NEXT"
        )
        if gap:
            pdf.ln(gap)

    line(data["organization"], size=13, style="B")
    if data["agreement_number"]:
        line(texts["agreement"], size=9)
    pdf.ln(12)
    line(texts["heading"], size=18, style="B", height=10, align="C", gap=10)
    line(texts["statement"], gap=4)
    line(data["title"], size=13, style="B", height=7)
    line(texts["kind"], gap=4)
    line(texts["sessions_heading"], style="B")
    for session in texts["sessions"]:
        line(f"- {session}", size=10.5)
    pdf.ln(2)
    line(texts["total"], style="B")
    line(texts["place"], gap=6)
    line(texts["dife"], size=10, gap=6)
    line(texts["issued"], gap=2)
    line(texts["signature"], gap=14)
    pdf.set_draw_color(160, 160, 160)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(3)
    line(texts["code"], size=10, style="B")
    line(texts["verify"], size=9)
    return bytes(pdf.output())


def _certificate_texts(data: dict) -> dict:
    person = data["name"]
    of_collectivity = with_article(data["collectivity"]) if data["collectivity"] else ""
    if data["function"] and of_collectivity:
        person = f"{person}, {data['function']} {of_collectivity},"
    elif data["function"]:
        person = f"{person}, {data['function']},"
    elif of_collectivity:
        person = f"{person}, {of_collectivity},"
    sessions = []
    for session in data["sessions"]:
        label = f"{session.label} : " if session.label else ""
        if session.start:
            when = _("%(day)s, de %(start)s à %(end)s") % {
                "day": session.day,
                "start": session.start,
                "end": session.end,
            }
        else:
            when = f"{session.day} {session.end}"
        if session.break_start:
            when += " " + _("(pause de %(start)s à %(end)s)") % {
                "start": session.break_start,
                "end": session.break_end,
            }
        sessions.append(f"{label}{when} ({session.hours_display})")
    return {
        "document_title": _("Attestation de présence — %(title)s")
        % {"title": data["title"]},
        "heading": _("ATTESTATION DE PRÉSENCE"),
        "agreement": _("Organisme agréé pour la formation des élus locaux, n° %(n)s")
        % {"n": data["agreement_number"]},
        "statement": _(
            "%(organization)s atteste que %(person)s a suivi, en qualité de "
            "participant·e, l'action suivante :"
        )
        % {"organization": data["organization"], "person": person},
        "kind": _("Type : %(kind)s") % {"kind": data["kind"]},
        "sessions_heading": _("Dates et heures de présence :"),
        "sessions": sessions,
        "total": _("Durée totale : %(total)s") % {"total": data["total_display"]},
        "place": _("Lieu : %(place)s") % {"place": data["place"]},
        "dife": _(
            "Les élus locaux peuvent produire cette attestation à l'appui de leur "
            "droit individuel à la formation des élus (DIFE) et de leurs demandes "
            "de prise en charge."
        ),
        "issued": _("Fait le %(date)s, pour servir et valoir ce que de droit.")
        % {"date": data["issued_on"]},
        "signature": _("Pour %(organization)s, l'équipe organisatrice")
        % {"organization": data["organization"]},
        "code": _("Code de vérification : %(code)s") % {"code": data["code"]},
        "verify": _("Authenticité vérifiable sur %(url)s")
        % {"url": data["verification_url"]},
    }


# --- Public verification ------------------------------------------------------------


@dataclass
class Verification:
    """What the public verification page may say about a code."""

    valid_format: bool
    genuine: bool = False
    initials: str = ""
    title: str = ""
    date: str = ""


def _initials(user) -> str:
    if user is None:
        return "—"
    parts = [user.first_name, user.last_name]
    letters = [f"{part.strip()[0].upper()}." for part in parts if part.strip()]
    return " ".join(letters) or "—"


def verify_certificate_code(value) -> Verification:
    code = normalize_code(value)
    if code is None:
        return Verification(valid_format=False)
    registration = (
        Registration.objects.select_related("event", "user")
        .filter(certificate_code=code)
        .first()
    )
    if registration is None or not (
        registration.status == RegistrationStatus.CONFIRMED
        and registration.attended is True
        and not registration.event.cancelled
        and registration.event.end <= timezone.now()
    ):
        return Verification(valid_format=True)
    event = registration.event
    start, end = _day(event.start), _day(event.end)
    return Verification(
        valid_format=True,
        genuine=True,
        initials=_initials(registration.user),
        title=event.title,
        date=start
        if start == end
        else _("du %(start)s au %(end)s") % {"start": start, "end": end},
    )
