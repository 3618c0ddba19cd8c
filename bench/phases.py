"""The benchmark's steps that run inside Django, one process each.

`bench.run` starts `python -m bench.phases STEP [options]` with the benchmark's
environment (its own database, production settings), so that every step sees
the same settings the served site sees. Each step prints one JSON document on
its last line of standard output for `bench.run` to read.

Steps:
- `generate --scale S --part small|rest|all`: add the first tenth of the corpus,
  the rest, or all of it at once (`bench.corpus`).
- `targets`: choose the pages to measure (an interview, a profile, an event…).
- `queries --targets FILE`: SQL queries and in-process time of each page, with
  Django's test client and `CaptureQueriesContext`, first request then second.
- `rush-prepare --people N --seats N`: a training with N seats and N people with
  a verified address, each with a session created directly in the session store.
- `rush-check --event ID`: who got a seat, who waits, and in which order.
- `member-session`: a session of a member of the network, for logged-in pages.
- `mixed-prepare --seconds S --rate R`: four trainings, the people who will
  register or cancel, an editor and the page they will publish again.
- `mixed-write --plan FILE --seconds S --rate R`: the writer of the mixed run
  (registrations, cancellations, publications), each write timed.
- `cold --renders N`: every page type rendered with the page cache off, CPU
  per render (`time.process_time()`), queries and a cProfile summary
  (`bench.cold`): the « cold, in process » figures.
"""

import argparse
import json
import math
import os
import secrets
import sys
import time

RUSH_EMAIL_DOMAIN = "rush.bench.retex.localhost"

# The French queries sent to /api/search/: broad words that match thousands of
# documents, phrases, rarer words, a spelling without accents.
SEARCH_QUERIES = [
    "numérique",
    "collectivité",
    "inclusion numérique",
    "cybersécurité rançongiciel",
    "tiers-lieu",
    "dématérialisation des démarches",
    "open data",
    "médiation",
    "sobriété numérique",
    "fibre optique",
    "conseillers numériques",
    '"feuille de route"',
    "telemedecine",
    "écoles",
    "RGPD",
    "mutualisation des communes",
    # Forgiving search: typos (corrected), a question (relaxed), places, and
    # a query finding nothing at all (correction and relaxation both tried).
    "cybersécurté",
    "inclsion numérique",
    "comment financer un conseiller numérique quand l'aide de l'État s'arrête ?",
    "62",
    "Pas-de-Calais",
    "22300",
    "wxqzt kvybj",
]


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retex.settings")
    import django

    django.setup()


def _emit(data) -> None:
    sys.stdout.write("\n" + json.dumps(data, default=str) + "\n")
    sys.stdout.flush()


# --- Corpus ------------------------------------------------------------------------


def step_generate(args) -> dict:
    from bench.corpus import Sizes, generate

    full = Sizes.for_scale(args.scale)
    small = Sizes.for_scale(args.scale * args.small_fraction)
    sizes = {"small": small, "rest": full.minus(small), "all": full}[args.part]
    progress = _tqdm_progress()
    started = time.monotonic()
    report = generate(
        sizes, seed=args.seed + (0 if args.part == "small" else 1), progress=progress
    )
    return {
        "sizes": sizes.__dict__,
        "seconds": round(time.monotonic() - started, 2),
        "phases": {k: round(v, 2) for k, v in report.seconds.items()},
        "rows": dict(report.rows),
        "totals": corpus_totals(),
    }


def _tqdm_progress():
    try:
        from tqdm import tqdm
    except ImportError:  # The smoke test runs without the bench extra.
        from bench.corpus import no_progress

        return no_progress

    def progress(label, total):
        return tqdm(
            total=total,
            desc=f"  {label}",
            unit=" rows",
            leave=True,
            file=sys.stderr,
            mininterval=0.5,
        )

    return progress


def corpus_totals() -> dict:
    from events.models import EventPage, Registration
    from knowledge.models import InterviewPage, KnowledgePage, PracticePage
    from members.models import CollectivityPage, User

    return {
        "collectivities": CollectivityPage.objects.count(),
        "users": User.objects.count(),
        "knowledge": KnowledgePage.objects.count(),
        "interviews": InterviewPage.objects.count(),
        "practices": PracticePage.objects.count(),
        "events": EventPage.objects.count(),
        "registrations": Registration.objects.count(),
    }


# --- What to measure ---------------------------------------------------------------


def step_targets(args) -> dict:
    """The URL sets: the same pages before and after the corpus grows."""
    from urllib.parse import quote

    from django.conf import settings
    from django.templatetags.static import static
    from django.utils import timezone

    from events.models import EventPage
    from knowledge.models import InterviewPage, PracticePage
    from members.models import CollectivityKind, CollectivityPage
    from retex.visibility import pages_visible_to

    interview = pages_visible_to(InterviewPage.objects.all()).order_by("pk").first()
    with_practice = PracticePage.objects.live().values("collectivity_id")
    profile = (
        pages_visible_to(CollectivityPage.objects.all())
        .filter(kind=CollectivityKind.COMMUNE, pk__in=with_practice)
        .order_by("pk")
        .first()
    )
    event = (
        pages_visible_to(EventPage.objects.all())
        .filter(start__gt=timezone.now(), capacity__isnull=False, members_only=False)
        .order_by("pk")
        .first()
    )
    listing_filter = "kind=article&theme=inclusion-numerique"
    targets = [
        ("home", "Home", ["/"]),
        ("listing", "Resources, page 1", ["/ressources/"]),
        ("listing-p100", "Resources, page 100", ["/ressources/?page=100"]),
        (
            "listing-filtered",
            "Resources filtered, page 1",
            [f"/ressources/?{listing_filter}"],
        ),
        (
            "listing-filtered-p100",
            "Resources filtered, page 100",
            [f"/ressources/?{listing_filter}&page=100"],
        ),
        ("interview", "An interview", [interview.url]),
        ("directory", "Directory, filtered", ["/membres/?region=84&kind=commune"]),
        ("profile", "A collectivity's profile", [profile.url]),
        ("agenda", "Agenda", ["/evenements/"]),
        ("event", "An event", [event.url]),
        (
            "search",
            f"/api/search/ ({len(SEARCH_QUERIES)} queries)",
            [f"/api/search/?q={quote(q)}" for q in SEARCH_QUERIES],
        ),
        ("ics", "agenda.ics", ["/evenements/agenda.ics"]),
        ("static", "Static file (baseline)", [static("css/retex.css")]),
    ]
    # The mutual-aid space, for members only (`member`: measured with a
    # member's session, never anonymously), never page-cached: rendered on
    # every request, on both servers.
    from bench.cold import _busiest_question

    question = _busiest_question()
    member_only = [
        ("aid", "Entraide", ["/entraide/"]),
        ("aid-filtered", "Entraide filtered", [f"/entraide/?{AID_FILTER}"]),
        *(
            [("aid-question", "A question to the network", [question])]
            if question
            else []
        ),
    ]
    return {
        "targets": [
            {"name": name, "label": label, "paths": paths}
            for name, label, paths in targets
        ]
        + [
            {"name": name, "label": label, "paths": paths, "member": True}
            for name, label, paths in member_only
        ],
        "mixed": _mixed_reads(),
        "meta": {
            "database_version": _database_version(),
            "middleware": list(settings.MIDDLEWARE),
        },
    }


# The filtered listing of the mutual-aid space: a theme and a status.
AID_FILTER = "theme=inclusion-numerique&status=resolue"

# How many distinct pages the mixed run's readers spread over: with a handful
# of URLs read hundreds of times a second, even a cache emptied on every write
# would look warm; readers of a real site read many pages.
MIXED_KNOWLEDGE_PAGES = 100
MIXED_PROFILES = 20
MIXED_EVENTS = 20


def _spread(queryset, count: int) -> list[str]:
    """The URLs of `count` pages of `queryset` spread evenly over its rows."""
    pks = list(queryset.order_by("pk").values_list("pk", flat=True))
    step = max(1, len(pks) // count)
    chosen = pks[::step][:count]
    pages = {page.pk: page for page in queryset.model.objects.filter(pk__in=chosen)}
    return [pages[pk].url for pk in chosen]


def _mixed_reads() -> dict:
    """The pages the mixed run's readers read, beyond the measured URL sets."""
    from django.utils import timezone

    from events.models import EventPage
    from knowledge.models import KnowledgePage
    from members.models import CollectivityPage
    from retex.visibility import pages_visible_to

    return {
        "knowledge": _spread(
            pages_visible_to(KnowledgePage.objects.all()), MIXED_KNOWLEDGE_PAGES
        ),
        "profiles": _spread(
            pages_visible_to(CollectivityPage.objects.all()), MIXED_PROFILES
        ),
        "events": _spread(
            pages_visible_to(EventPage.objects.all()).filter(
                start__gt=timezone.now(), members_only=False
            ),
            MIXED_EVENTS,
        ),
    }


def _database_version() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return cursor.fetchone()[0]
    return connection.Database.sqlite_version


# --- SQL queries per page ----------------------------------------------------------


def step_queries(args) -> dict:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    with open(args.targets, encoding="utf-8") as handle:
        targets = json.load(handle)["targets"]
    from bench.cold import _member

    client = Client()
    # Pages for members only are measured with a member's session.
    member_client = Client()
    member = _member()
    if member is not None:
        member_client.force_login(member)
    # Warm what a long-running worker keeps for its lifetime (content types, site
    # root paths, settings), so that the first request of each page counts what
    # rendering it costs, the same before and after the corpus grows.
    for pk in ContentType.objects.values_list("pk", flat=True):
        ContentType.objects.get_for_id(pk)
    for path in ("/healthz", "/robots.txt", "/ressources/?page=2"):
        client.get(path, secure=True)

    def measure(path, *, keep_sql=False, client=client):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path, secure=True)
            elapsed = time.perf_counter() - started
        sql = sum(float(q["time"]) for q in captured.captured_queries)
        measured = {
            "status": response.status_code,
            "queries": len(captured),
            "ms": round(elapsed * 1000, 1),
            "sql_ms": round(sql * 1000, 1),
            "cache": response.get("X-Cache", ""),
            "bytes": len(response.content),
        }
        if keep_sql:
            measured["sql"] = [q["sql"][:300] for q in captured.captured_queries]
            slowest = sorted(
                captured.captured_queries, key=lambda q: -float(q["time"])
            )[:2]
            measured["slowest_sql"] = [
                {"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:400]}
                for q in slowest
            ]
        return measured

    pages = {}
    for target in targets:
        if target["name"] == "static":
            continue  # Served by WhiteNoise before Django's URLs: no query.
        if target.get("member"):
            if member is None:
                continue
            member_client.get(target["paths"][0], secure=True)  # Its templates.
            first = measure(target["paths"][0], keep_sql=True, client=member_client)
            second = measure(target["paths"][0], client=member_client)
            pages[target["name"]] = {"first": first, "second": second}
            continue
        first = measure(target["paths"][0], keep_sql=True)
        second = measure(target["paths"][0])
        pages[target["name"]] = {"first": first, "second": second}
        if len(target["paths"]) > 1:
            # Every search computed, none answered from the answer cache: what
            # a query costs the first time it is asked after a change.
            with override_settings(SEARCH_CACHE_SECONDS=0):
                pages[target["name"]]["each"] = {
                    path: measure(path) for path in target["paths"]
                }
    return {"pages": pages}


# --- Registration rush -------------------------------------------------------------


def step_rush_prepare(args) -> dict:
    import datetime

    from allauth.account.models import EmailAddress
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from events.models import EventIndexPage, EventKind, EventPage, EventSession
    from members.models import User

    start = timezone.localtime() + datetime.timedelta(days=30)
    start = start.replace(hour=9, minute=30, second=0, microsecond=0)
    index = EventIndexPage.objects.get()
    stamp = int(time.time())
    event = EventPage(
        title=f"Formation : cybersécurité des petites communes ({stamp})",
        slug=f"formation-cybersecurite-ruee-{stamp}",
        kind=EventKind.TRAINING,
        lead="Une journée pour préparer sa commune à une attaque par rançongiciel.",
        start=start,
        end=start + datetime.timedelta(hours=7),
        city="Poitiers",
        postcode="86000",
        region="75",
        capacity=args.seats,
        waitlist_enabled=True,
        sessions=[EventSession(start=start, end=start + datetime.timedelta(hours=7))],
    )
    index.add_child(instance=event)
    event.save_revision().publish()

    password = make_password(None)
    users = User.objects.bulk_create(
        User(
            email=f"ruee.{stamp}.{n}@{RUSH_EMAIL_DOMAIN}",
            first_name="Personne",
            last_name=f"Ruée {n}",
            password=password,
        )
        for n in range(args.people)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True)
        for user in users
    )
    sessions = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append({"user": user.pk, "session": store.session_key})
    return {
        "event": event.pk,
        "path": event.url,
        "csrf": secrets.token_hex(16),  # 32 characters: an unmasked CSRF secret.
        "sessions": sessions,
    }


def step_member_session(args) -> dict:
    """A session for a member of the network (approved, active collectivity):
    members share the signed-in page cache (`retex.page_cache`): on the server
    with the page cache on their pages are cache hits after the first request;
    on the cold server (PAGE_CACHE_SECONDS=0) they are rendered each time."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from bench.corpus import EMAIL_DOMAIN
    from members.models import User
    from retex.visibility import MEMBERS_GROUP

    user = (
        User.objects.filter(
            email__endswith=EMAIL_DOMAIN, groups__name=MEMBERS_GROUP, is_active=True
        )
        .order_by("pk")
        .first()
    )
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return {"user": user.pk, "session": store.session_key}


def step_rush_check(args) -> dict:
    from events.models import Registration, RegistrationStatus
    from events.registration import waitlist_position

    registrations = list(
        Registration.objects.filter(event_id=args.event).order_by("pk")
    )
    confirmed = [r for r in registrations if r.status == RegistrationStatus.CONFIRMED]
    waitlisted = [r for r in registrations if r.status == RegistrationStatus.WAITLISTED]
    by_arrival = sorted(registrations, key=lambda r: (r.created_at, r.pk))
    first_in = {r.pk for r in by_arrival[: len(confirmed)]}
    positions = [
        waitlist_position(r)
        for r in sorted(waitlisted, key=lambda r: (r.waitlisted_at, r.pk))
    ]
    return {
        "registrations": len(registrations),
        "people": len({r.user_id for r in registrations}),
        "confirmed": len(confirmed),
        "waitlisted": len(waitlisted),
        "other": len(registrations) - len(confirmed) - len(waitlisted),
        # Seats went to the first arrivals (in the order the server took them).
        "seats_to_first_arrivals": {r.pk for r in confirmed} == first_in,
        # Waitlist positions 1, 2, 3… in the order of arrival, none shared.
        "waitlist_in_order": positions == list(range(1, len(waitlisted) + 1))
        and [r.pk for r in sorted(waitlisted, key=lambda r: (r.waitlisted_at, r.pk))]
        == sorted(r.pk for r in waitlisted),
    }


# --- Mixed run: writes while others read -------------------------------------------

MIXED_EMAIL_DOMAIN = "mixed.bench.retex.localhost"
# The writes of the mixed run, in turn: each register or cancel changes the
# seats of one event (registrations only on some events, cancellations only on
# others, so that the seats of each event only ever move one way and a stale
# page can never show a value that happens to be true again).
MIXED_CYCLE = ("register", "cancel", "register", "cancel", "publish")
MIXED_CAPACITY = 500  # Under 1,000: no thousands separator in the page.


def _verified_people(prefix: str, count: int, domain: str) -> list:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    from members.models import User

    password = make_password(None)
    users = User.objects.bulk_create(
        User(
            email=f"{prefix}.{n}@{domain}",
            first_name="Personne",
            last_name=f"{prefix} {n}",
            password=password,
        )
        for n in range(count)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True)
        for user in users
    )
    return users


def _mixed_writes_of(kind: str, args) -> int:
    total = math.ceil(args.seconds * args.rate) + 1
    return math.ceil(total * MIXED_CYCLE.count(kind) / len(MIXED_CYCLE))


def step_mixed_prepare(args) -> dict:
    """Four trainings published the way an editor would (two where people will
    register, two where registered people will cancel), the people, an editor
    and the knowledge page they will publish again."""
    import datetime

    from django.utils import timezone

    from events.models import EventIndexPage, EventKind, EventPage, EventSession
    from events.registration import registration_create
    from knowledge.models import ArticlePage
    from members.models import User
    from retex.visibility import pages_visible_to

    stamp = int(time.time())
    editor = User.objects.create_user(
        email=f"editrice.{stamp}@{MIXED_EMAIL_DOMAIN}",
        first_name="Éditrice",
        last_name="Banc",
        is_staff=True,
        is_superuser=True,
    )
    index = EventIndexPage.objects.get()
    start = timezone.localtime() + datetime.timedelta(days=45)
    start = start.replace(hour=14, minute=0, second=0, microsecond=0)
    events = []
    for n, role in enumerate(("register", "cancel", "register", "cancel")):
        event = EventPage(
            title=f"Formation : ouvrir les données de sa commune ({stamp}-{n})",
            slug=f"formation-donnees-ouvertes-mixte-{stamp}-{n}",
            kind=EventKind.TRAINING,
            lead="Publier ses données sans y passer ses soirées.",
            start=start,
            end=start + datetime.timedelta(hours=3),
            city="Rennes",
            postcode="35000",
            region="53",
            capacity=MIXED_CAPACITY,
            waitlist_enabled=True,
            sessions=[
                EventSession(start=start, end=start + datetime.timedelta(hours=3))
            ],
        )
        index.add_child(instance=event)
        event.save_revision(user=editor).publish(user=editor)
        events.append({"id": event.pk, "path": event.url, "role": role})
    registering = _verified_people(
        f"mixte.{stamp}.r", _mixed_writes_of("register", args), MIXED_EMAIL_DOMAIN
    )
    cancel_events = [e for e in events if e["role"] == "cancel"]
    per_event = math.ceil(_mixed_writes_of("cancel", args) / len(cancel_events)) + 1
    registered = _verified_people(
        f"mixte.{stamp}.c", per_event * len(cancel_events), MIXED_EMAIL_DOMAIN
    )
    cancellable = {}
    for number, event in enumerate(cancel_events):
        people = registered[number * per_event : (number + 1) * per_event]
        cancellable[str(event["id"])] = [
            registration_create(event_id=event["id"], user=user)[0].pk
            for user in people
        ]
    page = pages_visible_to(ArticlePage.objects.all()).order_by("-pk").first()
    return {
        "events": events,
        "people": [user.pk for user in registering],
        "cancellable": cancellable,
        "editor": editor.pk,
        "page": page.pk,
    }


def step_mixed_write(args) -> dict:
    """The writer of the mixed run: once told to go (a line on standard input),
    about `--rate` writes a second for `--seconds`, through the site's own
    functions, in the order of MIXED_CYCLE: a person registers, a registered
    person cancels, an editor publishes a new revision of a knowledge page.
    Each write is recorded with the wall-clock time before it started and after
    its transaction committed, the seats left after it, and what it made out of
    date in the page cache (`recording_bumps`: the tags it bumped, or a new
    generation and the model that started it). The page cache's generation is
    read after each write: a new one the writer did not start was started by
    another process (a web process serving the readers, the task worker),
    which the report shows too."""
    from django.core.cache import caches

    from events.models import EventPage, Registration
    from events.registration import (
        registration_cancel,
        registration_create,
        seats_left,
    )
    from knowledge.models import ArticlePage
    from members.models import User
    from retex.page_cache import recording_bumps
    from retex.page_cache.keys import CACHE_ALIAS, GENERATION_KEY

    def generation():
        try:
            return caches[CACHE_ALIAS].get(GENERATION_KEY)
        except Exception:  # Reported as unknown; the run goes on.
            return None

    with open(args.plan, encoding="utf-8") as handle:
        plan = json.load(handle)
    editor = User.objects.get(pk=plan["editor"])
    people = list(User.objects.filter(pk__in=plan["people"]).order_by("pk"))
    cancellable = {event: list(ids) for event, ids in plan["cancellable"].items()}
    by_role = {
        role: [e["id"] for e in plan["events"] if e["role"] == role]
        for role in ("register", "cancel")
    }

    def seats(event_id):
        return seats_left(EventPage.objects.get(pk=event_id))

    initial = {str(e["id"]): seats(e["id"]) for e in plan["events"]}
    page = ArticlePage.objects.get(pk=plan["page"])
    title = page.title
    sys.stdout.write("READY\n")
    sys.stdout.flush()
    sys.stdin.readline()

    writes = []
    last_generation = generation()
    started = time.time()
    turns = {"register": 0, "cancel": 0, "publish": 0}
    number = 0
    while time.time() - started < args.seconds:
        due = started + number / args.rate
        if due > time.time():
            time.sleep(due - time.time())
        kind = MIXED_CYCLE[number % len(MIXED_CYCLE)]
        turn = turns[kind]
        turns[kind] += 1
        number += 1
        write = {"kind": kind, "event": None, "seats": None, "error": None}
        # A generation started since the previous write: by another process.
        write["generation_elsewhere"] = generation() != last_generation
        write["before"] = time.time()
        with recording_bumps() as bumped:
            try:
                if kind == "register":
                    event_id = by_role["register"][turn % len(by_role["register"])]
                    registration_create(event_id=event_id, user=people[turn])
                elif kind == "cancel":
                    event_id = by_role["cancel"][turn % len(by_role["cancel"])]
                    registration_id = cancellable[str(event_id)].pop()
                    person = Registration.objects.get(pk=registration_id).user
                    registration_cancel(registration_id=registration_id, by=person)
                else:
                    event_id = None
                    revision = page.get_latest_revision_as_object()
                    revision.title = f"{title} (mise à jour {turn + 1})"
                    revision.save_revision(user=editor).publish(user=editor)
                write["after"] = time.time()
                write["event"] = event_id
                if event_id is not None:
                    write["seats"] = seats(event_id)
            except Exception as error:  # Reported: a failed write fails the run.
                write["after"] = time.time()
                write["error"] = f"{kind}: {error!r}"
        # What it made out of date: [origin, sorted tags] or [origin, None]
        # for a new generation.
        write["bumped"] = [
            [origin, None if tags is None else sorted(tags)] for origin, tags in bumped
        ]
        last_generation = generation()
        writes.append(write)
    return {
        "initial": initial,
        "writes": writes,
        "seconds": round(time.time() - started, 2),
    }


def step_cold(args) -> dict:
    from bench.cold import choose_pages, measure

    return measure(
        choose_pages(), renders=args.renders, profile_renders=args.profile_renders
    )


STEPS = {
    "generate": step_generate,
    "targets": step_targets,
    "queries": step_queries,
    "rush-prepare": step_rush_prepare,
    "rush-check": step_rush_check,
    "member-session": step_member_session,
    "mixed-prepare": step_mixed_prepare,
    "mixed-write": step_mixed_write,
    "cold": step_cold,
}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.phases")
    parser.add_argument("step", choices=sorted(STEPS))
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--small-fraction", type=float, default=0.1)
    parser.add_argument("--part", choices=["small", "rest", "all"], default="small")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--targets")
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--event", type=int)
    parser.add_argument("--plan")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=2.0)
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--profile-renders", type=int, default=5)
    args = parser.parse_args(argv)
    _setup()
    _emit(STEPS[args.step](args))


if __name__ == "__main__":
    main()
