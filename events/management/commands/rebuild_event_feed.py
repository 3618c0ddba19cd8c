"""`manage.py rebuild_event_feed`: write the public feed's stored VEVENTs of
every event again, and the whole feed's text (`events.feed_entries`).

Run it after a change no write announces (`BASE_URL`, the site's root page or
host, the time zone) or after events were written in bulk: until then the
feed is right but writes those events itself on every request.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from events.feed_entries import refresh_feed_entries, refresh_stored_feed
from events.models import EventPage
from retex.page_cache import invalidate_tags


class Command(BaseCommand):
    help = "Write the stored VEVENTs of agenda.ics again, for every event."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = refresh_feed_entries(EventPage.objects.all())
            invalidate_tags(["kind:events.eventpage"])
        # Also once the transaction commits (`refresh_feed_entries`), unless
        # this call, in a transaction of the caller's, runs before.
        refresh_stored_feed()
        self.stdout.write(f"{count} events written.")
