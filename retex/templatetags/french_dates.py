"""Dates and times written the French way, in templates, emails and PDFs.

« 1er janvier 2027 » (the first day of a month is an ordinal), « 9 h 30 » and
« 14 h » (no « 14h00 », no « 14:00 »), with no-break spaces inside a time so that
« 9 h 30 » never breaks across two lines. Times are shown in the site's time zone
(Europe/Paris).

Templates: `{% load french_dates %}` then

- `{{ value|french_date }}` → « 1er janvier 2027 »; `{{ value|french_date:"l j F Y" }}`
  → « vendredi 1er janvier 2027 » (any Django date format; `j` is the day);
- `{{ value|french_time }}` → « 9 h 30 »;
- `{{ value|french_datetime }}` → « vendredi 1er janvier 2027 à 9 h 30 »;
- `{% french_time_range start end %}` → « de 9 h 30 à 17 h ».

Python code (emails, certificates, messages) imports the functions.
"""

import datetime

from django import template
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

register = template.Library()

NBSP = "\u00a0"


def _parsed(value):
    """A date or datetime from a date, a datetime or an ISO 8601 string (search
    results carry their dates as text); None otherwise."""
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    return value if isinstance(value, datetime.date) else None


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _day_format(fmt: str, day: int) -> str:
    """`fmt` with its day (`j`) written « 1er » on the first of the month."""
    if day != 1:
        return fmt
    out, escaped = [], False
    for char in fmt:
        if escaped:
            out.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "j":
            out.append("1\\e\\r")
        else:
            out.append(char)
    return "".join(out)


@register.filter
def french_date(value, fmt: str = "j F Y") -> str:
    """« 1er janvier 2027 », « 2 janvier 2027 »; "" for no date."""
    value = _parsed(value) if value else None
    if value is None:
        return ""
    value = _local(value)
    return dateformat.format(value, _day_format(fmt or "j F Y", value.day))


@register.filter
def french_time(value) -> str:
    """« 9 h 30 », « 14 h »; "" for no time."""
    if not value or not isinstance(value, datetime.datetime | datetime.time):
        return ""
    value = _local(value)
    if value.minute:
        return f"{value.hour}{NBSP}h{NBSP}{value.minute:02d}"
    return f"{value.hour}{NBSP}h"


@register.filter
def french_datetime(value, fmt: str = "l j F Y") -> str:
    """« vendredi 1er janvier 2027 à 9 h 30 »."""
    if not value or not isinstance(value, datetime.datetime):
        return ""
    return _("%(date)s à %(time)s") % {
        "date": french_date(value, fmt),
        "time": french_time(value),
    }


@register.simple_tag
def french_time_range(start, end) -> str:
    """« de 9 h 30 à 17 h »."""
    return _("de %(start)s à %(end)s") % {
        "start": french_time(start),
        "end": french_time(end),
    }


def french_duration(minutes: int) -> str:
    """« 6 h 30 », « 2 h », « 45 min »."""
    whole, rest = divmod(max(0, int(minutes)), 60)
    if not whole:
        return f"{rest}{NBSP}min"
    return f"{whole}{NBSP}h{NBSP}{rest:02d}" if rest else f"{whole}{NBSP}h"
