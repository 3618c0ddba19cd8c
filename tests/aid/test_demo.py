"""`seed_demo` adds realistic questions to the network, once."""

import pytest
from django.core.management import call_command

from aid.models import Answer, Question, QuestionStatus
from knowledge.models import PracticePage

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_questions_and_answers_from_several_collectivities_once():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)

    questions = list(Question.objects.select_related("collectivity"))
    assert len(questions) == 3
    authors = {
        a.collectivity.title for a in Answer.objects.select_related("collectivity")
    }
    assert len(authors | {q.collectivity.title for q in questions}) >= 5
    resolved = Question.objects.get(status=QuestionStatus.RESOLVED)
    assert resolved.answers.get(is_solution=True).author.first_name == "Émilie"
    assert Question.objects.filter(answers__isnull=True).count() == 1
    # The resolved one became a published practice, once, quoting who agreed.
    practice = resolved.knowledge_page.specific
    assert isinstance(practice, PracticePage) and practice.live
    assert PracticePage.objects.filter(title=resolved.title).count() == 1
    assert practice.collectivity.title == "Grand Poitiers Communauté urbaine"
    body = " ".join(str(block.value) for block in practice.body)
    assert "accueil sans" in body
    assert "former les agents d'accueil" not in body
    # Dated before today, answers after their question.
    for answer in Answer.objects.select_related("question"):
        assert answer.created_at > answer.question.created_at
