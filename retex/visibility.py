"""Who may see which page: the single rule every listing, feed and search uses.

A page is visible when it is live and the person passes every Wagtail view
restriction on it and on its ancestors. "Members-only" is a restriction to the
"Membres" group (kept in step with membership by the members app); a "login"
restriction needs any account; a password restriction is never passed in
listings (the password is asked on the page itself). Keeping the rule here means
no listing can forget a case, and the cost is constant: one query for the
restrictions, whatever the number of pages.
"""

import functools

from django.contrib.auth.models import AnonymousUser
from wagtail.models import Page, PageQuerySet, PageViewRestriction

MEMBERS_GROUP = "Membres"


def _user_groups(user) -> dict[int, str]:
    """The person's groups (id: name), read once per request (remembered on the
    user object) for both the restrictions and membership."""
    cached = getattr(user, "_retex_groups", None)
    if cached is None:
        cached = dict(user.groups.values_list("pk", "name"))
        user._retex_groups = cached
    return cached


def _user_group_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(_user_groups(user))


def sees_members_content(user) -> bool:
    """Whether this person sees members-only content (contacts, members-only
    documents and search results): a member of the network, read from the
    "Membres" group that mirrors `members.affiliation.is_network_member`, or the
    association's staff, who moderate that content without being members.

    Not a membership test: what only members may *do* (register to a
    members-only event) asks `is_network_member`, where staff do not count.
    """
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return MEMBERS_GROUP in _user_groups(user).values()


def passes_restriction(restriction: PageViewRestriction, user) -> bool:
    """Whether `user` may read pages behind `restriction` (passwords aside)."""
    if restriction.restriction_type == PageViewRestriction.LOGIN:
        return user.is_authenticated
    if restriction.restriction_type == PageViewRestriction.GROUPS:
        if not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        allowed = getattr(restriction, "group_ids", None)
        if allowed is None:  # A restriction not read by `all_restrictions`.
            allowed = {group.pk for group in restriction.groups.all()}
        return bool(allowed & _user_group_ids(user))
    return False


def failed_restrictions(user) -> list[PageViewRestriction]:
    """The view restrictions this person does not pass.

    Remembered on the user object, which lives as long as the request, so that a
    page with several listings reads the restrictions once.
    """
    cached = getattr(user, "_retex_failed_restrictions", None)
    if cached is None:
        cached = [r for r in every_restriction(user) if not passes_restriction(r, user)]
        user._retex_failed_restrictions = cached
    return cached


def every_restriction(user) -> list[PageViewRestriction]:
    """`all_restrictions()`, remembered on the user object (one request) like
    `failed_restrictions`: the teaser hook and the routing of the page
    (`retex.serving`) read them once."""
    cached = getattr(user, "_retex_all_restrictions", None)
    if cached is None:
        cached = user._retex_all_restrictions = all_restrictions()
    return cached


class RestrictedPage:
    """The page of a restriction read by `all_restrictions`: its id and path."""

    __slots__ = ("id", "path")

    def __init__(self, id, path):
        self.id, self.path = id, path

    @property
    def pk(self):
        return self.id


# (page cache generation, restrictions) of this process.
_snapshot: tuple[str | None, list[PageViewRestriction]] = (None, [])


def all_restrictions() -> list[PageViewRestriction]:
    """Every view restriction, with only what the rule reads (the page's path,
    the type, the groups' ids).

    Read once per page cache generation in each process when the page cache is
    on: any change to a restriction, its groups or a page's place starts a new
    generation (`retex.page_cache`), seen here as soon as this process is told
    (at once for its own changes, within a second for others', as for the pages
    it keeps).
    """
    global _snapshot
    from retex.page_cache import known_generation

    generation = known_generation()
    if generation is not None and _snapshot[0] == generation:
        return _snapshot[1]
    # One query: each restriction's type, its page's path and its groups' ids
    # (a row per group), rather than the restrictions with their pages, then
    # their groups as objects.
    rows = PageViewRestriction.objects.order_by("pk").values_list(
        "pk", "restriction_type", "page_id", "page__path", "groups__pk"
    )
    by_pk: dict[int, PageViewRestriction] = {}
    for pk, restriction_type, page_id, path, group_id in rows:
        restriction = by_pk.get(pk)
        if restriction is None:
            restriction = by_pk[pk] = PageViewRestriction(
                id=pk, restriction_type=restriction_type, page_id=page_id
            )
            # What the rule reads of the page (its path): a plain object, not
            # a Page (whose construction costs more than the query).
            restriction._state.fields_cache["page"] = RestrictedPage(page_id, path)
            restriction.group_ids = set()
        if group_id is not None:
            restriction.group_ids.add(group_id)
    restrictions = list(by_pk.values())
    if generation is not None:
        _snapshot = (generation, restrictions)
    return restrictions


def pages_visible_to(queryset: PageQuerySet, *, user=None) -> PageQuerySet:
    user = user or AnonymousUser()
    queryset = queryset.live()
    failed = failed_restrictions(user)
    if failed:
        # One subquery of the pages under the restrictions, read once, rather
        # than a test per restriction on every row: the database can then walk
        # an ordered index and stop at the first rows (newest pages), instead
        # of scanning every page (issue #19: 60 ms → 1 ms on SQLite at 20,000
        # pages).
        queryset = queryset.exclude(pk__in=_restricted_pages(failed))
    return queryset


def _restricted_pages(restrictions) -> PageQuerySet:
    """The pages under `restrictions` (theirs and their descendants'), as a
    subquery."""
    from django.db import connection

    paths = tuple(sorted({restriction.page.path for restriction in restrictions}))
    return _pages_under(paths, connection.vendor)


@functools.lru_cache(maxsize=64)
def _pages_under(paths: tuple[str, ...], vendor: str) -> PageQuerySet:
    """Built once per set of paths in each process (never evaluated here, only
    used as a subquery): building the filter of 20 restrictions costs more than
    running it. On SQLite a path prefix is a range of the unique path index
    (treebeard paths are made of 0-9 and A-Z only, all below "~", and SQLite
    compares them byte by byte); elsewhere `startswith`, whose `LIKE` a
    collation-aware range could not replace."""
    from django.db.models import Q

    condition = Q()
    for path in paths:
        if vendor == "sqlite":
            condition |= Q(path__gte=path, path__lt=path + "~")
        else:
            condition |= Q(path__startswith=path)
    return Page.objects.filter(condition).values("pk")


def page_restrictions_failed(page: Page, user) -> list[PageViewRestriction]:
    """Restrictions on `page` or its ancestors that `user` does not pass."""
    return [r for r in failed_restrictions(user) if page.path.startswith(r.page.path)]


def is_members_only(page: Page) -> bool:
    return any(
        r.restriction_type == PageViewRestriction.GROUPS
        for r in page.get_view_restrictions()
    )
