"""Keeping the search index in step with the site, in the background."""

from django_tasks import task
from wagtail.models import Page

from search.documents import document_for_page


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
