"""Following and unfollowing: the one service views, the admin and tests call."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from following.kinds import SEARCH_QUERY_MAX, clean_filters, follow_key, followable
from following.models import Follow, FollowKind
from following.preferences import preferences_of

# A person follows at most this many things (a guard against a runaway script).
MAX_FOLLOWS = 500


class FollowError(Exception):
    """A refusal, in French, for the person."""


def is_following(user, kind: str, *, object_id=None, query="", filters=None) -> bool:
    if not user.is_authenticated:
        return False
    key = follow_key(kind, object_id=object_id, query=query, filters=filters)
    return Follow.objects.filter(user=user, key=key).exists()


def follow(user, kind: str, *, object_id=None, query="", filters=None) -> Follow:
    if not user.is_authenticated or not user.is_active:
        raise FollowError(_("Connectez-vous pour suivre des contenus."))
    if kind not in FollowKind.values:
        raise FollowError(_("Ce type de contenu ne peut pas être suivi."))
    if kind == FollowKind.SEARCH:
        query = " ".join((query or "").split())
        filters = clean_filters(filters or {})
        if len(query) > SEARCH_QUERY_MAX:
            raise FollowError(_("Cette recherche est trop longue pour être suivie."))
        if not query and not filters:
            raise FollowError(
                _("Choisissez des mots ou des filtres avant de suivre une recherche.")
            )
        object_id = None
    else:
        query, filters = "", {}
        if object_id is None or followable(kind, object_id, user) is None:
            raise FollowError(
                _("Ce contenu n'existe pas ou ne vous est pas accessible.")
            )
    key = follow_key(kind, object_id=object_id, query=query, filters=filters)
    preferences_of(user)  # Saved with the defaults, so the digest finds them.
    existing = Follow.objects.filter(user=user, key=key).first()
    if existing:
        return existing
    if Follow.objects.filter(user=user).count() >= MAX_FOLLOWS:
        raise FollowError(
            _("Vous suivez déjà %(max)d contenus : retirez-en avant d'en ajouter.")
            % {"max": MAX_FOLLOWS}
        )
    try:
        with transaction.atomic():
            return Follow.objects.create(
                user=user,
                kind=kind,
                object_id=object_id,
                query=query,
                filters=filters,
                key=key,
            )
    except IntegrityError:  # The same follow, submitted twice at once.
        return Follow.objects.get(user=user, key=key)


def unfollow(user, kind: str, *, object_id=None, query="", filters=None) -> bool:
    key = follow_key(kind, object_id=object_id, query=query, filters=filters)
    deleted, _details = Follow.objects.filter(user=user, key=key).delete()
    return bool(deleted)


def unfollow_by_id(user, follow_id: int) -> bool:
    deleted, _details = Follow.objects.filter(user=user, pk=follow_id).delete()
    return bool(deleted)
