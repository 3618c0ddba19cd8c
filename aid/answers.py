"""Answers: posting, editing within a window, « utile », the solution.

Each write owns its transaction. Posting uses the form's token as questions do
(a double submit posts once). Marking the solution locks the question's row
first, then moves the mark: two clicks at once leave exactly one solution (the
database also refuses two, `one_solution_per_question`).
"""

import datetime
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aid.access import can_moderate, can_write
from aid.errors import NO_SUCH_ANSWER, NOT_A_MEMBER, AidError
from aid.models import Answer, QuestionStatus, Report, UsefulMark
from aid.notifications import notify
from aid.questions import _author_collectivity, visible_question

# How long an author may correct their answer: long enough for a typo seen
# after posting, short enough that nobody answers a text that changes later.
EDIT_WINDOW = datetime.timedelta(minutes=30)


def visible_answer(answer_id: int, *, lock: bool = False) -> Answer:
    answers = Answer.objects.filter(pk=answer_id, hidden=False, question__hidden=False)
    if lock:
        answers = answers.select_for_update()
    answer = answers.select_related("question").first()
    if answer is None:
        raise AidError(NO_SUCH_ANSWER)
    return answer


def answer_create(
    *, question_id: int, author, body: str, token: uuid.UUID, consent: bool = False
) -> tuple[Answer, bool]:
    """Answer a question; (answer, False) when this token already posted it."""
    if not can_write(author):
        raise AidError(NOT_A_MEMBER)
    existing = Answer.objects.filter(token=token, author=author).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            question = visible_question(question_id, lock=True)
            if question.status == QuestionStatus.CLOSED:
                raise AidError(
                    _("Cette question est close\u00a0: elle ne prend plus de réponse.")
                )
            answer = Answer.objects.create(
                question=question,
                author=author,
                collectivity=_author_collectivity(author),
                body=body,
                token=token,
                consent=consent,
            )
            # The question's activity: its `updated_at` (and its search entry).
            question.save(update_fields=["updated_at"])
            if question.author_id != author.pk:
                notify(
                    "answered",
                    user_id=question.author_id,
                    question_id=question.pk,
                    answer_id=answer.pk,
                )
    except IntegrityError:
        existing = Answer.objects.filter(token=token, author=author).first()
        if existing is None:
            raise
        return existing, False
    return answer, True


def edit_deadline(answer: Answer) -> datetime.datetime:
    return answer.created_at + EDIT_WINDOW


def can_edit(answer: Answer, user, *, now=None) -> bool:
    now = now or timezone.now()
    return (
        answer.author_id is not None
        and answer.author_id == user.pk
        and now < edit_deadline(answer)
    )


def answer_edit(*, answer_id: int, user, body: str, now=None) -> Answer:
    """The author corrects their answer, within `EDIT_WINDOW` of posting it."""
    if not can_write(user):
        raise AidError(NOT_A_MEMBER)
    now = now or timezone.now()
    with transaction.atomic():
        answer = visible_answer(answer_id, lock=True)
        if answer.author_id != user.pk:
            raise AidError(_("Vous ne pouvez modifier que vos propres réponses."))
        if now >= edit_deadline(answer):
            raise AidError(
                _(
                    "Une réponse se modifie dans les %(minutes)s minutes qui suivent "
                    "sa publication\u00a0: ce délai est passé."
                )
                % {"minutes": int(EDIT_WINDOW.total_seconds() // 60)}
            )
        if body != answer.body:
            answer.body = body
            answer.edited_at = now
            answer.save(update_fields=["body", "edited_at"])
    return answer


def answer_mark_useful(*, answer_id: int, user) -> bool:
    """A member finds someone else's answer useful. True when newly marked;
    marking again (a double submit) changes nothing."""
    if not can_write(user):
        raise AidError(NOT_A_MEMBER)
    answer = visible_answer(answer_id)
    if answer.author_id == user.pk:
        raise AidError(
            _("Vous ne pouvez pas marquer votre propre réponse comme utile.")
        )
    try:
        with transaction.atomic():
            _mark, created = UsefulMark.objects.get_or_create(answer=answer, user=user)
            if created:
                notify(
                    "useful",
                    user_id=answer.author_id,
                    question_id=answer.question_id,
                    answer_id=answer.pk,
                )
                asker_id = answer.question.author_id
                if asker_id not in (user.pk, answer.author_id):
                    notify(
                        "asker_useful",
                        user_id=asker_id,
                        question_id=answer.question_id,
                        answer_id=answer.pk,
                    )
    except IntegrityError:  # The same click, arrived twice at once.
        return False
    return created


def answer_mark_solution(*, answer_id: int, user) -> Answer:
    """The asker marks this answer as the solution (the previous one, if any,
    is no longer): the question is resolved."""
    if not can_write(user):
        raise AidError(NOT_A_MEMBER)
    with transaction.atomic():
        answer = visible_answer(answer_id)
        question = visible_question(answer.question_id, lock=True)
        if question.author_id is None or question.author_id != user.pk:
            raise AidError(_("Seul l'auteur de la question peut choisir la solution."))
        if question.status == QuestionStatus.CLOSED:
            raise AidError(_("Cette question est close."))
        Answer.objects.filter(question=question, is_solution=True).exclude(
            pk=answer.pk
        ).update(is_solution=False)
        if not answer.is_solution:
            answer.is_solution = True
            answer.save(update_fields=["is_solution"])
            if answer.author_id != user.pk:
                notify(
                    "solution",
                    user_id=answer.author_id,
                    question_id=question.pk,
                    answer_id=answer.pk,
                )
        if question.status != QuestionStatus.RESOLVED:
            question.status = QuestionStatus.RESOLVED
        question.save(update_fields=["status", "updated_at"])
    return answer


def answer_set_hidden(*, answer_id: int, hidden: bool, by, reason: str = "") -> Answer:
    """A moderator hides an answer (it disappears for members) or restores it;
    its author is told (with `reason` when hidden). A hidden solution stops
    being the solution: the question is open again."""
    if not can_moderate(by):
        raise AidError(_("Seule l'équipe du réseau peut masquer une réponse."))
    with transaction.atomic():
        answer = Answer.objects.select_for_update().filter(pk=answer_id).first()
        if answer is None:
            raise AidError(NO_SUCH_ANSWER)
        if answer.hidden != hidden:
            apply_hidden(answer, hidden)
            if hidden:
                # Hiding it is the editors' answer to its waiting reports.
                Report.objects.filter(answer=answer, handled=False).update(handled=True)
            notify(
                "hidden" if hidden else "restored",
                user_id=answer.author_id,
                question_id=answer.question_id,
                answer_id=answer.pk,
                reason=reason.strip() if hidden else "",
            )
    return answer


def answer_set_consent(*, answer_id: int, user, consent: bool) -> Answer:
    """The author agrees (or no longer agrees) that their answer be quoted in
    a resource or a public thread."""
    if not can_write(user):
        raise AidError(NOT_A_MEMBER)
    with transaction.atomic():
        answer = visible_answer(answer_id, lock=True)
        if answer.author_id is None or answer.author_id != user.pk:
            raise AidError(_("Seul l'auteur d'une réponse peut accepter sa reprise."))
        if answer.consent != consent:
            answer.consent = consent
            answer.save(update_fields=["consent"])
    return answer


def apply_hidden(answer: Answer, hidden: bool) -> None:
    """Hide or restore `answer` (in the caller's transaction); the admin's edit
    form calls it too."""
    from aid.models import Question

    if hidden and answer.is_solution:
        answer.is_solution = False
        question = Question.objects.select_for_update().get(pk=answer.question_id)
        if question.status == QuestionStatus.RESOLVED:
            question.status = QuestionStatus.OPEN
            question.save(update_fields=["status", "updated_at"])
    answer.hidden = hidden
    answer.save(update_fields=["hidden", "is_solution"])
