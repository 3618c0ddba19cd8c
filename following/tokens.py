"""Signed unsubscribe links: they work without a session and cannot be forged.

A token is `django.core.signing.dumps` of who (a person's id, or a letter
subscriber's id) and which category, with a salt of its own: a token made for
another purpose of the site (a password reset, a calendar feed) is never an
unsubscribe token, and changing one character of it makes it invalid. Tokens
do not expire: an old email's link must still work (RFC 8058 expects it).

Who is unsubscribed is decided by a handler per subject type: "user" here,
"subscriber" registered by the letter app (`register_unsubscriber`), so this
app never imports the apps that send through it.
"""

from collections.abc import Callable

from django.core import signing

SALT = "retex.following.unsubscribe"

# subject type -> function(subject_id, category) that unsubscribes and returns
# a short description for the page (the address, partly hidden), or None when
# the subject no longer exists.
_UNSUBSCRIBERS: dict[str, Callable[[int, str], str | None]] = {}
# subject type -> function(subject_id) giving the address, for the confirmation page.
_DESCRIBERS: dict[str, Callable[[int], str | None]] = {}


def register_unsubscriber(subject: str, *, unsubscribe, describe) -> None:
    _UNSUBSCRIBERS[subject] = unsubscribe
    _DESCRIBERS[subject] = describe


def make_token(*, subject: str, subject_id: int, category: str) -> str:
    return signing.dumps({"t": subject, "i": subject_id, "c": category}, salt=SALT)


def read_token(token: str) -> dict | None:
    """{"t": subject type, "i": id, "c": category}, or None if forged/damaged."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if (
        not isinstance(data, dict)
        or data.get("t") not in _UNSUBSCRIBERS
        or not isinstance(data.get("i"), int)
        or not isinstance(data.get("c"), str)
    ):
        return None
    return data


def describe(data: dict) -> str | None:
    return _DESCRIBERS[data["t"]](data["i"])


def unsubscribe(data: dict) -> str | None:
    return _UNSUBSCRIBERS[data["t"]](data["i"], data["c"])


def masked(email: str) -> str:
    """« c•••@ville-exemple.fr »: enough for the person to recognise it, not
    enough for whoever holds a forwarded email to read the address."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"
