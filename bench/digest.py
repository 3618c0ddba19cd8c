"""The digest run: `python -m bench.digest [--people 5000] [--follows 20]`.

A step of `make bench` (after the served runs, on the benchmark's database) and
usable alone on any database that holds a corpus (`bench.corpus`): it adds
`--people` accounts with the weekly frequency, each following `--follows`
things (themes, collectivities, questions of the mutual-aid space when there
are some, and one saved search for one person in ten), gives last week some
activity (pages first published then, questions and answers), then sends last
week's digests through the code the `send_digests` command and its tasks run
(`following.digest.claim` then `deliver_batch`, batch by batch); each email is
built in full and handed to Django's dummy backend. It reports the wall time,
the process's CPU time, its peak memory (resident set size, `ru_maxrss`) and
what was sent, then removes what it added.

Target of issue 17: under 2 minutes and 300 MiB for 5,000 people, 20 followed
items each, one week of activity.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import resource
import sys
import time

GOAL_SECONDS = 120
GOAL_MIB = 300
EMAIL_DOMAIN = "digest.bench.retex.localhost"


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retex.settings")
    import django

    django.setup()
    from django.conf import settings

    # Built and handed to a backend that drops them: keeping 5,000 messages in
    # memory (locmem) would measure the benchmark, not the digests.
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


def _progress(total: int, label: str):
    try:
        from tqdm import tqdm
    except ImportError:  # Without the bench extra: a line every tenth.
        return _Lines(total, label)
    return tqdm(total=total, desc=f"  {label}", unit=" people", file=sys.stderr)


class _Lines:
    def __init__(self, total, label):
        self.total, self.label, self.done, self.next = total, label, 0, 0

    def update(self, count):
        self.done += count
        if self.done >= self.next:
            sys.stderr.write(f"  {self.label}: {self.done}/{self.total}\n")
            self.next += max(1, self.total // 10)

    def close(self):
        pass


def _peak_mib() -> float:
    # Linux reports kilobytes, macOS bytes.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def prepare(*, people: int, follows: int, seed: int, week) -> dict:
    """Accounts, their follows and last week's activity; returns what was added."""
    from django.apps import apps
    from django.contrib.auth.hashers import make_password

    from following.kinds import follow_key
    from following.models import EmailPreference, Follow, FollowKind, Frequency
    from members.models import CollectivityPage, User
    from retex.models import Theme

    rng = random.Random(seed)  # noqa: S311 (reproducible test data)
    since, until = week
    themes = list(Theme.objects.values_list("pk", flat=True))
    collectivities = list(CollectivityPage.objects.live().values_list("pk", flat=True))
    question_model = (
        apps.get_model("aid", "Question") if apps.is_installed("aid") else None
    )
    password = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=f"lecteur{n}@{EMAIL_DOMAIN}",
                first_name="Lecteur",
                last_name=str(n),
                password=password,
            )
            for n in range(people)
        ],
        batch_size=1000,
    )
    user_ids = list(
        User.objects.filter(email__endswith="@" + EMAIL_DOMAIN).values_list(
            "pk", flat=True
        )
    )
    EmailPreference.objects.bulk_create(
        [EmailPreference(user_id=pk, frequency=Frequency.WEEKLY) for pk in user_ids],
        batch_size=1000,
    )
    # Last week's activity: pages first published then, questions, answers.
    knowledge = apps.get_model("knowledge", "KnowledgePage")
    page_ids = list(knowledge.objects.live().values_list("pk", flat=True))
    moved = rng.sample(page_ids, min(60, len(page_ids)))
    span = (until - since).total_seconds()
    for pk in moved:
        when = since + datetime.timedelta(seconds=rng.uniform(0, span - 1))
        knowledge.objects.filter(pk=pk).update(first_published_at=when)
    question_ids = []
    if question_model is not None:
        answer_model = apps.get_model("aid", "Answer")
        for n in range(20):
            question = question_model.objects.create(
                title=f"Question de la semaine {n} sur la fibre et les tiers-lieux",
                details="Qui a déjà fait cela ?",
                collectivity_id=rng.choice(collectivities) if collectivities else None,
            )
            question.themes.set(rng.sample(themes, min(2, len(themes))))
            question_ids.append(question.pk)
        answers = [
            answer_model(
                question_id=rng.choice(question_ids), body="Nous l'avons fait."
            )
            for _ in range(60)
        ]
        answer_model.objects.bulk_create(answers)
        when = since + datetime.timedelta(seconds=span / 2)
        question_model.objects.filter(pk__in=question_ids).update(created_at=when)
        answer_model.objects.filter(question_id__in=question_ids).update(
            created_at=when
        )
    rows = []
    for index, user_id in enumerate(user_ids):
        chosen = set()
        wanted = [
            (FollowKind.THEME, themes, 8),
            (FollowKind.QUESTION, question_ids, 2),
            (FollowKind.COLLECTIVITY, collectivities, follows),
        ]
        for kind, pool, count in wanted:
            for pk in rng.sample(pool, min(count, len(pool))):
                if len(chosen) >= follows - (1 if index % 10 == 0 else 0):
                    break
                chosen.add((kind, pk))
        for kind, pk in chosen:
            rows.append(
                Follow(
                    user_id=user_id,
                    kind=kind,
                    object_id=pk,
                    key=follow_key(kind, object_id=pk),
                )
            )
        if index % 10 == 0:
            query = rng.choice(["tiers-lieu", "fibre optique", "inclusion numérique"])
            rows.append(
                Follow(
                    user_id=user_id,
                    kind=FollowKind.SEARCH,
                    query=query,
                    filters={},
                    key=follow_key(FollowKind.SEARCH, query=query, filters={}),
                )
            )
    Follow.objects.bulk_create(rows, batch_size=2000)
    return {
        "people": len(user_ids),
        "follows": len(rows),
        "pages_last_week": len(moved),
        "questions_last_week": len(question_ids),
        "question_ids": question_ids,
    }


def run(*, people: int, follows: int, seed: int = 2026) -> dict:
    from following.digest import (
        BATCH_SIZE,
        _recipients,
        claim,
        deliver_batch,
        due_periods,
    )
    from following.models import Digest, DigestStatus, Frequency

    period = next(p for p in due_periods() if p.frequency == Frequency.WEEKLY)
    added = prepare(
        people=people, follows=follows, seed=seed, week=(period.since, period.until)
    )

    started, cpu_started = time.monotonic(), time.process_time()
    user_ids = list(_recipients(period.frequency, period.key))
    bar = _progress(len(user_ids), "digests")
    activities: dict = {}
    for start in range(0, len(user_ids), 1000):
        digest_ids = claim(period, user_ids[start : start + 1000])
        for batch in range(0, len(digest_ids), BATCH_SIZE):
            ids = digest_ids[batch : batch + BATCH_SIZE]
            deliver_batch(ids, activities=activities)
            bar.update(len(ids))
    bar.close()
    seconds = round(time.monotonic() - started, 1)
    cpu_seconds = round(time.process_time() - cpu_started, 1)
    from django.db.models import Count

    statuses = {
        row["status"]: row["n"]
        for row in Digest.objects.filter(period=period.key)
        .values("status")
        .annotate(n=Count("pk"))
    }
    result = {
        **{k: v for k, v in added.items() if k != "question_ids"},
        "period": period.key,
        "seconds": seconds,
        # The process's own CPU: what a busy machine does not inflate.
        "cpu_seconds": cpu_seconds,
        "peak_mib": _peak_mib(),
        "emails": statuses.get(DigestStatus.SENT, 0),
        "sent": statuses.get(DigestStatus.SENT, 0),
        "empty": statuses.get(DigestStatus.EMPTY, 0),
        "goal_seconds": GOAL_SECONDS,
        "goal_mib": GOAL_MIB,
    }
    result["met"] = seconds <= GOAL_SECONDS and result["peak_mib"] <= GOAL_MIB
    cleanup(added["question_ids"])
    return result


def cleanup(question_ids) -> None:
    from django.apps import apps

    from members.models import User

    User.objects.filter(email__endswith="@" + EMAIL_DOMAIN).delete()
    if question_ids:
        apps.get_model("aid", "Question").objects.filter(pk__in=question_ids).delete()


def render(result: dict) -> str:
    verdict = "met" if result["met"] else "NOT met"
    return (
        f"Digest run ({result['period']}): {result['people']} people, "
        f"{result['follows']} follows, {result['pages_last_week']} pages and "
        f"{result['questions_last_week']} questions last week: "
        f"{result['emails']} emails ({result['empty']} with nothing new) in "
        f"{result['seconds']} s ({result['cpu_seconds']} s of CPU), peak {result['peak_mib']} MiB "
        f"(target {GOAL_SECONDS} s and {GOAL_MIB} MiB: {verdict})\n"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.digest")
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--follows", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    _setup()
    result = run(people=args.people, follows=args.follows, seed=args.seed)
    sys.stderr.write(render(result))
    sys.stdout.write("\n" + json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
