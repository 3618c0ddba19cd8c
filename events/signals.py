"""Tell participants when an event they registered to changes or is cancelled.

Publishing a page saves its row with the new content (drafts only touch
bookkeeping columns), so comparing the row in the database just before a save
with the page being saved tells what participants would see change: the sessions
(their times), the place (or the online link) and `cancelled`. When something
changed on a live event, `sequence` grows in the same save (never backwards, even
when an older revision is published), and once the transaction commits
`events.reminders` emails every active participant an updated .ics.

Sessions are saved after the page row (modelcluster), but Wagtail's `Page.save`
is atomic, so the emails, enqueued on commit, read the new sessions.
"""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.signals import page_published

from events.models import EventPage, EventSession

PLACE_FIELDS = ("online", "online_link", "venue", "address", "postcode", "city")
WATCHED_FIELDS = {"start", "end", "cancelled", "sequence", "sessions", *PLACE_FIELDS}


def fingerprint(place: dict, sessions) -> tuple:
    """What participants must be told about when it changes."""
    times = sorted((start, end) for start, end in sessions)
    return (tuple(times), tuple(place[name] or "" for name in PLACE_FIELDS))


def page_fingerprint(page: EventPage) -> tuple:
    sessions = [(s.start, s.end) for s in page.sessions.all() if s.start and s.end]
    if not sessions:
        sessions = [(page.start, page.end)]
    return fingerprint({name: getattr(page, name) for name in PLACE_FIELDS}, sessions)


def stored_fingerprint(page_id: int) -> tuple[dict, tuple] | None:
    row = (
        EventPage.objects.filter(pk=page_id)
        .values("cancelled", "sequence", "start", "end", *PLACE_FIELDS)
        .first()
    )
    if row is None:
        return None
    sessions = list(
        EventSession.objects.filter(page_id=page_id).values_list("start", "end")
    ) or [(row["start"], row["end"])]
    return row, fingerprint(row, sessions)


def detect_change(previous: dict, before: tuple, page: EventPage) -> str | None:
    """ "cancelled", "updated" or None, from the stored state to `page`'s."""
    if page.cancelled:
        return None if previous["cancelled"] else "cancelled"
    if previous["cancelled"] or page_fingerprint(page) != before:
        return "updated"
    return None


@receiver(pre_save, sender=EventPage)
def compare_with_stored_event(sender, instance, raw=False, update_fields=None, **kw):
    instance._retex_event_change = None
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & WATCHED_FIELDS:
        return  # Draft bookkeeping, moves, unpublishing…
    stored = stored_fingerprint(instance.pk)
    if stored is None:
        return
    previous, before = stored
    change = detect_change(previous, before, instance) if instance.live else None
    instance.sequence = max(previous["sequence"], instance.sequence or 0) + bool(change)
    instance._retex_event_change = change


@receiver(post_save, sender=EventPage)
def notify_participants_of_change(
    sender, instance, raw=False, update_fields=None, **kwargs
):
    change = instance.__dict__.pop("_retex_event_change", None)
    if raw or change is None:
        return
    if update_fields is not None and "sequence" not in update_fields:
        EventPage.objects.filter(pk=instance.pk).update(sequence=instance.sequence)
    if instance.end and instance.end < timezone.now():
        return  # Corrections to a past event concern nobody's calendar any more.
    from events.reminders import notify_event_change

    notify_event_change(instance, change)


@receiver(page_published, sender=EventPage)
def promote_waitlist_after_publish(sender, instance, **kwargs):
    """An organizer raised the capacity (or reopened registration): people waiting
    get the new seats, in order, once the change is committed (a task written
    with the change, so a crash of the web process right after it loses
    nothing)."""
    from events.tasks import promote_waitlist
    from retex.tasks import enqueue_after_commit

    enqueue_after_commit(promote_waitlist, event_id=instance.pk)


@receiver(page_published)
def announce_synthesis_after_publish(sender, instance, **kwargs):
    """A synthesis published (or an event published with its synthesis already
    live): its participants are told, once (`events.synthesis`)."""
    from events.synthesis import announce_synthesis

    if isinstance(instance, EventPage):
        announce_synthesis(instance)
        return
    from knowledge.models import KnowledgePage

    if isinstance(instance, KnowledgePage):
        for event in EventPage.objects.live().filter(synthesis_id=instance.pk):
            announce_synthesis(event)
