"""Documents attached to pages have their text extracted for search."""

import pytest

from knowledge.models import DocumentText
from tests.factories import make_document

pytestmark = pytest.mark.django_db


def upload(name: str, content: bytes):
    return make_document(name, content)


def test_the_text_of_an_uploaded_document_is_extracted(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        document = upload(
            "feuille-de-route.txt",
            "Feuille de route numérique : inclusion et cybersécurité".encode(),
        )
    stored = DocumentText.objects.get(document=document)
    assert "cybersécurité" in stored.text
    assert stored.file_hash == document.file_hash


def test_renaming_a_document_does_not_extract_it_again(
    django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        document = upload("plan.txt", b"Plan de sobriete numerique")
    calls = []
    monkeypatch.setattr(
        "knowledge.tasks.extract_text", lambda *a, **k: calls.append(1) or ""
    )
    with django_capture_on_commit_callbacks(execute=True):
        document.title = "Plan 2026"
        document.save()
    assert calls == []
    assert "sobriete" in DocumentText.objects.get(document=document).text


def test_an_unreadable_file_stores_no_text_and_does_not_fail(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        document = upload("faux.pdf", b"ceci n'est pas un PDF")
    assert DocumentText.objects.get(document=document).text == ""
