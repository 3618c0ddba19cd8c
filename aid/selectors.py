"""What the mutual-aid pages show: keyword-only reads, constant query counts."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from aid.models import Answer, Question, UsefulMark


def _visible_answers(*, consent_only: bool = False):
    """The visible answers of the question of the outer query (`OuterRef`);
    with `consent_only`, those whose authors agreed to be quoted."""
    answers = Answer.objects.filter(question=OuterRef("pk"), hidden=False)
    return answers.filter(consent=True) if consent_only else answers


def with_answer_count(questions, *, consent_only: bool = False):
    """`questions` with `answer_count`, their visible answers (see
    `_visible_answers`). Counted per row by a subquery on the answers' question
    index, not by grouping every question with every answer: a listing sorts
    and cuts the questions first, and only the rows returned are counted."""
    count = (
        _visible_answers(consent_only=consent_only)
        .order_by()
        .values("question")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return questions.annotate(
        answer_count=Coalesce(Subquery(count, output_field=IntegerField()), 0)
    )


def questions_listing(*, filters: dict | None = None):
    """Visible questions, unanswered first (`Question.answered`, kept with the
    answers), then newest: the order of an index, read down to the page shown;
    with author, collectivity and themes (one query plus one for the themes of
    the page shown). Their numbers of answers are counted for the page shown
    only (`count_answers`)."""
    filters = filters or {}
    # `IN (false)`, not `hidden=False`: Django writes that `NOT hidden`, which
    # SQLite cannot look up in an index (it then sorts every question).
    questions = Question.objects.filter(hidden__in=[False])
    if filters.get("theme"):
        questions = questions.filter(themes=filters["theme"])
    if filters.get("status"):
        questions = questions.filter(status=filters["status"])
    if filters.get("collectivity_kind"):
        questions = questions.filter(collectivity__kind=filters["collectivity_kind"])
    if filters.get("region"):
        questions = questions.filter(collectivity__region=filters["region"])
    return (
        questions.select_related("author", "collectivity")
        .prefetch_related("themes")
        .order_by("answered", "-created_at", "-pk")
    )


def count_answers(questions) -> list[Question]:
    """`questions` as a list, each with `answer_count`, its visible answers:
    one query for all of them."""
    questions = list(questions)
    counts = dict(
        Answer.objects.filter(question__in=[q.pk for q in questions], hidden=False)
        .order_by()
        .values_list("question")
        .annotate(n=Count("pk"))
    )
    for question in questions:
        question.answer_count = counts.get(question.pk, 0)
    return questions


def question_answers(
    question: Question, *, user, public_only: bool = False
) -> list[Answer]:
    """The visible answers, the solution first, then in the order they came;
    each with its number of « utile » and whether `user` marked it.
    `public_only`: those whose authors agreed to be quoted (a public thread
    as visitors read it)."""
    answers = Answer.objects.filter(question=question, hidden=False)
    if public_only:
        answers = answers.filter(consent=True)
    answers = (
        answers.select_related("author", "collectivity")
        .annotate(useful_count=Count("useful_marks"))
        .order_by("-is_solution", "created_at", "pk")
    )
    if user.is_authenticated:
        answers = answers.annotate(
            marked_useful=Exists(
                UsefulMark.objects.filter(answer=OuterRef("pk"), user=user)
            )
        )
    return list(answers)
