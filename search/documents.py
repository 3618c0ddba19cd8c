"""One search document per searchable thing, built by one function per kind.

Every backend (the database, Elasticsearch) stores exactly these documents, so
they find the same things and apply the same visibility rule: a document is
"public", or "members" (behind a members-only restriction); a page nobody may
see (a draft, a password or login restriction) gets no document at all.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.html import strip_tags
from wagtail.models import Page, PageViewRestriction

PUBLIC = "public"
MEMBERS = "members"

KIND_LABELS = {
    "article": "Article",
    "entretien": "Entretien",
    "pratique": "Retour d'expérience",
    "collectivite": "Collectivité",
    "evenement": "Événement",
}


@dataclass
class SearchDocument:
    key: str
    page_id: int
    kind: str
    title: str
    lead: str = ""
    body: str = ""
    themes: list[str] = field(default_factory=list)
    theme_names: list[str] = field(default_factory=list)
    collectivity_kind: str = ""
    region: str = ""
    date: datetime.date | None = None
    url: str = ""
    visibility: str = PUBLIC
    suggestions: list[str] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None


def visibility_of(page: Page) -> str | None:
    """PUBLIC, MEMBERS, or None when the page must not be searchable at all."""
    if not page.live:
        return None
    restrictions = page.get_view_restrictions()
    if not restrictions:
        return PUBLIC
    from retex.visibility import MEMBERS_GROUP

    for restriction in restrictions:
        if restriction.restriction_type != PageViewRestriction.GROUPS:
            return None
        if not restriction.groups.filter(name=MEMBERS_GROUP).exists():
            return None
    return MEMBERS


def _themes(page) -> tuple[list[str], list[str]]:
    themes = list(page.themes.all())
    return [t.slug for t in themes], [t.name for t in themes]


def _knowledge(page) -> SearchDocument:
    from knowledge.models import DocumentText, block_texts

    body = [*block_texts(page.body), *page.extra_reading_text()]
    documents = [
        item.document for item in page.attached_documents.select_related("document")
    ]
    if visibility_of(page) == PUBLIC:
        # A document also attached to a members-only page (or a draft) is
        # served to members only: its text must not be found by visitors here.
        from knowledge.document_access import PUBLIC as PUBLIC_DOCUMENT
        from knowledge.document_access import document_audience

        documents = [d for d in documents if document_audience(d) == PUBLIC_DOCUMENT]
    document_ids = [document.pk for document in documents if document is not None]
    body.extend(
        DocumentText.objects.filter(document_id__in=document_ids).values_list(
            "text", flat=True
        )
    )
    slugs, names = _themes(page)
    collectivity = getattr(page, "collectivity", None) or next(
        iter(page.related_collectivities.all()), None
    )
    return SearchDocument(
        key=f"page:{page.pk}",
        page_id=page.pk,
        kind=page.kind,
        title=page.title,
        lead=page.lead,
        body="\n".join(text for text in body if text),
        themes=slugs,
        theme_names=names,
        collectivity_kind=collectivity.kind if collectivity else "",
        region=collectivity.region if collectivity else "",
        date=page.publication_date,
        suggestions=[page.title],
    )


def _collectivity(page) -> SearchDocument:
    slugs, names = _themes(page)
    return SearchDocument(
        key=f"page:{page.pk}",
        page_id=page.pk,
        kind="collectivite",
        title=page.title,
        lead=strip_tags(page.presentation)[:600],
        body="\n".join(filter(None, [page.member_communes, page.get_kind_display()])),
        themes=slugs,
        theme_names=names,
        collectivity_kind=page.kind,
        region=page.region,
        date=page.member_since,
        suggestions=[page.title],
    )


def _event(page) -> SearchDocument:
    from knowledge.models import block_texts

    slugs, names = _themes(page)
    place = "en ligne" if page.online else f"{page.venue} {page.city}"
    return SearchDocument(
        key=f"page:{page.pk}",
        page_id=page.pk,
        kind="evenement",
        title=page.title,
        lead=page.lead,
        body="\n".join(
            [
                *block_texts(page.body),
                page.speakers,
                page.partners,
                place,
                page.get_kind_display(),
            ]
        ),
        themes=slugs,
        theme_names=names,
        region=page.region,
        date=page.start.date() if page.start else None,
        suggestions=[page.title],
    )


def builder_for(page):
    from events.models import EventPage
    from knowledge.models import KnowledgePage
    from members.models import CollectivityPage

    if isinstance(page, KnowledgePage):
        return _knowledge
    if isinstance(page, CollectivityPage):
        return _collectivity
    if isinstance(page, EventPage):
        return _event
    return None


def document_for_page(page: Page) -> SearchDocument | None:
    """The page's search document, or None if it must not be searchable."""
    page = page.specific
    builder = builder_for(page)
    if builder is None:
        return None
    visibility = visibility_of(page)
    if visibility is None:
        return None
    document = builder(page)
    document.visibility = visibility
    document.url = page.get_url() or ""
    return document


def searchable_pages():
    from events.models import EventPage
    from knowledge.models import KnowledgePage
    from members.models import CollectivityPage

    for model in (KnowledgePage, CollectivityPage, EventPage):
        yield from model.objects.live().specific().iterator(chunk_size=500)


def all_documents() -> Iterator[SearchDocument]:
    for page in searchable_pages():
        document = document_for_page(page)
        if document is not None:
            yield document
