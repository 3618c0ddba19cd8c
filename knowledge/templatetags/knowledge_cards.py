"""What a resource's card shows beside its title, by kind
(knowledge/includes/card.html): `item|card_people`, `item|card_collectivity`.

Both read what the listing fetched with the pages
(`knowledge.selectors.with_card_relations`): a card adds no query.
"""

from django import template
from django.core.exceptions import ObjectDoesNotExist

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
