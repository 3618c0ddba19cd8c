"""Background work of the knowledge base."""

import logging

from django_tasks import task
from wagtail.documents import get_document_model

from knowledge.extraction import extract_text

logger = logging.getLogger(__name__)


@task()
def extract_document_text(*, document_id: int) -> int:
    """Extract and store the text of one document; returns its length.

    Skipped when the stored text already comes from the same file (same hash),
    so re-saving a document's title costs nothing.
    """
    from knowledge.models import DocumentText

    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:
        return 0
    existing = DocumentText.objects.filter(document=document).first()
    if existing and document.file_hash and existing.file_hash == document.file_hash:
        return len(existing.text)
    try:
        # A fresh handle, always closed here, whatever state `document.file` is in.
        with document.file.storage.open(document.file.name, "rb") as handle:
            text = extract_text(handle, filename=document.file.name)
    except OSError:
        logger.warning("Document %s: its file cannot be read", document_id)
        text = ""
    DocumentText.objects.update_or_create(
        document=document,
        defaults={"text": text, "file_hash": document.file_hash or ""},
    )
    return len(text)


@task()
def refresh_related_pages(*, changed: list[int] = (), recompute: list[int] = ()) -> int:
    """Keep the stored related content right after pages `changed` were written
    (`knowledge.related.refresh`); returns how many pages' choices changed."""
    from knowledge.related import refresh

    return refresh(changed=changed, recompute=recompute)


@task()
def rebuild_related_pages() -> int:
    """Choose every page's related content again (`knowledge.related.rebuild`)."""
    from knowledge.related import rebuild

    return rebuild()
