"""One search document per searchable thing, built by one function per kind.

Every backend (the database, Elasticsearch) stores exactly these documents, so
they find the same things and apply the same visibility rule: a document is
"public", or "members" (behind a members-only restriction); a page nobody may
see (a draft, a password or login restriction) gets no document at all.

Uploaded documents (PDF, office files) are searchable things too, with their
own audience (`knowledge.document_access`, decided by the live pages using
them: public when every one is public, members-only when one is members-only;
a document used by drafts only is private and in no entry). A document's text
is found:

- in its own entry ("document:<id>"), whose visibility is the document's
  audience, as long as at least one searchable page uses it;
- in the entry of a knowledge page it is attached to, only when everyone who
  may see that entry may read the document: a public page's entry carries
  only public documents' text, a members-only page's entry any document's.

A collectivity's roadmap document, and a document in a collection with its own
privacy setting, are in no entry at all (`documents_kept_out_of_search`).
"""

import datetime
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction

from retex.plain_text import html_to_text
from search.places import PlaceReader

PUBLIC = "public"
MEMBERS = "members"

KIND_LABELS = {
    "article": "Article",
    "entretien": "Entretien",
    "pratique": "Retour d'expérience",
    "collectivite": "Collectivité",
    "evenement": "Événement",
    "document": "Document",
    "question": "Question",
}


@dataclass
class SearchDocument:
    key: str
    page_id: int | None
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


def visibility_of(page: Page, restrictions: "Restrictions | None" = None) -> str | None:
    """PUBLIC, MEMBERS, or None when the page must not be searchable at all.

    `restrictions`, a snapshot of every view restriction, spares the queries
    when many pages are looked at in a row (`all_documents`)."""
    if not page.live:
        return None
    if restrictions is not None and not restrictions.has_alias_above(page):
        covering = restrictions.covering(page)
    else:
        covering = [
            (restriction.restriction_type, {g.name for g in restriction.groups.all()})
            for restriction in page.get_view_restrictions().prefetch_related("groups")
        ]
    if not covering:
        return PUBLIC
    from retex.visibility import MEMBERS_GROUP

    for restriction_type, groups in covering:
        if restriction_type != PageViewRestriction.GROUPS:
            return None
        if MEMBERS_GROUP not in groups:
            return None
    return MEMBERS


class Restrictions:
    """Every view restriction, read once: (path, type, group names). Pages
    under an alias take their restrictions from the aliased page (Wagtail's
    rule), so they are left to `Page.get_view_restrictions`."""

    def __init__(self):
        self.restrictions = [
            (r.page.path, r.restriction_type, {g.name for g in r.groups.all()})
            for r in PageViewRestriction.objects.select_related("page")
            .only("restriction_type", "page__path")
            .prefetch_related("groups")
        ]
        self.alias_paths = list(
            Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)
        )

    def has_alias_above(self, page) -> bool:
        return any(page.path.startswith(path) for path in self.alias_paths)

    def covering(self, page) -> list[tuple[str, set[str]]]:
        return [
            (kind, groups)
            for path, kind, groups in self.restrictions
            if page.path.startswith(path)
        ]


def read_documents(documents, *, restricted_paths=None) -> None:
    """Read, for each of `documents`, the pages using it (`_search_pages`) and
    who may find its text (`_search_audience`: PUBLIC, MEMBERS, or None when
    no entry may carry it), in a fixed number of queries for the whole batch."""
    from knowledge.document_access import (
        PRIVATE,
        audience_of,
        documents_kept_out_of_search,
        pages_using_documents,
        restricted_page_paths,
    )

    documents = list(documents)
    if not documents:
        return
    unique = list({document.pk: document for document in documents}.values())
    pages = pages_using_documents(unique)
    kept_out = documents_kept_out_of_search(unique)
    if restricted_paths is None:
        restricted_paths = restricted_page_paths()
    for document in documents:
        document._search_pages = pages.get(document.pk, [])
        audience = audience_of(document._search_pages, restricted_paths)
        # A private document (used by drafts only, or by no page) is read by
        # those preparing the draft only: no entry carries its text.
        document._search_audience = (
            None if document.pk in kept_out or audience == PRIVATE else audience
        )


def _audience(document) -> str | None:
    """Who may find `document`'s text (see `read_documents`), read for a whole
    batch of pages by `prefetch_pages` when it comes from there."""
    if not hasattr(document, "_search_audience"):
        read_documents([document])
    return document._search_audience


def _extracted_text(document) -> str:
    from knowledge.models import DocumentText

    try:
        return document.extracted_text.text
    except DocumentText.DoesNotExist:  # Not extracted (yet).
        return ""


def _themes(page) -> tuple[list[str], list[str]]:
    themes = list(page.themes.all())
    return [t.slug for t in themes], [t.name for t in themes]


def _knowledge(page, visibility: str) -> SearchDocument:
    from knowledge.models import block_texts

    body = [*block_texts(page.body), *page.extra_reading_text()]
    # A document also used by a members-only page (or a draft) is served to
    # members only: its text must not be found by visitors through this page.
    readers = (PUBLIC,) if visibility == PUBLIC else (PUBLIC, MEMBERS)
    documents = [
        item.document
        for item in page.attached_documents.all()
        if _audience(item.document) in readers
    ]
    body.extend(_extracted_text(document) for document in documents)
    slugs, names = _themes(page)
    own = getattr(page, "collectivity", None)  # A practice's collectivity.
    if own is not None:
        body.append(_places(page).collectivity_place(own).text())
    collectivity = own or next(iter(page.related_collectivities.all()), None)
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


def _collectivity(page, visibility: str) -> SearchDocument:
    slugs, names = _themes(page)
    return SearchDocument(
        key=f"page:{page.pk}",
        page_id=page.pk,
        kind="collectivite",
        title=page.title,
        lead=html_to_text(page.presentation)[:600],
        body="\n".join(
            filter(
                None,
                [
                    page.member_communes,
                    page.get_kind_display(),
                    _places(page).collectivity_place(page).text(),
                ],
            )
        ),
        themes=slugs,
        theme_names=names,
        collectivity_kind=page.kind,
        region=page.region,
        date=page.member_since,
        suggestions=[page.title],
    )


def _event(page, visibility: str) -> SearchDocument:
    from knowledge.models import block_texts

    slugs, names = _themes(page)
    located = _places(page).event_place(page)
    place = located.text()
    where = "en ligne" if page.online else f"{page.venue} {page.address}"
    # Where it happens opens the lead: a reader sees it in the result, and the
    # town weighs as a lead's word (an event in Lyon before one citing Lyon).
    town = gettext("En ligne") if page.online else ", ".join(located.towns)
    if town and located.department_name:
        town = f"{town} ({located.department_name})"
    return SearchDocument(
        key=f"page:{page.pk}",
        page_id=page.pk,
        kind="evenement",
        title=page.title,
        lead=f"{town} \u00b7 {page.lead}" if town else page.lead,
        body="\n".join(
            [
                *block_texts(page.body),
                page.speakers,
                page.partners,
                where,
                place,
                gettext("Événement"),
                page.get_kind_display(),
                EVENT_KIND_WORDS.get(page.kind, ""),
            ]
        ),
        themes=slugs,
        theme_names=names,
        region=page.region,
        date=page.start.date() if page.start else None,
        suggestions=[page.title],
    )


# Words people use for a kind of event besides its name (« événement », its
# kind's label and the place are in every event's document too).
EVENT_KIND_WORDS = {
    "formation": "formation, stage, atelier",
    "table-ronde": "table ronde, débat",
    "rencontre": "rencontre, réunion",
    "webinaire": "webinaire, webinar, visioconférence, en ligne",
    "congres": "congrès, colloque",
}


def _places(page) -> PlaceReader:
    """The place reader of the batch `page` was read in (`prefetch_pages`), or
    one reading for this page alone."""
    reader = getattr(page, "_search_places", None)
    if reader is None:
        from events.models import EventPage
        from members.models import CollectivityPage

        collectivities = [getattr(page, "collectivity", None)]
        if isinstance(page, CollectivityPage):
            collectivities.append(page)
        reader = PlaceReader().read(
            collectivities=[c for c in collectivities if c is not None],
            events=[page] if isinstance(page, EventPage) else [],
        )
        page._search_places = reader
    return reader


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


def document_for_page(
    page: Page, *, restrictions: Restrictions | None = None
) -> SearchDocument | None:
    """The page's search document, or None if it must not be searchable."""
    page = page.specific
    builder = builder_for(page)
    if builder is None:
        return None
    visibility = visibility_of(page, restrictions)
    if visibility is None:
        return None
    document = builder(page, visibility)
    document.visibility = visibility
    document.url = page.get_url() or ""
    return document


def document_for_document(
    document, *, restrictions: Restrictions | None = None
) -> SearchDocument | None:
    """The search document of an uploaded document (by its own audience), or
    None: kept out of search, or used by no page that anyone may find."""
    if not hasattr(document, "_search_pages"):
        read_documents([document])
    audience = document._search_audience
    if audience is None:
        return None
    # The pages named in the entry: those its readers may find (a members-only
    # document's entry may name members-only pages, never drafts).
    shown = [
        page
        for page in document._search_pages
        if visibility_of(page, restrictions) is not None
    ]
    if not shown:
        return None
    titles = ", ".join(dict.fromkeys(page.title for page in shown))
    created = document.created_at
    return SearchDocument(
        key=document_key(document.pk),
        page_id=None,
        kind="document",
        title=document.title,
        lead=gettext("Document joint à\u00a0: %(pages)s") % {"pages": titles},
        body=_extracted_text(document),
        date=timezone.localdate(created) if created else None,
        url=document.url,
        visibility=audience,
        suggestions=[document.title],
    )


def document_key(document_id: int) -> str:
    return f"document:{document_id}"


def question_key(question_id: int) -> str:
    return f"question:{question_id}"


def document_for_question(question) -> SearchDocument | None:
    """A mutual-aid question's entry, with its visible answers' text: for
    members only, unless an editor published the thread (then public, with
    the answers of those who agreed only); none when it is hidden."""
    from aid.text import plain_text

    if question.hidden:
        return None
    slugs, names = _themes(question)
    public = question.visibility == "public"
    answers = [
        a for a in question.answers.all() if not a.hidden and (a.consent or not public)
    ]
    collectivity = question.collectivity
    return SearchDocument(
        key=question_key(question.pk),
        page_id=None,
        kind="question",
        title=question.title,
        lead=plain_text(question.details)[:600],
        body="\n".join(plain_text(answer.body) for answer in answers),
        themes=slugs,
        theme_names=names,
        collectivity_kind=collectivity.kind if collectivity else "",
        region=collectivity.region if collectivity else "",
        date=timezone.localdate(question.created_at),
        url=question.get_absolute_url(),
        visibility=PUBLIC if public else MEMBERS,
        suggestions=[question.title],
    )


def searchable_questions():
    from aid.models import Question

    return (
        Question.objects.filter(hidden=False)
        .select_related("collectivity")
        .prefetch_related("themes", "answers")
        .order_by("pk")
    )


def searchable_pages():
    from events.models import EventPage
    from knowledge.models import KnowledgePage
    from members.models import CollectivityPage

    for model in (KnowledgePage, CollectivityPage, EventPage):
        yield from model.objects.live().specific().iterator(chunk_size=BATCH_SIZE)


# What the builders read besides the page itself, by model (and inherited by
# its subclasses): `all_documents` fetches it for a whole batch of pages in a
# few queries rather than a few queries per page.
RELATIONS_READ = {
    "knowledge.knowledgepage": (
        "themes",
        "related_collectivities",
        "attached_documents__document__extracted_text",
    ),
    "knowledge.interviewpage": ("interviewees__collectivity",),
    "knowledge.practicepage": ("collectivity",),
    "members.collectivitypage": ("themes",),
    "events.eventpage": ("themes",),
}
BATCH_SIZE = 500


def prefetch_pages(pages: list[Page]) -> None:
    """Read what the builders need of `pages` (specific pages) in a few queries."""
    by_model = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
    for model, group in by_model.items():
        lookups = [
            lookup
            for parent in [*model._meta.get_parent_list(), model]
            for lookup in RELATIONS_READ.get(parent._meta.label_lower, ())
        ]
        prefetch_related_objects(group, *lookups)
    _read_places(pages)
    documents = [
        item.document
        for page in pages
        if hasattr(page, "attached_documents")
        for item in page.attached_documents.all()
    ]
    read_documents(documents)


def _read_places(pages: list[Page]) -> None:
    """Read the places of a batch's collectivities, practices and events in a
    fixed number of queries (`search.places.PlaceReader`)."""
    from events.models import EventPage
    from members.models import CollectivityPage

    collectivities = [page for page in pages if isinstance(page, CollectivityPage)]
    collectivities += [
        page.collectivity
        for page in pages
        if getattr(page, "collectivity", None) is not None
    ]
    events = [page for page in pages if isinstance(page, EventPage)]
    reader = PlaceReader().read(collectivities=collectivities, events=events)
    for page in pages:
        page._search_places = reader


def all_documents() -> Iterator[SearchDocument]:
    restrictions = Restrictions()
    pages = searchable_pages()
    while batch := list(itertools.islice(pages, BATCH_SIZE)):
        prefetch_pages(batch)
        for page in batch:
            document = document_for_page(page, restrictions=restrictions)
            if document is not None:
                yield document
    uploads = (
        get_document_model()
        .objects.select_related("extracted_text")
        .order_by("pk")
        .iterator(chunk_size=BATCH_SIZE)
    )
    questions = searchable_questions().iterator(chunk_size=BATCH_SIZE)
    for question in questions:
        document = document_for_question(question)
        if document is not None:
            yield document
    restricted_paths = [path for path, _kind, _groups in restrictions.restrictions]
    while batch := list(itertools.islice(uploads, BATCH_SIZE)):
        read_documents(batch, restricted_paths=restricted_paths)
        for upload in batch:
            document = document_for_document(upload, restrictions=restrictions)
            if document is not None:
                yield document
