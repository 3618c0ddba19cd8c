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

from knowledge.models import KnowledgePage
from knowledge.selectors import (
    card_dependencies,
    card_prefetches,
    with_card_relations,
)
from retex.fragments import cached_fragments
from retex.page_cache import depends_on

CARD_TEMPLATE = "knowledge/includes/card.html"


def cards_html(pages, *, request, heading: str = "h2") -> list[str]:
    """The card of each of `pages`, in order: live pages this person may read,
    as pages or as their ids (a listing then reads the pages of the cards it
    must render only); their tags are added to the page being rendered
    (`depends_on`)."""
    pages = list(pages)
    if not pages:
        return []
    ids = [getattr(page, "pk", page) for page in pages]
    given = {page.pk: page for page in pages if not isinstance(page, int)}
    host = request.get_host() if request is not None else ""
    preview = getattr(request, "is_preview", False)

    def render(keys):
        wanted = [pk for pk, _heading, _host in keys]
        found = _card_pages([given.get(pk, pk) for pk in wanted])
        template = get_template(CARD_TEMPLATE)
        rendered = []
        for pk in wanted:
            page = found.get(pk)
            if page is None:  # Unpublished since the listing was read.
                rendered.append(("", (f"page:{pk}",)))
                continue
            context = {"item": page, "heading": heading, "request": request}
            rendered.append((template.render(context), card_dependencies([page])))
        return rendered

    keys = [(pk, heading, host) for pk in ids]
    if preview or not all(page.live for page in given.values()):
        # Never kept: what a preview shows may not be what is published.
        found = render(keys)
    else:
        found = cached_fragments("knowledge-card", keys, render)
    if request is not None:
        depends_on(request, *(tag for _html, tags in found for tag in tags))
    return [html for html, _tags in found]


def _card_pages(pages_or_ids) -> dict:
    """The pages by id, with what their cards read: pages given are completed
    (`card_prefetches`), ids are read (live pages only)."""
    pages = [page for page in pages_or_ids if not isinstance(page, int)]
    ids = [pk for pk in pages_or_ids if isinstance(pk, int)]
    if pages and not all(_has_card_relations(page) for page in pages):
        prefetch_related_objects(pages, *card_prefetches())
    found = {page.pk: page for page in pages}
    if ids:
        read = with_card_relations(KnowledgePage.objects.live().filter(pk__in=ids))
        found.update((page.pk, page) for page in read)
    return found


def _has_card_relations(page) -> bool:
    """Whether `page` came with what a card reads (`with_card_relations`)."""
    return "themes" in getattr(page, "_prefetched_objects_cache", {})
