"""From talk to knowledge: a resolved question becomes a draft practice or article.

An editor (`can_moderate` and the right to add pages under « Ressources »)
turns a resolved question into a Wagtail page created as a draft revision under
the knowledge index; it then goes through the usual review workflow in the
admin. The draft is prefilled with what people agreed to share:

- the question's title; its details only if the asker ticked « J'accepte que
  ma question soit reprise »;
- the solution and the answers found useful, each only if its author ticked
  « J'accepte que ma réponse soit reprise », with the author's name, function
  and collectivity;
- the collectivities concerned (the asker's and those of the quoted answers;
  a practice's collectivity is the solution author's, else the asker's).

A question gives one draft: asking again (a double submit) returns the page
already made, unless it was deleted since. The thread links to the page once it
is live and visible to the reader; before that, editors only see the draft.
"""

import html
import re

import nh3
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page

from aid.access import can_moderate
from aid.errors import AidError
from aid.models import Answer, Question, QuestionStatus
from aid.questions import visible_question
from aid.text import plain_text, render_text

KINDS = ("pratique", "article")
RICH_TAGS = {"p", "br", "b", "i", "ul", "ol", "li", "a"}


def _rich_text(source: str) -> str:
    """A member's Markdown as Wagtail rich text (`<b>`, `<i>`, links, lists)."""
    rendered = str(render_text(source))
    rendered = re.sub(r"<(/?)strong>", r"<\1b>", rendered)
    rendered = re.sub(r"<(/?)em>", r"<\1i>", rendered)
    return nh3.clean(
        rendered,
        tags=RICH_TAGS,
        clean_content_tags=set(),
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )


def _signature(person, collectivity) -> tuple[str, str]:
    name = person.get_full_name() if person else ""
    role = ", ".join(
        part
        for part in (
            getattr(person, "function_title", "") if person else "",
            collectivity.title if collectivity else "",
        )
        if part
    )
    return name or _("Un membre du réseau"), role


def quoted_answers(question: Question) -> list[Answer]:
    """The answers a draft may quote: visible, from authors who agreed; the
    solution first, then those found useful, most useful first."""
    from django.db.models import Count

    answers = (
        Answer.objects.filter(
            question=question, hidden=False, consent=True, author__isnull=False
        )
        .select_related("author", "collectivity")
        .annotate(useful_count=Count("useful_marks"))
        .order_by("-is_solution", "-useful_count", "created_at", "pk")
    )
    return [a for a in answers if a.is_solution or a.useful_count]


def _body(question: Question, answers: list[Answer]) -> list[dict]:
    question_text = question.title
    if question.consent:
        question_text += "\n\n" + plain_text(question.details)
    solution = next((a for a in answers if a.is_solution), None)
    others = [a for a in answers if a is not solution]
    body = []
    if solution is not None:
        name, role = _signature(solution.author, solution.collectivity)
        body.append(
            {
                "type": "question_answer",
                "value": {
                    "question": question_text,
                    "answer": _rich_text(solution.body)
                    + f"<p><i>{html.escape(name)}"
                    + (f", {html.escape(role)}" if role else "")
                    + "</i></p>",
                },
            }
        )
    else:
        body.append(
            {
                "type": "paragraph",
                "value": "<p>" + html.escape(question_text) + "</p>",
            }
        )
    if others:
        body.append(
            {
                "type": "heading",
                "value": {"text": _("D'autres réponses utiles"), "level": "h2"},
            }
        )
        for answer in others:
            name, role = _signature(answer.author, answer.collectivity)
            body.append(
                {
                    "type": "quote",
                    "value": {
                        "quote": plain_text(answer.body)[:2000],
                        "author": name[:200],
                        "role": role[:200],
                    },
                }
            )
    return body


def _unique_slug(parent: Page, title: str, question_id: int) -> str:
    base = slugify(title)[:60].strip("-") or "question"
    slug = base
    if Page.objects.child_of(parent).filter(slug=slug).exists():
        slug = f"{base}-question-{question_id}"
    return slug


def can_draft(question: Question, user) -> bool:
    from knowledge.models import KnowledgeIndexPage

    if not can_moderate(user) or question.status != QuestionStatus.RESOLVED:
        return False
    index = KnowledgeIndexPage.objects.first()
    return index is not None and index.permissions_for_user(user).can_add_subpage()


def draft_from_question(*, question_id: int, kind: str, by) -> tuple[Page, bool]:
    """The draft page made from this question; (page, False) if one exists."""
    if kind not in KINDS:
        raise AidError(_("Choisissez un retour d'expérience ou un article."))
    with transaction.atomic():
        question = visible_question(question_id, lock=True)
        if question.knowledge_page_id is not None:
            existing = Page.objects.filter(pk=question.knowledge_page_id).first()
            if existing is not None:
                return existing.specific, False
        if question.status != QuestionStatus.RESOLVED:
            raise AidError(_("Seule une question résolue peut devenir une ressource."))
        if not can_draft(question, by):
            raise AidError(
                _("Seule l'équipe éditoriale peut tirer une ressource d'une question.")
            )
        page = create_draft(question, kind=kind, by=by)
    return page, True


def create_draft(question: Question, *, kind: str, by=None):
    """Make the draft page of `question` (in the caller's transaction, its row
    locked); no permission check: `draft_from_question` and the demo call it."""
    from knowledge.models import ArticlePage, KnowledgeIndexPage, PracticePage

    index = KnowledgeIndexPage.objects.first()
    answers = quoted_answers(question)
    model = PracticePage if kind == "pratique" else ArticlePage
    lead = (
        plain_text(question.details)[:600]
        if question.consent
        else _("Une question posée au réseau, et les réponses des collectivités.")
    )
    page = model(
        title=question.title,
        slug=_unique_slug(index, question.title, question.pk),
        lead=lead,
        body=_body(question, answers),
        live=False,
        owner=by,
    )
    if model is PracticePage:
        # Who did it: the solution's collectivity (a fact, not a quote).
        chosen = (
            Answer.objects.filter(question=question, is_solution=True)
            .select_related("collectivity")
            .first()
        )
        page.collectivity = (
            chosen.collectivity if chosen else None
        ) or question.collectivity
    page.themes = list(question.themes.all())
    page.related_collectivities = list(
        {
            c.pk: c
            for c in [question.collectivity, *(a.collectivity for a in answers)]
            if c is not None
        }.values()
    )
    index.add_child(instance=page)
    page.save_revision(user=by, log_action=True, clean=False)
    question.knowledge_page = page
    question.save(update_fields=["knowledge_page", "updated_at"])
    return page


def knowledge_link(question: Question, user) -> dict | None:
    """What the thread shows of its resource: the live page to whoever may see
    it, the draft's admin link to editors; None otherwise."""
    from django.urls import reverse

    from retex.visibility import pages_visible_to

    if question.knowledge_page_id is None:
        return None
    live = (
        pages_visible_to(Page.objects.filter(pk=question.knowledge_page_id), user=user)
        .specific()
        .first()
    )
    if live is not None:
        return {"title": live.title, "url": live.url, "draft": False}
    if can_moderate(user):
        page = Page.objects.filter(pk=question.knowledge_page_id).first()
        if page is not None:
            return {
                "title": page.draft_title,
                "url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
                "draft": True,
            }
    return None
