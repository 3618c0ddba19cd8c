"""`python manage.py send_event_reminders`: reminders and waitlist standings.

Run it every hour (cron, systemd timer). Each confirmed participant of an event
starting within 48 hours gets one reminder; once an event's registration has
closed, each person still waiting is told their position, once. Safe to run
twice, or on two machines at once: see `events.reminders`.
"""

from django.core.management.base import BaseCommand

from events.reminders import send_due_reminders, send_waitlist_notices


class Command(BaseCommand):
    help = (
        "Send the reminders of events starting within 48 hours and tell people "
        "waiting for a closed event their position (each once; run it hourly)."
    )

    def handle(self, *args, **options):
        reminders = send_due_reminders()
        notices = send_waitlist_notices()
        self.stdout.write(
            f"{reminders} rappel(s) et {notices} position(s) en liste d'attente "
            "mis en file d'envoi."
        )
