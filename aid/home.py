"""The home page's mutual-aid section (`home_sections` in `aid/apps.py`).

Who sees what is the page cache's rule (`retex.page_cache.signed_in_request_key`
keys signed-in copies by `sees_members_content`): people who see members-only
content get the latest open questions; everybody else only threads an editor
made public, with the number of open questions and how to join. A members-only
title is never in their copy.
"""

from aid.models import Question, QuestionStatus, Visibility
from aid.selectors import with_answer_count
from retex.visibility import sees_members_content

LATEST = 3


def open_questions_dependencies() -> tuple[str, ...]:
    """What this section shows (`home_cache_dependencies`): questions and
    their answers (`aid:questions`, declared in `aid/apps.py`), the names of
    their collectivities."""
    return ("aid:questions", "kind:members.collectivitypage")


def open_questions(*, user) -> dict:
    """{"members", "questions", "open_count"}: two queries, whatever the
    number of questions."""
    visible = Question.objects.filter(hidden=False)
    open_count = visible.filter(status=QuestionStatus.OPEN).count()
    members = sees_members_content(user)
    if members:
        shown = with_answer_count(visible.filter(status=QuestionStatus.OPEN))
    else:
        # Public threads: visitors read only the answers of those who agreed.
        shown = with_answer_count(
            visible.filter(visibility=Visibility.PUBLIC), consent_only=True
        )
    questions = list(
        shown.select_related("collectivity").order_by("-created_at", "-pk")[:LATEST]
    )
    return {"members": members, "questions": questions, "open_count": open_count}
