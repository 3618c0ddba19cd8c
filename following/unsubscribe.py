"""Unsubscribing a person (an account) from one category of email."""

from django.contrib.auth import get_user_model

from following.preferences import set_category
from following.tokens import masked, register_unsubscriber


def _describe_user(user_id: int) -> str | None:
    user = get_user_model().objects.filter(pk=user_id).first()
    return masked(user.email) if user else None


def _unsubscribe_user(user_id: int, category: str) -> str | None:
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return None
    set_category(user, category, False)
    return masked(user.email)


def register_user_unsubscriber() -> None:
    register_unsubscriber(
        "user", unsubscribe=_unsubscribe_user, describe=_describe_user
    )
