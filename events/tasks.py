"""Background work of the events app that is not an email."""

from django_tasks import task


@task()
def promote_waitlist(*, event_id: int) -> int:
    """Confirm the people waiting for an event, in order, while seats remain
    (after its capacity grew or its registration reopened). A task rather than
    work done after the commit in the web process: enqueued in the change's
    transaction, it is not lost if that process dies, and running it twice
    promotes nobody twice (the rule re-counts under the event's lock)."""
    from events.registration import event_promote_waitlist

    return len(event_promote_waitlist(event_id=event_id))
