"""What the mutual-aid pages show: keyword-only reads, constant query counts."""

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When

from aid.models import Answer, Question, UsefulMark


def questions_listing(*, filters: dict | None = None):
    """Visible questions, unanswered first, then newest; each with its number of
    visible answers, author, collectivity and themes (one query plus one for the
    themes of the page shown)."""
    filters = filters or {}
    questions = Question.objects.filter(hidden=False)
    if filters.get("theme"):
        questions = questions.filter(themes=filters["theme"])
    if filters.get("status"):
        questions = questions.filter(status=filters["status"])
    if filters.get("collectivity_kind"):
        questions = questions.filter(collectivity__kind=filters["collectivity_kind"])
    if filters.get("region"):
        questions = questions.filter(collectivity__region=filters["region"])
    return (
        questions.annotate(
            answer_count=Count("answers", filter=Q(answers__hidden=False)),
        )
        .annotate(
            answered=Case(
                When(answer_count=0, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .select_related("author", "collectivity")
        .prefetch_related("themes")
        .order_by("answered", "-created_at", "-pk")
    )


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
