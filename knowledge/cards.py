"""Resource cards rendered once and kept (`retex.fragments`): `/ressources/`, the
home page's latest resources and related content show the same cards again and
again.

A card is the same for everyone who may see its page: the listings choose the
pages a person may read first (`retex.visibility`), then ask for their cards.
A card depends on its page and on the collectivities it names (`page:<id>`
tags, `knowledge.selectors.card_dependencies`); its themes, illustration and
portraits are rows whose writes start a new page cache generation. Only the
cards missing from the cache are rendered, and only they fetch what a card
shows (`with_card_relations`' prefetches, one query per relation for all of
them): a listing whose cards are all kept reads its pages and nothing else.
"""

from __future__ import annotations

from django.db.models import prefetch_related_objects
from django.template.loader import get_template

from knowledge.selectors import card_dependencies, card_prefetches
from retex.fragments import cached_fragments
from retex.page_cache import depends_on

CARD_TEMPLATE = "knowledge/includes/card.html"


def cards_html(pages, *, request, heading: str = "h2") -> list[str]:
    """The card of each of `pages` (live pages this person may read), in
    order, their tags added to the page being rendered (`depends_on`)."""
    pages = list(pages)
    if not pages:
        return []
    by_pk = {page.pk: page for page in pages}
    host = request.get_host() if request is not None else ""
    preview = getattr(request, "is_preview", False)

    def render(keys):
        missing = [by_pk[pk] for pk, _heading, _host in keys]
        if not all(_has_card_relations(page) for page in missing):
            prefetch_related_objects(missing, *card_prefetches())
        template = get_template(CARD_TEMPLATE)
        return [
            (
                template.render({"item": page, "heading": heading, "request": request}),
                card_dependencies([page]),
            )
            for page in missing
        ]

    keys = [(page.pk, heading, host) for page in pages]
    if preview or not all(page.live for page in pages):
        # Never kept: what a preview shows may not be what is published.
        found = render(keys)
    else:
        found = cached_fragments("knowledge-card", keys, render)
    if request is not None:
        depends_on(request, *(tag for _html, tags in found for tag in tags))
    return [html for html, _tags in found]


def _has_card_relations(page) -> bool:
    """Whether `page` came with what a card reads (`with_card_relations`)."""
    return "themes" in getattr(page, "_prefetched_objects_cache", {})
