"""The stored VEVENTs of the public feed (`events.models.FeedEntry`), kept
right on every write that changes them.

`agenda.ics` with 2,000 events spent most of its time writing text (folding
and escaping 30,000 lines); each event's VEVENTs are now written when the
event changes and the feed concatenates them (`calendar.stored_feed_ical`).
What a VEVENT says comes from the event's row, its sessions and its URL, so:

- **an event saved** (created, published, any save of its row but drafts and
  other bookkeeping): its entry is written again in the save's transaction,
  after its sessions (`EventPage.save`);
- **a session** written on its own (not as part of its event's save) or
  deleted on its own: its event's entry, in the same transaction;
- **a page moved or renamed** (its URL, and its descendants'): the entries
  of the events under it, when Wagtail announces it (after the move);
- **what no write announces** (`BASE_URL`, the site's root, the writer's
  format, the time zone): the entry's `key` no longer matches, and the feed
  writes that event itself until `manage.py rebuild_event_feed` stores it;
- **an event deleted**: its entry goes with it.

So an entry is never wrong when read: either up to date, or not used (the key
check), or written in the transaction that changed what it says. Bulk writes
that bypass `save()` (the benchmark's corpus) leave events without entries:
the feed writes them itself, correct but slower, until the command runs.

**The whole feed** (`StoredFeed`, one row): the entries of every event not
long over, in the feed's order, so that the unfiltered `agenda.ics` reads one
text instead of 2,000 entries (`calendar.whole_feed_ical`). Every write of
entries empties its key in the same transaction (so it is never used once an
entry it holds has changed), and once that transaction commits it is written
again (`refresh_stored_feed`, its row locked: of two rewrites, the later one
reads what the earlier one's transaction committed). Which events the feed
shows (visibility, period) is still asked of the database on each request;
the stored text only gives their VEVENTs, and an event it does not hold
sends the feed back to the entries.
"""

from __future__ import annotations

import datetime
import logging
import threading
from contextlib import contextmanager

from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import Page
from wagtail.signals import page_slug_changed, post_page_move

from events.calendar import (
    event_vevents,
    feed_entry_key,
    feed_rows,
    stored_entry_texts,
    stored_feed_key,
)
from events.models import EventPage, EventSession, FeedEntry, StoredFeed

logger = logging.getLogger(__name__)

# The fields of an event's row that its VEVENTs show (`calendar.FEED_FIELDS`,
# and what its URL is made of). A save limited to other fields (a draft, a
# lock…) leaves its entry as it is.
SHOWN_FIELDS = frozenset(
    {
        "translation_key",
        "title",
        "lead",
        "start",
        "end",
        "online",
        "online_link",
        "venue",
        "address",
        "postcode",
        "city",
        "sequence",
        "cancelled",
        "last_published_at",
        "slug",
        "url_path",
        "live",
    }
)

# Events whose `save()` is under way in this thread: their sessions, saved
# within it, leave the entry to the save (which writes it once, at its end).
_saving = threading.local()


def refresh_feed_entries(queryset) -> int:
    """Write the stored VEVENTs of the events of `queryset` afresh; returns
    how many."""
    with transaction.atomic():
        # The whole feed may hold the former texts: not used from now on
        # (same transaction), written again once this one commits. Always
        # updated, even when already empty: the row stays locked until then,
        # so a rewrite under way finishes first, and the next one reads what
        # this one wrote. Before the entries: every writer takes this lock
        # first (no deadlock between two transactions writing two events'
        # entries each).
        StoredFeed.objects.update(key="")
        events = feed_rows(queryset.order_by("pk"))
        entries = [
            FeedEntry(
                event_id=event.pk,
                text=event_vevents(event).decode(),
                key=feed_entry_key(event.url),
            )
            for event in events
        ]
        for start in range(0, len(entries), 500):
            FeedEntry.objects.bulk_create(
                entries[start : start + 500],
                update_conflicts=True,
                unique_fields=["event"],
                update_fields=["text", "key"],
            )
        transaction.on_commit(refresh_stored_feed, robust=True)
    return len(entries)


def refresh_stored_feed(*, force: bool = False) -> bool:
    """Write the whole feed's text again (`StoredFeed`) if a write emptied
    it (or `force`); returns whether it was written. Its row is locked
    first: a write of entries committed meanwhile waits, then empties it
    again."""
    from events.agenda import RECENT_DAYS_IN_FEED

    # A day more than the feed keeps: events over by less remain in the text
    # until the next rewrite, and the feed leaves them out as they age.
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS_IN_FEED + 1)
    try:
        with transaction.atomic():
            row = StoredFeed.objects.select_for_update().filter(pk=1).first()
            if row is not None and row.key and not force:
                return False
            key = stored_feed_key()
            events = EventPage.objects.filter(end__gte=since).order_by("start", "pk")
            index, end, parts = [], 0, []
            for pk, text in stored_entry_texts(events):
                data = text.encode()
                end += len(data)
                index.append([pk, end])
                parts.append(data)
            StoredFeed.objects.update_or_create(
                pk=1, defaults={"data": b"".join(parts), "index": index, "key": key}
            )
    except DatabaseError:
        # The feed is read from the entries meanwhile: slower, still right.
        logger.exception("The stored agenda.ics could not be written")
        return False
    return True


def refresh_feed_entry(event_id: int) -> None:
    refresh_feed_entries(EventPage.objects.filter(pk=event_id))


@contextmanager
def saving_event(page, update_fields=None):
    """`with saving_event(page, update_fields):` around an event's save: its
    entry is written at the end, in the same transaction, unless the save
    changes nothing the feed shows. The sessions saved within it (Wagtail
    saves them after the page's row) leave the entry to it."""
    shown = update_fields is None or bool(SHOWN_FIELDS & set(update_fields))
    outer = getattr(_saving, "pages", frozenset())
    with transaction.atomic():
        _saving.pages = outer | {id(page)}
        try:
            yield
        finally:
            _saving.pages = outer
        if shown and page.pk is not None:
            refresh_feed_entry(page.pk)


def _within_its_event_s_save(session) -> bool:
    parent = session._state.fields_cache.get("page")
    return parent is not None and id(parent) in getattr(_saving, "pages", ())


@receiver(post_save, sender=EventSession)
def session_saved(sender, instance, raw=False, **kwargs):
    if raw or _within_its_event_s_save(instance):
        return
    refresh_feed_entry(instance.page_id)


@receiver(post_delete, sender=EventSession)
def session_deleted(sender, instance, origin=None, **kwargs):
    # Deleted with its event (a cascade): the entry goes too.
    if isinstance(origin, Page) or _within_its_event_s_save(instance):
        return
    if isinstance(origin, EventSession) or _is_session_queryset(origin):
        refresh_feed_entry(instance.page_id)


def _is_session_queryset(origin) -> bool:
    return getattr(origin, "model", None) is EventSession


@receiver(post_page_move)
@receiver(page_slug_changed)
def page_url_changed(sender, instance, **kwargs):
    """A page moved or renamed: the URLs of the events under it changed."""
    events = EventPage.objects.filter(path__startswith=instance.path)
    if events.exists():
        refresh_feed_entries(events)
