"""Every email a person may stop receiving goes through `notification_message`.

It answers None when the person opted out of that category, when the account
is inactive or when the address is blocked (bounces, complaints); otherwise an
`EmailMultiAlternatives` with a text part and an HTML part rendered from the
caller's templates, every link absolute on `BASE_URL`, and a one-click
unsubscribe: a signed link in both parts and the RFC 8058 headers

    List-Unsubscribe: <https://…/desabonnement/<token>/>
    List-Unsubscribe-Post: List-Unsubscribe=One-Click

Sending is the caller's business (a task, `retex.tasks.send_once`).
"""

import re

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from following.models import Category
from following.preferences import is_suppressed, wants
from following.tokens import make_token
from retex.links import absolute_url

CATEGORY_REASONS = {
    Category.DIGEST: _(
        "vous suivez des thèmes, collectivités, questions ou recherches sur Retex"
    ),
    Category.LETTER: _("vous êtes abonné·e à la lettre du réseau Retex"),
    Category.AID: _("vous participez à l'entraide de Retex"),
    Category.EVENTS: _("vous vous intéressez aux événements du réseau Retex"),
}


def unsubscribe_url(*, subject: str, subject_id: int, category: str) -> str:
    token = make_token(subject=subject, subject_id=subject_id, category=category)
    return absolute_url(reverse("unsubscribe", kwargs={"token": token}))


def build_message(
    *,
    to: str,
    category: str,
    subject: str,
    text_template: str,
    html_template: str,
    context: dict,
    unsubscribe: str,
) -> EmailMultiAlternatives:
    """The message, with the unsubscribe link in both parts and the headers."""
    context = {
        **context,
        "unsubscribe_url": unsubscribe,
        "preferences_url": absolute_url(reverse("following:preferences")),
        "site_url": absolute_url("/"),
        "reason": str(CATEGORY_REASONS.get(category, "")),
    }
    text = render_to_string(text_template, context).strip()
    html = render_to_string(html_template, context)
    footer_context = {**context, "body": text, "html_body": html}
    text = render_to_string("following/email/footer.txt", footer_context)
    html = _with_footer(html, render_to_string("following/email/footer.html", context))
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _with_footer(html: str, footer: str) -> str:
    """Insert the footer before `</body>`, or wrap a fragment in the layout."""
    match = re.search(r"</body\s*>", html, flags=re.IGNORECASE)
    if match:
        return html[: match.start()] + footer + html[match.start() :]
    return render_to_string(
        "following/email/layout.html", {"html_body": html, "footer": footer}
    )


def notification_message(
    *,
    user,
    category: str,
    subject: str,
    text_template: str,
    html_template: str,
    context: dict,
) -> EmailMultiAlternatives | None:
    """The email for `user`, or None if they must not receive this category."""
    if not wants(user, category):
        return None
    return build_message(
        to=user.email,
        category=category,
        subject=subject,
        text_template=text_template,
        html_template=html_template,
        context={"person": user, **context},
        unsubscribe=unsubscribe_url(
            subject="user", subject_id=user.pk, category=category
        ),
    )


__all__ = ["build_message", "is_suppressed", "notification_message", "unsubscribe_url"]
