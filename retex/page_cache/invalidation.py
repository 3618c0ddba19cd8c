"""Invalidation: which writes make stored pages out of date.

Pages depend on short tags (`cache_dependencies()` on the page class):

- `page:<id>`: a page's own content (its row, its inline children);
- `kind:<app.model>`: listings of a kind of page (bumped by any change to a
  page of that class or a subclass: the agenda lists events, /ressources/ lists
  knowledge pages);
- `selection:<app.model>`: which pages of a kind a page chose to show (related
  content), bumped only when a page of the kind is created, deleted, or one of
  the fields its class names in `cache_selection_fields` changes (a page that
  shows another one's card also depends on its `page:<id>`, `depends_on`);
- `seats:<event id>` and `seats`: the seats left of one event, of any event;
- `cites:<collectivity id>`: the knowledge pages naming a collectivity (its
  practices, the articles and interviews citing it): bumped by knowledge when
  a page that names it, before or after the write, is published, unpublished,
  deleted or changes what it names (`knowledge.signals`, `bump`); a
  collectivity's profile depends on it, not on every knowledge page, and on
  `practices:<id>` of the comparable collectivities it shows (bumped alike
  for a practice page, by its collectivity);
- `*` (`ANY`): bumped by every write below; what declares nothing (feeds…,
  the home page when one of its sections declares nothing) depends on it.

What a write bumps, once its transaction commits:

- a Wagtail page saved (but bookkeeping-only saves: drafts, locks), published,
  unpublished or deleted: `page:<id>` and `kind:` of its class and every parent
  class; a page in the menu (the home page and its children) or a move: a new
  generation (every page shows the menu; a move changes URLs below);
- a model its app declared (`declare`): the tags it names, or nothing for a
  model its app declared never shown on a page (`declare_invisible`);
- anything else (a theme, the footer, a view restriction, a model nobody
  declared): a new generation, so every stored page is out of date (the safety
  net: forgetting a declaration costs hits, never a stale page);
- every `migrate`: a new generation (each deployment starts afresh).

Apps declare their own models from their `AppConfig.ready()`; this package
imports no other app.

What each write makes out of date is logged at DEBUG on `retex.page_cache`
(`LOG_LEVEL=DEBUG`), and `recording_bumps()` collects it: the benchmark's
mixed run lists, per kind of write, the tags it bumped and the writes that
started a new generation (and which model did).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_save,
)
from wagtail.models import COMMENTS_RELATION_NAME, Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from retex.page_cache.storage import invalidate, invalidate_tags

logger = logging.getLogger("retex.page_cache")

# Third-party apps whose rows no cached page shows (some are written while pages
# render or during every login). The project's apps declare their own.
INVISIBLE = {
    "account",
    "mfa",
    "sessions",
    "contenttypes",
    "django_tasks_database",
    "wagtailsearch",
    "wagtailadmin.admin",
    "wagtailadmin.editingsession",
    "wagtailadmin.formstate",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailcore.modellogentry",
    "wagtailcore.pagelogentry",
    "wagtailcore.pagesubscription",
    "wagtailcore.referenceindex",
    "wagtailcore.revision",
    "wagtailcore.taskstate",
    "wagtailcore.uploadedfile",
    "wagtailcore.workflowstate",
    "wagtailembeds.embed",
    "wagtailforms.formsubmission",
    "wagtailimages.rendition",
    "wagtailusers.userprofile",
}
# Saves limited to these fields change nothing a visitor sees (drafts, locks).
PAGE_BOOKKEEPING_FIELDS = {
    COMMENTS_RELATION_NAME,
    "draft_title",
    "has_unpublished_changes",
    "latest_revision",
    "latest_revision_created_at",
    "locked",
    "locked_at",
    "locked_by",
}
# Pages at this depth or above are in the menu shown on every page (the root is
# 1, the home page 2, its children 3).
MENU_DEPTH = 3


@dataclass(frozen=True)
class Declaration:
    # What a saved or deleted row changes; None: nothing shown on a page.
    tags: Callable[[object], Iterable[str]] | None
    # Saves limited to these fields change nothing shown.
    bookkeeping: frozenset[str] = frozenset()


_declarations: dict[str, Declaration] = {}


def declare(
    label: str,
    tags: Callable[[object], Iterable[str]],
    *,
    bookkeeping: Iterable[str] = (),
) -> None:
    """A save or delete of a row of model `label` ("app.model") changes only
    what depends on `tags(row)`; saves limited to `bookkeeping` fields change
    nothing shown. Called from the model's own `AppConfig.ready()`."""
    _declarations[label.lower()] = Declaration(tags, frozenset(bookkeeping))


def declare_invisible(*labels: str) -> None:
    """Rows of these models ("app.model", or a whole "app") are never shown on a
    cached page: writing them changes nothing there."""
    for label in labels:
        _declarations[label.lower()] = Declaration(None)


def _declaration(sender) -> Declaration | None:
    meta = sender._meta
    if meta.app_label in INVISIBLE or meta.label_lower in INVISIBLE:
        return Declaration(None)
    return _declarations.get(meta.label_lower) or _declarations.get(meta.app_label)


def _page_classes(page) -> list:
    return [
        cls
        for cls in type(page).__mro__
        if isinstance(cls, type)
        and issubclass(cls, Page)
        and cls is not Page
        and not cls._meta.abstract
        and not cls._meta.proxy
    ]


def page_tags(page, *, selection: bool = True) -> set[str] | None:
    """What a change to `page` makes out of date: its own tag and the listings
    of its class and parent classes (with `selection`, what chose among them
    too); None (everything) for a page in the menu."""
    if page.depth is None or page.depth <= MENU_DEPTH:
        return None
    tags = {f"page:{page.pk}"}
    for cls in _page_classes(page):
        tags.add(f"kind:{cls._meta.label_lower}")
        if selection:
            tags.add(f"selection:{cls._meta.label_lower}")
    return tags


def _selection_changes(page) -> bool:
    """Whether saving `page` (before the save) changes which pages of its kind
    others choose to show: a new page, or a change to one of its class's
    `cache_selection_fields` (plain fields or many-to-many, compared with the
    stored row)."""
    fields = getattr(page, "cache_selection_fields", None)
    if fields is None or page.pk is None:
        return True
    model = type(page)
    stored = model.objects.filter(pk=page.pk)
    if not stored.exists():
        return True
    for name in fields:
        field = model._meta.get_field(name)
        if field.many_to_many:
            before = set(stored.values_list(name, flat=True)) - {None}
            after = {related.pk for related in getattr(page, name).all()}
        else:
            before = stored.values_list(field.attname, flat=True).first()
            after = getattr(page, field.attname)
        if before != after:
            return True
    return False


def _page_saving(sender, instance=None, raw=False, update_fields=None, **kwargs):
    if raw or instance is None or not issubclass(sender, Page):
        return
    if update_fields and set(update_fields) <= PAGE_BOOKKEEPING_FIELDS:
        return
    instance._page_cache_selection = _selection_changes(instance)


def tags_of_write(sender, instance=None, update_fields=None) -> set[str] | None:
    """The tags a write of `instance` (a `sender` row) makes out of date: an
    empty set when it changes nothing shown, None when everything may show it
    (a new generation)."""
    if (
        update_fields
        and issubclass(sender, Page)
        and set(update_fields) <= PAGE_BOOKKEEPING_FIELDS
    ):
        return set()
    if issubclass(sender, Page):
        if instance is None:
            return None
        selection = getattr(instance, "_page_cache_selection", True)
        return page_tags(instance, selection=selection)
    declaration = _declaration(sender)
    if declaration is None:
        return None
    if declaration.tags is None:
        return set()
    if update_fields and set(update_fields) <= declaration.bookkeeping:
        return set()
    if instance is None:
        return None
    return set(declaration.tags(instance))


def change_is_visible(sender, update_fields=None) -> bool:
    """Whether saving or deleting a `sender` row may change a page."""
    return tags_of_write(sender, None, update_fields) != set()


# Who wants to know what each write makes out of date (`recording_bumps`).
_observers: list[Callable[[str, frozenset[str] | None], None]] = []


@contextmanager
def recording_bumps() -> Iterator[list[tuple[str, frozenset[str] | None]]]:
    """Within the block, every write's origin (the model label, or the signal:
    "published:app.model", "move", "migrate") and what it makes out of date:
    the tags it bumps (`ANY` comes with them, implied) or None for a new
    generation, in order; writes that change nothing shown are not listed.
    What is listed is scheduled: it happens when the transaction commits."""
    recorded: list[tuple[str, frozenset[str] | None]] = []

    def observe(origin, tags):
        recorded.append((origin, tags))

    _observers.append(observe)
    try:
        yield recorded
    finally:
        _observers.remove(observe)


def _record(tags: set[str] | None, using=None, *, origin: str = "") -> None:
    if tags is not None and not tags:
        return
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "%s: %s",
            origin or "write",
            "new generation" if tags is None else ", ".join(sorted(tags)),
        )
    for observe in list(_observers):
        observe(origin, None if tags is None else frozenset(tags))
    if tags is None:
        invalidate(using)
    else:
        invalidate_tags(tags, using)


def bump(tags: Iterable[str], *, origin: str, using=None) -> None:
    """Make what depends on `tags` out of date once the transaction commits,
    recorded like a write (`recording_bumps`): for what an app computes
    itself (the collectivities a knowledge page names, `cites:<id>`)."""
    _record(set(tags), using, origin=origin)


def _label(sender) -> str:
    return getattr(getattr(sender, "_meta", None), "label_lower", str(sender))


def _row_saved(sender, instance=None, update_fields=None, using=None, **kwargs):
    tags = tags_of_write(sender, instance, update_fields)
    _record(tags, using, origin=_label(sender))


def _row_deleted(sender, instance=None, using=None, **kwargs):
    _record(tags_of_write(sender, instance), using, origin=_label(sender))


def _relation_changed(sender, instance=None, action="", using=None, **kwargs):
    if not action.startswith("post_"):
        return
    # The through model's declaration; else the tags of the row whose relation
    # changed (a page: its own, its listings).
    declared = _declaration(sender)
    if declared is not None and declared.tags is None:
        return
    origin = _label(sender)
    if isinstance(instance, Page):
        _record(page_tags(instance), using, origin=origin)
    else:
        _record(None, using, origin=origin)


def _page_changed(sender, instance=None, **kwargs):
    # The save that published or unpublished the page said whether the
    # selection changed; this is for rows written without `save`.
    origin = f"published:{_label(sender)}"
    if instance is None:
        _record(None, origin=origin)
    else:
        selection = getattr(instance, "_page_cache_selection", True)
        _record(page_tags(instance, selection=selection), origin=origin)


def _page_moved(sender, **kwargs):
    # URLs below the page change: everything.
    _record(None, origin="move")


def _migrated(sender, using=None, **kwargs):
    # Every deployment runs `migrate`: pages rendered by the previous release
    # (older templates, static files that no longer exist) are dropped.
    _record(None, using, origin="migrate")


def connect_signals() -> None:
    """Called once from `RetexConfig.ready`."""
    uid = "retex.page_cache"
    pre_save.connect(_page_saving, dispatch_uid=f"{uid}.pre_save", weak=False)
    post_save.connect(_row_saved, dispatch_uid=f"{uid}.save", weak=False)
    post_delete.connect(_row_deleted, dispatch_uid=f"{uid}.delete", weak=False)
    m2m_changed.connect(_relation_changed, dispatch_uid=f"{uid}.m2m", weak=False)
    # Publication also writes rows, but not always through `save`.
    for signal in (page_published, page_unpublished):
        signal.connect(_page_changed, dispatch_uid=f"{uid}.{id(signal)}", weak=False)
    # Treebeard moves descendants with UPDATE statements.
    post_page_move.connect(_page_moved, dispatch_uid=f"{uid}.move", weak=False)
    post_migrate.connect(_migrated, dispatch_uid=f"{uid}.migrate", weak=False)
