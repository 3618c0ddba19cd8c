"""Keeping the search index in step with the site, in the background."""

import logging

from django.conf import settings
from django_tasks import task

from search.documents import all_documents
from search.indexing import (
    reindex_documents,
    reindex_page,
    reindex_places,
    reindex_question,
)

logger = logging.getLogger(__name__)


@task()
def update_page_in_index(*, page_id: int) -> bool:
    """Index the page, or remove it when it may no longer be found (unpublished,
    deleted, restricted); the same for its descendants, whose visibility follows
    their ancestors' restrictions; then the documents they use, whose audience
    may have changed with them, and the other pages using those documents
    (`search.indexing.reindex_page`)."""
    return reindex_page(page_id)


@task()
def update_documents_in_index(
    *, document_ids: list[int], page_ids: list[int] | None = None
) -> int:
    """Index these uploaded documents and every page using them, plus `page_ids`
    (the pages that used a document being deleted): after a document's title,
    file, text or collection changed, it was deleted, or a page started or
    stopped using it (`search.indexing.reindex_documents`)."""
    return reindex_documents(document_ids, page_ids=page_ids or ())


@task()
def update_question_in_index(*, question_id: int) -> bool:
    """Index a mutual-aid question with its visible answers, or remove it
    (hidden, deleted): `search.indexing.reindex_question`."""
    return reindex_question(question_id)


@task()
def update_places_in_index() -> int:
    """Index again the collectivities, practices and events, whose entries
    carry places from the referential, after `load_territories` changed it
    (`search.indexing.reindex_places`)."""
    return reindex_places()


@task()
def rebuild_elasticsearch_index() -> int | None:
    """Rebuild the Elasticsearch index for its search analyzer to apply the
    editors' synonyms as they are now (enqueued when a synonym is saved or
    deleted). A new index, then the alias switched to it, as `search_reindex`
    does: searches go on meanwhile.

    Nothing to do without `ELASTICSEARCH_URL` (the database backend reads the
    synonyms with each query), nor when the index behind the alias already has
    these synonyms: of a burst of edits, the first task to run after the last
    edit rebuilds, and the ones after it find the index up to date. Answers the
    number of documents indexed, or None when nothing was rebuilt.
    """
    if not settings.ELASTICSEARCH_URL:
        return None
    from search.backends.elasticsearch import ElasticsearchBackend, synonym_rules

    engine = ElasticsearchBackend()
    if engine.live_synonym_rules() == synonym_rules():
        return None
    try:
        return engine.rebuild(all_documents())
    except Exception:
        logger.exception(
            "Elasticsearch index %s not rebuilt after a synonym change; run "
            "`manage.py search_reindex` once Elasticsearch answers",
            engine.alias,
        )
        raise
