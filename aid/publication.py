"""Publishing a thread to everyone: only when everyone quoted agreed.

A thread is members-only by default, everywhere (pages, search, sitemap). An
editor (`can_moderate`) may make it public when the asker and the author of
every visible answer ticked « J'accepte que … soit reprise » (`consent`): it is
then readable by visitors, in public search and in the sitemap. When the asker
withdraws their consent, the thread is members-only again at once; an answer
posted later, or whose author withdraws consent, stays members-only (visitors
see only the answers of those who agreed: `public_answers`).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from aid.access import can_moderate
from aid.errors import AidError
from aid.models import Answer, Question, Visibility
from aid.questions import visible_question


def missing_consents(question: Question) -> list[str]:
    """Who has not agreed yet, as the editor reads it (empty: publishable)."""
    from aid.drafts import _signature

    missing = []
    if not question.consent:
        missing.append(_("l'auteur de la question"))
    for answer in (
        Answer.objects.filter(question=question, hidden=False, consent=False)
        .select_related("author", "collectivity")
        .order_by("created_at", "pk")
    ):
        name, _role = _signature(answer.author, answer.collectivity)
        missing.append(
            _("l'auteur de la réponse n° %(id)s (%(name)s)")
            % {"id": answer.pk, "name": name}
        )
    return missing


def is_public(question: Question) -> bool:
    return question.visibility == Visibility.PUBLIC and not question.hidden


def public_answers(question: Question):
    """What visitors see of a public thread: the answers of those who agreed."""
    return Answer.objects.filter(question=question, hidden=False, consent=True)


def question_set_public(*, question_id: int, public: bool, by) -> Question:
    """An editor publishes the thread to everyone (when everyone quoted agreed)
    or returns it to members only."""
    if not can_moderate(by):
        raise AidError(_("Seule l'équipe du réseau peut publier un fil de discussion."))
    with transaction.atomic():
        question = visible_question(question_id, lock=True)
        if public:
            missing = missing_consents(question)
            if missing:
                raise AidError(
                    _(
                        "Ce fil ne peut pas être publié\u00a0: il manque l'accord de "
                        "%(who)s."
                    )
                    % {"who": ", ".join(missing)}
                )
        wanted = Visibility.PUBLIC if public else Visibility.MEMBERS
        if question.visibility != wanted:
            question.visibility = wanted
            question.save(update_fields=["visibility", "updated_at"])
    return question
