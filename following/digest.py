"""Digests: what is new in what each person follows, in one email per period.

`send_digests(now)` (the `send_digests` command, safe to run every hour from
several machines) claims, for each frequency, the period that has just ended
(yesterday for « quotidien », last ISO week for « hebdomadaire », in
Europe/Paris) for every person who follows something: one `Digest` row per
(person, period), inserted with ON CONFLICT DO NOTHING and a claim id, so two
concurrent runs never claim the same row and nothing is sent twice. The rows
are handed to `send_digest_batch` tasks, `BATCH_SIZE` at a time, enqueued in
the claiming transaction (`enqueue_after_commit`).

What goes into an email is decided by the task, at sending time, with the rule
pages use (`retex.visibility.pages_visible_to`): a page restricted after it was
followed, or a question hidden since, is not sent to someone who may not see
it. A person with nothing new gets no email (the row says « vide »).

« Immédiatement »: `following.signals` enqueues `send_immediate_alerts` when a
page is published or a question or answer is posted; it claims a
`Digest(period="immediat:<kind>:<id>")` per person, the same way.

A batch that fails to send (mail server down) records what was sent, schedules
itself again for the rest (`retex.tasks.retry_later`) and fails, so the task backend shows
the error; after the last attempt the remaining rows are marked « échec ».
"""

import datetime
import logging
import uuid
import zoneinfo
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from following.kinds import clean_filters
from following.mail import notification_message
from following.models import Digest, DigestStatus, Follow, FollowKind, Frequency
from following.preferences import wants
from retex.links import absolute_url
from retex.tasks import MAX_ATTEMPTS, enqueue_after_commit, retry_later, send_once
from retex.visibility import failed_restrictions, pages_visible_to, sees_members_content

logger = logging.getLogger(__name__)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
BATCH_SIZE = 100
# Items of one kind shown in one email; the rest is « et N autres ».
MAX_ITEMS = 20


class DigestRetryScheduled(Exception):
    """This attempt failed for some emails; the next one is scheduled."""


class DigestNotSent(Exception):
    """Every attempt failed for some emails: they are marked « échec »."""


# --- Periods and claiming ------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    frequency: str
    key: str
    since: datetime.datetime
    until: datetime.datetime


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=PARIS)


def due_periods(now=None) -> list[Period]:
    """The periods that have just ended: yesterday, and last week (Monday to Monday)."""
    now = now or timezone.now()
    today = now.astimezone(PARIS).date()
    yesterday = today - datetime.timedelta(days=1)
    monday = today - datetime.timedelta(days=today.weekday())
    last_monday = monday - datetime.timedelta(days=7)
    iso = last_monday.isocalendar()
    return [
        Period(
            Frequency.DAILY,
            f"quotidien:{yesterday.isoformat()}",
            _midnight(yesterday),
            _midnight(today),
        ),
        Period(
            Frequency.WEEKLY,
            f"hebdomadaire:{iso.year}-W{iso.week:02d}",
            _midnight(last_monday),
            _midnight(monday),
        ),
    ]


def _recipients(frequency: str, period_key: str):
    """Ids of active people with this frequency who follow something and have no
    digest for this period yet (people without preferences are weekly)."""
    chosen = Q(email_preference__frequency=frequency)
    if frequency == Frequency.WEEKLY:
        chosen |= Q(email_preference__isnull=True)
    return (
        get_user_model()
        .objects.filter(chosen, is_active=True)
        .filter(pk__in=Follow.objects.values("user_id"))
        .exclude(pk__in=Digest.objects.filter(period=period_key).values("user_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def claim(period: Period, user_ids) -> list[int]:
    """Insert this run's rows; returns the ids of the rows this run claimed."""
    token = uuid.uuid4()
    Digest.objects.bulk_create(
        [
            Digest(
                user_id=user_id,
                period=period.key,
                since=period.since,
                until=period.until,
                claim=token,
            )
            for user_id in user_ids
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    return list(
        Digest.objects.filter(claim=token).order_by("pk").values_list("pk", flat=True)
    )


def send_digests(now=None) -> int:
    """Claim and enqueue every due digest; returns how many this run claimed."""
    claimed = 0
    for period in due_periods(now):
        user_ids = list(_recipients(period.frequency, period.key))
        for start in range(0, len(user_ids), 1000):
            with transaction.atomic():
                digest_ids = claim(period, user_ids[start : start + 1000])
                for batch in range(0, len(digest_ids), BATCH_SIZE):
                    enqueue_after_commit(
                        send_digest_batch,
                        digest_ids=digest_ids[batch : batch + BATCH_SIZE],
                    )
            claimed += len(digest_ids)
    return claimed


# --- What happened in a period ---------------------------------------------------------


@dataclass
class Item:
    kind: str  # "page", "event", "question", "answer", "search"
    pk: int
    title: str
    url: str
    summary: str = ""
    themes: frozenset = frozenset()
    collectivities: frozenset = frozenset()
    question_id: int | None = None
    page: bool = False  # a Wagtail page: visibility by the pages' rule


@dataclass
class Activity:
    since: datetime.datetime
    until: datetime.datetime
    pages: list[Item] = field(default_factory=list)
    events: list[Item] = field(default_factory=list)
    questions: list[Item] = field(default_factory=list)
    answers: list[Item] = field(default_factory=list)
    # An immediate alert is about one thing: saved searches keep only its link.
    only_url: str | None = None
    # visibility signature -> ids of the pages above that such people may see
    _visible: dict = field(default_factory=dict)

    def visible_page_ids(self, user) -> set[int]:
        signature = tuple(sorted(r.pk for r in failed_restrictions(user)))
        if signature not in self._visible:
            ids = [item.pk for item in self.pages + self.events]
            page_model = apps.get_model("wagtailcore", "Page")
            self._visible[signature] = set(
                pages_visible_to(
                    page_model.objects.filter(pk__in=ids), user=user
                ).values_list("pk", flat=True)
            )
        return self._visible[signature]


def collect_activity(since, until, *, now=None) -> Activity:
    """Everything new between `since` and `until`, read in a few queries."""
    now = now or timezone.now()
    activity = Activity(since=since, until=until)
    knowledge = apps.get_model("knowledge", "KnowledgePage")
    pages = (
        knowledge.objects.live()
        .filter(first_published_at__gte=since, first_published_at__lt=until)
        .prefetch_related("themes")
        .order_by("-first_published_at", "pk")
    )
    practice_of = dict(
        apps.get_model("knowledge", "PracticePage")
        .objects.filter(pk__in=[p.pk for p in pages], collectivity__isnull=False)
        .values_list("pk", "collectivity_id")
    )
    interviewed: dict[int, set] = {}
    for page_id, collectivity_id in (
        apps.get_model("knowledge", "Interviewee")
        .objects.filter(page_id__in=[p.pk for p in pages], collectivity__isnull=False)
        .values_list("page_id", "collectivity_id")
    ):
        interviewed.setdefault(page_id, set()).add(collectivity_id)
    for page in pages:
        collectivities = set(interviewed.get(page.pk, ()))
        if page.pk in practice_of:
            collectivities.add(practice_of[page.pk])
        activity.pages.append(
            Item(
                "page",
                page.pk,
                page.title,
                absolute_url(page.url or "/"),
                summary=page.lead,
                themes=frozenset(t.pk for t in page.themes.all()),
                collectivities=frozenset(collectivities),
                page=True,
            )
        )
    event_model = apps.get_model("events", "EventPage")
    events = (
        event_model.objects.live()
        .filter(cancelled=False, start__gt=now)
        .filter(
            Q(first_published_at__gte=since, first_published_at__lt=until)
            | Q(registration_opens__gte=since, registration_opens__lt=until)
        )
        .filter(Q(registration_opens__isnull=True) | Q(registration_opens__lte=now))
        .filter(Q(registration_closes__isnull=True) | Q(registration_closes__gt=now))
        .prefetch_related("themes")
        .order_by("start", "pk")
    )
    for event in events:
        activity.events.append(
            Item(
                "event",
                event.pk,
                event.title,
                absolute_url(event.url or "/"),
                summary=event.lead,
                themes=frozenset(t.pk for t in event.themes.all()),
                page=True,
            )
        )
    if apps.is_installed("aid"):
        question_model = apps.get_model("aid", "Question")
        for question in (
            question_model.objects.filter(
                hidden=False, created_at__gte=since, created_at__lt=until
            )
            .prefetch_related("themes")
            .order_by("-created_at", "pk")
        ):
            activity.questions.append(
                Item(
                    "question",
                    question.pk,
                    question.title,
                    absolute_url(question.get_absolute_url()),
                    themes=frozenset(t.pk for t in question.themes.all()),
                    collectivities=frozenset(
                        [question.collectivity_id] if question.collectivity_id else []
                    ),
                    question_id=question.pk,
                )
            )
        for answer in (
            apps.get_model("aid", "Answer")
            .objects.filter(
                hidden=False,
                question__hidden=False,
                created_at__gte=since,
                created_at__lt=until,
            )
            .select_related("question")
            .order_by("created_at", "pk")
        ):
            activity.answers.append(
                Item(
                    "answer",
                    answer.pk,
                    answer.question.title,
                    absolute_url(answer.question.get_absolute_url()),
                    question_id=answer.question_id,
                )
            )
    return activity


# --- One person's email -------------------------------------------------------------------


def _search_results(follow: Follow, user, activity: Activity) -> list[Item]:
    """Results of a saved search, as the person would see them now, that were
    first published during the period (the pages and events of `activity`)."""
    from retex.search_port import search

    new = {item.url: item for item in activity.pages + activity.events}
    if not new:
        return []
    answer = search(
        text=follow.query,
        user=user,
        filters=clean_filters(follow.filters),
        sort="date",
        page=1,
    )
    found = []
    for result in answer.results:
        item = new.get(absolute_url(result["url"]))
        if item is not None:
            found.append(item)
    return found


def items_for(user, follows: list[Follow], activity: Activity) -> dict[str, list]:
    """What this person follows among `activity`, limited to what they may see now."""
    themes = {f.object_id for f in follows if f.kind == FollowKind.THEME}
    collectivities = {f.object_id for f in follows if f.kind == FollowKind.COLLECTIVITY}
    questions = {f.object_id for f in follows if f.kind == FollowKind.QUESTION}
    searches = [f for f in follows if f.kind == FollowKind.SEARCH]
    sections = {
        "pages": [],
        "events": [],
        "questions": [],
        "answers": [],
        "searches": [],
    }

    def matches(item: Item) -> bool:
        return bool(item.themes & themes or item.collectivities & collectivities)

    candidates_pages = [i for i in activity.pages if matches(i)]
    candidates_events = [i for i in activity.events if i.themes & themes]
    if candidates_pages or candidates_events:
        visible = activity.visible_page_ids(user)
        sections["pages"] = [i for i in candidates_pages if i.pk in visible]
        sections["events"] = [i for i in candidates_events if i.pk in visible]
    if sees_members_content(user):
        sections["questions"] = [i for i in activity.questions if matches(i)]
        seen = set()
        for answer in activity.answers:
            if answer.question_id in questions and answer.question_id not in seen:
                seen.add(answer.question_id)
                sections["answers"].append(answer)
    shown = {i.url for items in sections.values() for i in items}
    for follow in searches:
        for item in _search_results(follow, user, activity):
            if activity.only_url and item.url != activity.only_url:
                continue
            if item.url not in shown:
                shown.add(item.url)
                sections["searches"].append(item)
    return sections


def _subject(period: str, activity: Activity, count: int) -> str:
    if period.startswith("quotidien:"):
        from retex.templatetags.french_dates import french_date

        return _("Retex : vos nouveautés du %(date)s") % {
            "date": french_date(activity.since)
        }
    if period.startswith("hebdomadaire:"):
        return _("Retex : vos nouveautés de la semaine")
    return _("Retex : du nouveau dans ce que vous suivez")


def digest_message(digest: Digest, sections: dict, activity: Activity):
    count = sum(len(items) for items in sections.values())
    shown = {name: items[:MAX_ITEMS] for name, items in sections.items()}
    more = {name: max(0, len(items) - MAX_ITEMS) for name, items in sections.items()}
    return notification_message(
        user=digest.user,
        category="digest",
        subject=_subject(digest.period, activity, count),
        text_template="following/email/digest.txt",
        html_template="following/email/digest.html",
        context={"sections": shown, "more": more, "count": count, "digest": digest},
    ), count


def _deliver(digest: Digest, activity: Activity, follows: list[Follow]) -> None:
    """Build and send one digest; sets its row's fields (saved by the caller,
    with the batch's). Raises if sending failed."""
    user = digest.user
    if not wants(user, "digest"):
        digest.status = DigestStatus.SKIPPED
        return
    sections = items_for(user, follows, activity)
    message, count = digest_message(digest, sections, activity)
    if count == 0 or message is None:
        digest.status = DigestStatus.EMPTY if count == 0 else DigestStatus.SKIPPED
        return
    send_once(message)
    digest.status = DigestStatus.SENT
    digest.item_count = count
    digest.sent_at = timezone.now()


def _pending(digest_ids) -> list[Digest]:
    return list(
        Digest.objects.filter(pk__in=digest_ids, status=DigestStatus.PENDING)
        .select_related("user", "user__email_preference")
        .prefetch_related("user__groups", "user__follows")
        .order_by("pk")
    )


def deliver_batch(digest_ids: list[int], *, attempt: int = 1, activities=None) -> int:
    """Send the pending digests among `digest_ids`; returns how many were sent."""
    digests = _pending(digest_ids)
    activities = {} if activities is None else activities
    failed: list[int] = []
    done: list[Digest] = []
    last_error = None
    sent = 0
    for digest in digests:
        user = digest.user
        # The groups were prefetched: the visibility rule reads them from here.
        user._retex_groups = {g.pk: g.name for g in user.groups.all()}
        preference = getattr(user, "email_preference", None)
        if preference is not None:
            user._retex_email_preference = preference
        window = (digest.since, digest.until)
        if window not in activities:
            activities[window] = collect_activity(*window)
        try:
            _deliver(digest, activities[window], list(user.follows.all()))
        except Exception as error:  # Recorded below; the others are still sent.
            last_error = error
            failed.append(digest.pk)
            continue
        done.append(digest)
        sent += digest.status == DigestStatus.SENT
    # One write for the batch (a worker killed before it sends the batch's
    # emails again only through `send_once`, which recognises them).
    with transaction.atomic():
        Digest.objects.bulk_update(done, ["status", "item_count", "sent_at"])
        Digest.objects.filter(pk__in=failed).update(attempts=attempt)
    if failed:
        retried = retry_later(
            send_digest_batch, attempt=attempt, kwargs={"digest_ids": failed}
        )
        logger.error(
            "Digests %s failed (attempt %s of %s, %s): %s",
            failed,
            attempt,
            MAX_ATTEMPTS,
            "retry scheduled" if retried else "abandoned",
            last_error,
        )
        if retried:
            raise DigestRetryScheduled(str(last_error)) from last_error
        Digest.objects.filter(pk__in=failed).update(status=DigestStatus.FAILED)
        raise DigestNotSent(str(last_error)) from last_error
    return sent


@task()
def send_digest_batch(*, digest_ids: list[int], attempt: int = 1) -> int:
    return deliver_batch(digest_ids, attempt=attempt)


# --- Immediately ------------------------------------------------------------------------


def _followers_for(item: Item, *, kind: str) -> list[int]:
    """Ids of people with the « immédiatement » frequency whose follows match."""
    match = Q(kind=FollowKind.THEME, object_id__in=list(item.themes))
    if item.collectivities:
        match |= Q(
            kind=FollowKind.COLLECTIVITY, object_id__in=list(item.collectivities)
        )
    if kind == "answer":
        match = Q(kind=FollowKind.QUESTION, object_id=item.question_id)
    if kind == "page":
        match |= Q(kind=FollowKind.SEARCH)
    return list(
        Follow.objects.filter(match)
        .filter(
            user__is_active=True,
            user__email_preference__frequency=Frequency.IMMEDIATE,
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


@task()
def send_immediate_alerts(*, kind: str, pk: int) -> int:
    """Alert the people who follow this new thing immediately (once each)."""
    now = timezone.now()
    since = now - datetime.timedelta(days=1)
    activity = collect_activity(since, now + datetime.timedelta(seconds=1), now=now)
    for name in ("pages", "events", "questions", "answers"):
        setattr(
            activity,
            name,
            [i for i in getattr(activity, name) if i.kind == kind and i.pk == pk],
        )
    items = activity.pages + activity.events + activity.questions + activity.answers
    if not items:
        return 0
    item = items[0]
    activity.only_url = item.url
    user_ids = _followers_for(item, kind=kind)
    if not user_ids:
        return 0
    period = Period(Frequency.IMMEDIATE, f"immediat:{kind}:{pk}", since, now)
    with transaction.atomic():
        digest_ids = claim(period, user_ids)
    sent = 0
    activities = {}
    for start in range(0, len(digest_ids), BATCH_SIZE):
        batch = digest_ids[start : start + BATCH_SIZE]
        for digest in Digest.objects.filter(pk__in=batch):
            activities[(digest.since, digest.until)] = activity
        sent += deliver_batch(batch, activities=activities)
    return sent
