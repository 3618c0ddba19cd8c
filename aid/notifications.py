"""Emails of the mutual-aid space: one task, enqueued in the write's transaction.

Who is told what (`KINDS`):

- « answered »: the asker, when someone else answers their question;
- « useful »: the answer's author, when a member finds it useful, and
  « asker_useful »: the asker, when another member finds an answer useful;
- « solution »: the answer's author, when the asker chooses it as the solution;
- « solicited »: each representative of a collectivity asked to answer;
- « hidden » / « restored »: the author of a question or an answer an editor
  hid (with the reason and how to contest) or restored.

What an email shows is checked *when it is sent*, not when it was enqueued: a
question or answer hidden in between sends nothing (except to its own author,
about its hiding), and a recipient who can no longer read the space (left
their collectivity, deactivated) gets nothing. Links are absolute, on
`BASE_URL`. Messages go through `following.mail.notification_message`
(category « aid »: one-click unsubscribe) when that module exists.
"""

from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from retex.links import absolute_url
from retex.tasks import deliver, enqueue_after_commit

CATEGORY = "aid"

SUBJECTS = {
    "answered": "Nouvelle réponse à votre question «\u00a0%(title)s\u00a0»",
    "useful": "Votre réponse à «\u00a0%(title)s\u00a0» est jugée utile",
    "asker_useful": "Une réponse à votre question «\u00a0%(title)s\u00a0» est jugée utile",
    "solution": "Votre réponse à «\u00a0%(title)s\u00a0» est la solution",
    "solicited": "Le réseau sollicite votre collectivité\u00a0: «\u00a0%(title)s\u00a0»",
    "hidden": "Votre contribution à «\u00a0%(title)s\u00a0» est masquée",
    "restored": "Votre contribution à «\u00a0%(title)s\u00a0» est de nouveau visible",
}
KINDS = tuple(SUBJECTS)
# About the recipient's own content, whatever its visibility now.
ABOUT_OWN_CONTENT = ("hidden", "restored")


def notify(
    kind: str,
    *,
    user_id: int | None,
    question_id: int,
    answer_id: int | None = None,
    collectivity_id: int | None = None,
    reason: str = "",
) -> None:
    """Enqueue one email (after the current transaction commits)."""
    if kind not in SUBJECTS:
        raise ValueError(kind)
    if user_id is None:
        return
    enqueue_after_commit(
        send_aid_email,
        kind=kind,
        user_id=user_id,
        question_id=question_id,
        answer_id=answer_id,
        collectivity_id=collectivity_id,
        reason=reason,
    )


def _message(*, user, subject, text_template, html_template, context):
    """The message to send, or None when the person opted out of this category."""
    try:
        from following.mail import notification_message
    except ImportError:
        notification_message = None
    if notification_message is not None:
        return notification_message(
            user=user,
            category=CATEGORY,
            subject=subject,
            text_template=text_template,
            html_template=html_template,
            context=context,
        )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(text_template, context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string(html_template, context), "text/html")
    return message


def _contact_email() -> str:
    """Where to contest a moderation: the association's contact address."""
    from retex.models import SiteSettings

    return SiteSettings.load().contact_email


def email_for(
    *,
    kind: str,
    user_id: int,
    question_id: int,
    answer_id: int | None = None,
    collectivity_id: int | None = None,
    reason: str = "",
):
    """The email of this notification as it would be sent now, or None when it
    must not be sent any more (see the module's docstring)."""
    from aid.access import can_read
    from aid.models import Answer, Question
    from members.models import CollectivityPage

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    question = (
        Question.objects.filter(pk=question_id).select_related("collectivity").first()
    )
    if user is None or not user.email or question is None:
        return None
    answer = None
    if answer_id is not None:
        answer = (
            Answer.objects.filter(pk=answer_id, question=question)
            .select_related("author", "collectivity")
            .first()
        )
        if answer is None:
            return None
    if kind not in ABOUT_OWN_CONTENT:
        if question.hidden or (answer is not None and answer.hidden):
            return None
        if not can_read(user):
            return None
    collectivity = None
    if collectivity_id is not None:
        collectivity = CollectivityPage.objects.filter(pk=collectivity_id).first()
    context = {
        "kind": kind,
        "user": user,
        "question": question,
        "answer": answer,
        "collectivity": collectivity,
        "moderation_reason": reason,
        "question_url": absolute_url(question.get_absolute_url()),
        "answer_url": absolute_url(answer.get_absolute_url()) if answer else "",
        "contact_email": _contact_email(),
        "base_url": absolute_url("/"),
        "aid_url": absolute_url(reverse("aid:list")),
    }
    subject = "[Retex] " + _(SUBJECTS[kind]) % {"title": question.title}
    return _message(
        user=user,
        subject=subject,
        text_template="aid/email/notification.txt",
        html_template="aid/email/notification.html",
        context=context,
    )


@task()
def send_aid_email(
    *,
    kind: str,
    user_id: int,
    question_id: int,
    answer_id: int | None = None,
    collectivity_id: int | None = None,
    reason: str = "",
    attempt: int = 1,
) -> bool:
    """Send one mutual-aid email, if it still may be sent; retried on failure."""
    kwargs = {
        "kind": kind,
        "user_id": user_id,
        "question_id": question_id,
        "answer_id": answer_id,
        "collectivity_id": collectivity_id,
        "reason": reason,
    }
    message = email_for(**kwargs)
    if message is None:
        return False
    deliver(message, task_obj=send_aid_email, attempt=attempt, kwargs=kwargs)
    return True
