"""Immediate alerts: a first publication, a new question or answer enqueues
`send_immediate_alerts` in its own transaction (`enqueue_after_commit`).

Connected to other apps' models through `apps.get_model` in `connect()`
(called by `FollowingConfig.ready`): those apps do not import this one."""

from django.apps import apps
from django.db.models.signals import post_save
from wagtail.signals import page_published

from following.models import EmailPreference, Frequency
from retex.tasks import enqueue_after_commit


def _someone_wants_it_now() -> bool:
    return EmailPreference.objects.filter(frequency=Frequency.IMMEDIATE).exists()


def _alert(kind: str, pk: int) -> None:
    from following.digest import send_immediate_alerts

    if _someone_wants_it_now():
        enqueue_after_commit(send_immediate_alerts, kind=kind, pk=pk)


def _page_published(sender, instance, **kwargs):
    first = instance.first_published_at
    if first is None or first != instance.last_published_at:
        return  # Republishing is not news.
    _alert(
        "event" if sender is apps.get_model("events", "EventPage") else "page",
        instance.pk,
    )


def _created(kind):
    def receiver(sender, instance, created, raw=False, **kwargs):
        if created and not raw:
            _alert(kind, instance.pk)

    return receiver


_question_created = _created("question")
_answer_created = _created("answer")


def connect() -> None:
    knowledge = apps.get_app_config("knowledge")
    for model in knowledge.get_models():
        if issubclass(model, apps.get_model("knowledge", "KnowledgePage")):
            page_published.connect(_page_published, sender=model)
    page_published.connect(
        _page_published, sender=apps.get_model("events", "EventPage")
    )
    if apps.is_installed("aid"):
        post_save.connect(_question_created, sender=apps.get_model("aid", "Question"))
        post_save.connect(_answer_created, sender=apps.get_model("aid", "Answer"))
