"""Resource cards: `{% knowledge_cards pages heading="h3" %}` renders the card of
each page (kept in the fragment cache, `knowledge.cards`); what a card shows
beside its title, by kind (knowledge/includes/card.html): `item|card_people`,
`item|card_collectivity`.

Both read what the listing fetched with the pages
(`knowledge.selectors.with_card_relations`): a card adds no query.
"""

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.utils.safestring import mark_safe

from knowledge.models import InterviewPage, KnowledgeKind, PracticePage

register = template.Library()


def _as(item, model, accessor):
    if isinstance(item, model):
        return item
    try:
        return getattr(item, accessor)
    except ObjectDoesNotExist:
        return None


@register.filter
def card_people(item) -> list:
    """An interview's people, in order; [] for other kinds."""
    if getattr(item, "kind", None) != KnowledgeKind.INTERVIEW:
        return []
    interview = _as(item, InterviewPage, "interviewpage")
    return list(interview.interviewees.all()) if interview else []


@register.filter
def card_collectivity(item):
    """A practice's collectivity while its profile is published; else None."""
    if getattr(item, "kind", None) != KnowledgeKind.PRACTICE:
        return None
    practice = _as(item, PracticePage, "practicepage")
    collectivity = practice.collectivity if practice else None
    return collectivity if collectivity is not None and collectivity.live else None


@register.simple_tag(takes_context=True)
def knowledge_cards(context, pages, heading="h2"):
    """The cards of `pages`, pages the person may read (chosen by a selector
    that applies `retex.visibility`)."""
    from knowledge.cards import cards_html

    html = cards_html(pages, request=context.get("request"), heading=heading)
    return mark_safe("".join(html))  # noqa: S308 - rendered by the card template
