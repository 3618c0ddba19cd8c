"""`Question.answered` follows its answers, whatever writes them (the rules,
moderation in the admin, an account's deletion): one UPDATE per answer saved or
deleted. Rows written in bulk (the benchmark's corpus) set it themselves."""

from django.db.models import Exists, OuterRef
from django.db.models.signals import post_delete, post_save

from aid.models import Answer, Question


def refresh_answered(question_ids) -> None:
    """Set `answered` of these questions from their visible answers."""
    Question.objects.filter(pk__in=question_ids).update(
        answered=Exists(Answer.objects.filter(question=OuterRef("pk"), hidden=False))
    )


def _answer_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_answered([instance.question_id])


def connect() -> None:
    post_save.connect(_answer_changed, sender=Answer, dispatch_uid="aid_answered")
    post_delete.connect(
        _answer_changed, sender=Answer, dispatch_uid="aid_answered_delete"
    )
