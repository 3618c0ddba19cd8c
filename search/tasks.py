"""Keeping the search index in step with the site, in the background."""

import logging

from django.conf import settings
from django_tasks import task
from wagtail.models import Page

from search.documents import all_documents, document_for_page

logger = logging.getLogger(__name__)


@task()
def update_page_in_index(*, page_id: int) -> bool:
    """Index the page, or remove it when it may no longer be found (unpublished,
    deleted, restricted); the same for its descendants, whose visibility follows
    their ancestors' restrictions."""
    from search.service import backend, database_backend

    page = Page.objects.filter(pk=page_id).first()
    pages = [page, *page.get_descendants()] if page else []
    documents, removed = [], [f"page:{page_id}"] if page is None else []
    for item in pages:
        document = document_for_page(item)
        if document is None:
            removed.append(f"page:{item.pk}")
        else:
            documents.append(document)
    engines = {type(database_backend()): database_backend(), type(backend()): backend()}
    for engine in engines.values():
        if documents:
            engine.index(documents)
        if removed:
            engine.remove(removed)
    return bool(documents)


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
