"""`python manage.py seed_demo`: French demo content for the whole site.

Idempotent (see `retex/demo.py`): the content is data, in `retex/demo_data/*.yaml`
(format in the README there); each app's `demo.py` turns its records into pages
and rows, and this command runs them in one transaction, so a malformed data file
writes nothing. It also creates demo people (`members/demo.py`), with a shared
demo password only when DEBUG is on.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from aid.demo import load_questions, seed_questions
from events.demo import load_events, seed_events, seed_registrations
from events.models import EventIndexPage
from knowledge.demo import (
    load_articles,
    load_interviews,
    load_practices,
    seed_knowledge,
)
from knowledge.models import KnowledgeIndexPage
from members.demo import (
    load_collectivities,
    load_people,
    seed_collectivities,
    seed_people,
)
from members.models import MemberIndexPage
from retex.demo import (
    Stats,
    get_home,
    load_site,
    seed_home,
    seed_indexes,
    seed_site_settings,
    seed_standard_pages,
)

# Every data file, checked before anything is written.
DATA_FILES = (
    load_site,
    load_collectivities,
    load_people,
    load_articles,
    load_interviews,
    load_practices,
    load_events,
    load_questions,
)


class Command(BaseCommand):
    help = (
        "Create or update French demo content: standard pages, articles, member "
        "collectivities and their people, events and footer settings. Safe to run "
        "again."
    )

    def handle(self, *args, **options):
        for load in DATA_FILES:
            load()
        stats = Stats()
        people_stats = Stats()
        with transaction.atomic():
            home = get_home()
            site = load_site()
            seed_home(home, site, stats)
            indexes = seed_indexes(home, site, stats)
            standard_pages = seed_standard_pages(home, site, stats)
            settings_changed = seed_site_settings(site, standard_pages)
            # Knowledge pages link to collectivities: seed these first.
            seed_collectivities(indexes[MemberIndexPage], stats)
            demo_login = seed_people(people_stats)
            seed_knowledge(indexes[KnowledgeIndexPage], stats)
            events = seed_events(indexes[EventIndexPage], stats)
            seed_registrations(events, people_stats)
            seed_questions(people_stats)

        for name, counts in [*stats.by_model.items(), *people_stats.by_model.items()]:
            details = ", ".join(f"{n} {action}" for action, n in counts.items())
            self.stdout.write(f"  {name}: {details}")
        self.stdout.write(
            f"  site settings: {'updated' if settings_changed else 'unchanged'}"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content: {stats.created} pages created, {stats.updated} "
                f"updated, {stats.unchanged} unchanged."
            )
        )
        if demo_login is not None:
            self.stdout.write(
                f"Demo people's password (DEBUG only): {demo_login.password_file}\n"
                f"  e.g. log in as {demo_login.email} with that password."
            )
        else:
            self.stdout.write("Demo people have no usable password (DEBUG is off).")
