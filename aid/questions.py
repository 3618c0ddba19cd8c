"""Questions to the network: the rules views, the admin, commands and tasks call.

Each write owns its transaction. A double submit never posts twice: the form
carries a token (a UUID, unique in the table); the second request finds the
question the first one posted and answers it as if it had posted it. Closing
locks the question's row, as marking a solution does (`answers.py`), so the two
never cross.
"""

import uuid

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from aid.access import can_moderate, can_write
from aid.errors import NO_SUCH_ANSWER, NO_SUCH_QUESTION, NOT_A_MEMBER, AidError
from aid.models import Answer, Question, QuestionStatus, Report, Visibility
from aid.notifications import notify
from aid.tasks import choose_solicitation_candidates
from members.affiliation import open_affiliation
from retex.models import Theme
from retex.tasks import enqueue_after_commit


def _author_collectivity(user):
    affiliation = open_affiliation(user)
    return affiliation.collectivity if affiliation else None


def question_create(
    *,
    author,
    title: str,
    details: str,
    themes=(),
    token: uuid.UUID,
    consent: bool = False,
) -> tuple[Question, bool]:
    """Post a question; (question, False) when this token already posted it."""
    if not can_write(author):
        raise AidError(NOT_A_MEMBER)
    existing = Question.objects.filter(token=token, author=author).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            question = Question.objects.create(
                title=title,
                details=details,
                author=author,
                collectivity=_author_collectivity(author),
                token=token,
                consent=consent,
            )
            question.themes.set(Theme.objects.filter(pk__in=[t.pk for t in themes]))
            # Who already did it, chosen once and stored (`solicitations`).
            enqueue_after_commit(
                choose_solicitation_candidates, question_id=question.pk
            )
    except IntegrityError:
        # The same token, posted by a request running at the same time.
        existing = Question.objects.filter(token=token, author=author).first()
        if existing is None:
            raise
        return existing, False
    return question, True


def visible_question(question_id: int, *, lock: bool = False) -> Question:
    """The question members may see (not hidden), or `AidError`."""
    questions = Question.objects.filter(pk=question_id, hidden=False)
    if lock:
        questions = questions.select_for_update()
    question = questions.first()
    if question is None:
        raise AidError(NO_SUCH_QUESTION)
    return question


def question_close(*, question_id: int, user) -> Question:
    """The asker or a moderator closes the question: no more answers."""
    with transaction.atomic():
        question = visible_question(question_id, lock=True)
        is_asker = question.author_id is not None and question.author_id == user.pk
        if not (is_asker and can_write(user)) and not can_moderate(user):
            raise AidError(
                _(
                    "Seuls l'auteur de la question et l'équipe du réseau peuvent "
                    "la clore."
                )
            )
        if question.status != QuestionStatus.CLOSED:
            question.status = QuestionStatus.CLOSED
            question.save(update_fields=["status", "updated_at"])
    return question


def question_set_hidden(
    *, question_id: int, hidden: bool, by, reason: str = ""
) -> Question:
    """A moderator hides a question (it disappears for members) or restores it;
    its author is told (with `reason` when hidden)."""
    if not can_moderate(by):
        raise AidError(_("Seule l'équipe du réseau peut masquer une question."))
    with transaction.atomic():
        question = Question.objects.select_for_update().filter(pk=question_id).first()
        if question is None:
            raise AidError(NO_SUCH_QUESTION)
        if question.hidden != hidden:
            question.hidden = hidden
            question.save(update_fields=["hidden", "updated_at"])
            if hidden:
                # Hiding it is the editors' answer to its waiting reports.
                Report.objects.filter(question=question, handled=False).update(
                    handled=True
                )
            notify(
                "hidden" if hidden else "restored",
                user_id=question.author_id,
                question_id=question.pk,
                reason=reason.strip() if hidden else "",
            )
    return question


def question_set_consent(*, question_id: int, user, consent: bool) -> Question:
    """The asker agrees (or no longer agrees) that their question be quoted in
    a resource or a public thread."""
    if not can_write(user):
        raise AidError(NOT_A_MEMBER)
    with transaction.atomic():
        question = visible_question(question_id, lock=True)
        if question.author_id is None or question.author_id != user.pk:
            raise AidError(_("Seul l'auteur de la question peut accepter sa reprise."))
        if question.consent != consent:
            question.consent = consent
            fields = ["consent", "updated_at"]
            if not consent and question.visibility == Visibility.PUBLIC:
                # Published with the asker's word: without it, members only.
                question.visibility = Visibility.MEMBERS
                fields.append("visibility")
            question.save(update_fields=fields)
    return question


def report_create(
    *, user, reason: str, question_id: int | None = None, answer_id: int | None = None
) -> Report:
    """A member reports a question or an answer to the editors. Reporting the
    same thing again before the editors handled it changes nothing."""
    if not can_write(user):
        raise AidError(NOT_A_MEMBER)
    if answer_id is not None:
        answer = Answer.objects.filter(
            pk=answer_id, hidden=False, question__hidden=False
        ).first()
        if answer is None:
            raise AidError(NO_SUCH_ANSWER)
        target = {"answer": answer, "question": None}
    else:
        target = {"question": visible_question(question_id), "answer": None}
    waiting = Report.objects.filter(reporter=user, handled=False, **target).first()
    if waiting is not None:
        return waiting
    try:
        with transaction.atomic():
            return Report.objects.create(reporter=user, reason=reason, **target)
    except IntegrityError:
        waiting = Report.objects.filter(reporter=user, handled=False, **target).first()
        if waiting is None:
            raise
        return waiting
