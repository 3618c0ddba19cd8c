"""What to write to the search index when a page or a document changes.

A page's entry depends on the page, on its ancestors' view restrictions, and on
the audience of the documents attached to it; a document's entry (and whether
its text may appear in a page's entry) depends on every page using it. So a
change re-indexes what it touches:

- a page published, unpublished, moved, deleted or (un)restricted: the page
  and its descendants, every document they use, and every other page using
  those documents (`reindex_page`);
- a document saved (title, file, collection), its text re-extracted, deleted,
  or a page starting or ceasing to use it: the document and every page using
  it (`reindex_documents`);
- a collectivity published, unpublished or moved: its practices too, whose
  entries carry its place (`reindex_page`);
- the referential loaded again with changes (`load_territories`): every
  collectivity, practice and event, whose places come from it
  (`reindex_places`).

The background tasks (`search/tasks.py`) call these; so may anything else.
"""

from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Page, ReferenceIndex

from search.documents import (
    SearchDocument,
    document_for_document,
    document_for_page,
    document_key,
    prefetch_pages,
    read_documents,
)


def page_key(page_id: int) -> str:
    return f"page:{page_id}"


def write(documents: list[SearchDocument], removed: list[str]) -> None:
    """Index `documents` and remove the entries `removed` in every backend in use."""
    from search.service import backend, database_backend

    engines = {type(database_backend()): database_backend(), type(backend()): backend()}
    for engine in engines.values():
        if documents:
            engine.index(documents)
        if removed:
            engine.remove(removed)


def _page_entries(pages) -> tuple[list[SearchDocument], list[str]]:
    """Entries of `pages` (specific pages), or their keys to remove."""
    pages = list(pages)
    prefetch_pages(pages)
    documents, removed = [], []
    for page in pages:
        document = document_for_page(page)
        if document is None:
            removed.append(page_key(page.pk))
        else:
            documents.append(document)
    return documents, removed


def _refresh_references(page) -> None:
    """Wagtail records what a page links to (blocks, rich text) in its reference
    index from a background task of its own, maybe not run yet: bring the
    page's records up to date first, so that the documents it now uses are
    known. Records removed here tell their documents (`search/signals.py`)."""
    page = page.specific
    if ReferenceIndex.is_indexed(type(page)):
        with transaction.atomic():
            ReferenceIndex.create_or_update_for_object(page)


def reindex_page(page_id: int) -> bool:
    """Index the page and its descendants (or remove those nobody may find any
    more), then the documents they use and the other pages using those. True
    when the page itself has an entry."""
    from knowledge.document_access import documents_used_by_pages

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        write([], [page_key(page_id)])
        return False
    _refresh_references(page)
    pages = [page.specific, *page.get_descendants().specific()]
    pages += _place_dependents(pages)
    documents, removed = _page_entries(pages)
    uses = documents_used_by_pages(Page.objects.descendant_of(page, inclusive=True))
    more, more_removed = _document_entries(uses, skip={item.pk for item in pages})
    write(documents + more, removed + more_removed)
    return page_key(page_id) not in removed


def _place_dependents(pages) -> list:
    """The practices of the collectivities among `pages` (not already in it):
    their entries carry the collectivity's place."""
    from knowledge.models import PracticePage
    from members.models import CollectivityPage

    collectivities = [page.pk for page in pages if isinstance(page, CollectivityPage)]
    if not collectivities:
        return []
    seen = {page.pk for page in pages}
    return list(
        PracticePage.objects.filter(collectivity__in=collectivities)
        .exclude(pk__in=seen)
        .order_by("path")
    )


def reindex_places() -> int:
    """Index again every page whose entry carries a place from the referential
    (collectivities, practices, events), a batch at a time, after the
    referential changed. Answers the number of entries written."""
    from events.models import EventPage
    from knowledge.models import PracticePage
    from members.models import CollectivityPage
    from search.documents import BATCH_SIZE

    written = 0
    for model in (CollectivityPage, PracticePage, EventPage):
        ids = list(model.objects.live().order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH_SIZE):
            batch = model.objects.filter(pk__in=ids[start : start + BATCH_SIZE])
            documents, removed = _page_entries(batch.order_by("pk"))
            write(documents, removed)
            written += len(documents)
    return written


def _document_entries(
    document_ids, *, page_ids=(), skip=frozenset()
) -> tuple[list[SearchDocument], list[str]]:
    """Entries of these documents and of the pages using them (and of
    `page_ids`), except the pages in `skip`."""
    document_ids = set(document_ids)
    uploads = list(
        get_document_model()
        .objects.filter(pk__in=document_ids)
        .select_related("extracted_text")
    )
    read_documents(uploads)
    documents, removed = [], []
    for missing in sorted(document_ids - {upload.pk for upload in uploads}):
        removed.append(document_key(missing))
    page_ids = set(page_ids)
    for upload in uploads:
        document = document_for_document(upload)
        if document is None:
            removed.append(document_key(upload.pk))
        else:
            documents.append(document)
        page_ids.update(page.pk for page in upload._search_pages)
    page_ids -= set(skip)
    pages = list(Page.objects.filter(pk__in=page_ids).order_by("path").specific())
    page_documents, page_removed = _page_entries(pages)
    removed.extend(page_key(pk) for pk in sorted(page_ids - {p.pk for p in pages}))
    return documents + page_documents, removed + page_removed


def reindex_question(question_id: int) -> bool:
    """Index a mutual-aid question with its visible answers, or remove its
    entry (hidden, deleted). True when it has an entry."""
    from search.documents import (
        document_for_question,
        question_key,
        searchable_questions,
    )

    question = searchable_questions().filter(pk=question_id).first()
    document = document_for_question(question) if question else None
    if document is None:
        write([], [question_key(question_id)])
        return False
    write([document], [])
    return True


def reindex_documents(document_ids, *, page_ids=()) -> int:
    """Index these documents (or remove them: deleted, kept out of search, used
    by no page anyone may find) and every page using them, plus `page_ids` (the
    pages that used a document just deleted). Answers the number of entries
    written."""
    documents, removed = _document_entries(document_ids, page_ids=page_ids)
    write(documents, removed)
    return len(documents)
