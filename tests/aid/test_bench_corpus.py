"""The benchmark's corpus has mutual-aid threads: questions by members of its
collectivities, answers, some resolved, some hidden; members list them."""

import pytest

from aid.models import Answer, Question, QuestionStatus
from bench.corpus import Sizes, generate

pytestmark = pytest.mark.django_db


def test_the_corpus_adds_questions_and_answers():
    sizes = Sizes(
        collectivities=8,
        users=24,
        knowledge=0,
        events=0,
        registrations=0,
        questions=30,
        answers=90,
    )
    report = generate(sizes, seed=7)

    assert Question.objects.count() == 30
    assert Answer.objects.count() == 90
    assert report.rows["aid.Question"] == 30
    assert Question.objects.filter(collectivity__isnull=False).count() == 30
    resolved = Question.objects.filter(status=QuestionStatus.RESOLVED)
    assert resolved.exists()
    for question in resolved:
        assert question.answers.filter(is_solution=True).count() == 1
    assert Question.objects.filter(answers__isnull=True).exists()
