"""Demo questions to the network and their answers (`retex/demo_data/questions.yaml`).

Posted through the rules (`questions.question_create`, `answers.answer_create`)
by the demo people, so the authors' collectivities are theirs. Each record's
token is derived from its slug: a rerun finds what the first run posted and
changes nothing. Dates are days before today, set once when a row is created.
`consent` is the author's « j'accepte que ma question / réponse soit reprise »;
`resource: pratique` (or `article`) turns the resolved question into a
published resource, as an editor would (`drafts.create_draft`), once.
"""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from aid.answers import answer_create, answer_mark_solution
from aid.drafts import KINDS, create_draft
from aid.models import Answer, Question
from aid.questions import question_close, question_create
from members.models import User
from retex.demo import DemoDataError, load_demo_data
from retex.models import Theme

QUESTIONS_SCHEMA = {
    "questions": [
        {
            "slug": str,
            "title": str,
            "details": str,
            "author": str,
            "days_ago": int,
            "themes?": [str],
            "closed?": bool,
            "consent?": bool,
            "resource?": str,
            "answers?": [
                {
                    "author": str,
                    "body": str,
                    "days_ago": int,
                    "solution?": bool,
                    "consent?": bool,
                }
            ],
        }
    ]
}

# Tokens of demo rows: stable across runs and databases.
NAMESPACE = uuid.UUID("2f1e8c55-9a57-4d0e-9a53-5c1b8a0a1d16")


def load_questions():
    return load_demo_data("questions", QUESTIONS_SCHEMA)["questions"]


def _person(email: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        raise DemoDataError(f"questions.yaml: unknown person {email!r}")
    return user


def _backdate(model, pk: int, days_ago: int) -> None:
    when = timezone.now() - datetime.timedelta(days=days_ago)
    model.objects.filter(pk=pk).update(created_at=when)


def seed_questions(stats) -> None:
    for record in load_questions():
        themes = list(Theme.objects.filter(slug__in=record.get("themes", [])))
        question, created = question_create(
            author=_person(record["author"]),
            title=record["title"],
            details=record["details"],
            themes=themes,
            token=uuid.uuid5(NAMESPACE, record["slug"]),
            consent=record.get("consent", False),
        )
        stats.count(Question, "created" if created else "unchanged")
        if created:
            _backdate(Question, question.pk, record["days_ago"])
        for rank, item in enumerate(record.get("answers", [])):
            answer, created = answer_create(
                question_id=question.pk,
                author=_person(item["author"]),
                body=item["body"],
                token=uuid.uuid5(NAMESPACE, f"{record['slug']}/{rank}"),
                consent=item.get("consent", False),
            )
            stats.count(Answer, "created" if created else "unchanged")
            if created:
                _backdate(Answer, answer.pk, item["days_ago"])
            if item.get("solution") and not answer.is_solution:
                answer_mark_solution(answer_id=answer.pk, user=question.author)
        if record.get("resource"):
            _resource(question.pk, record["resource"])
        if record.get("closed") and question.status != "close":
            question_close(question_id=question.pk, user=question.author)


def _resource(question_id: int, kind: str) -> None:
    """The resolved question turned into a resource, published (once)."""
    if kind not in KINDS:
        raise DemoDataError(f"questions.yaml: unknown resource kind {kind!r}")
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question_id)
        if question.knowledge_page_id is not None:
            return
        page = create_draft(question, kind=kind)
        page.get_latest_revision().publish()
