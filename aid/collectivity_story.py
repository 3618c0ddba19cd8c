"""What a collectivity's page (`/membres/<slug>/`) shows of the mutual-aid
space: its people's latest questions and how many answers they gave, to members
only (the space is theirs). Declared as a `collectivity_sections` provider
(`retex.declarations`)."""

from aid.models import Answer, Question
from retex.visibility import sees_members_content

LATEST = 5


def collectivity_questions(collectivity, *, user):
    """{"template", "context"} or None: nothing for someone who may not see the
    mutual-aid space, nor when its people asked and answered nothing. Three
    queries, whatever the number."""
    if not sees_members_content(user):
        return None
    questions = Question.objects.filter(collectivity=collectivity, hidden=False)
    answers = Answer.objects.filter(
        collectivity=collectivity, hidden=False, question__hidden=False
    ).count()
    latest = list(questions.order_by("-created_at", "-pk")[:LATEST])
    if not latest and not answers:
        return None
    return {
        "template": "aid/includes/collectivity_questions.html",
        "context": {
            "questions": latest,
            "question_count": questions.count(),
            "answer_count": answers,
        },
    }
