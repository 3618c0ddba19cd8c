"""Search documents built for the whole site (`search_reindex`) read the
database a fixed number of times, whatever the number of pages, and say the
same as the documents built one page at a time (publication)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.models import Page

from knowledge.models import DocumentText, Interviewee, KnowledgePageDocument
from search.documents import all_documents, document_for_document, document_for_page
from tests.factories import (
    ArticlePageFactory,
    CollectivityPageFactory,
    EventPageFactory,
    InterviewPageFactory,
    PracticePageFactory,
    ThemeFactory,
    make_document,
)

pytestmark = pytest.mark.django_db


def add_pages(section, number: int, *, start: int = 0) -> None:
    theme = ThemeFactory(slug="inclusion-numerique", name="Inclusion numérique")
    for n in range(start, start + number):
        town = CollectivityPageFactory(parent=section("membres"), title=f"Ville {n}")
        town.themes = [theme]
        town.save()
        article = ArticlePageFactory(parent=section("ressources"), title=f"Article {n}")
        article.themes = [theme]
        article.related_collectivities = [town]
        document = make_document(f"guide-{n}.txt", b"texte")
        DocumentText.objects.create(document=document, text=f"guide pratique {n}")
        article.attached_documents = [KnowledgePageDocument(document=document)]
        article.save()
        interview = InterviewPageFactory(parent=section("ressources"))
        interview.interviewees = [
            Interviewee(name=f"Élue {n}", function="maire", collectivity=town)
        ]
        interview.save()
        PracticePageFactory(parent=section("ressources"))
        event = EventPageFactory(parent=section("evenements"))
        event.themes = [theme]
        event.save()


def build_all():
    with CaptureQueriesContext(connection) as queries:
        documents = list(all_documents())
    return documents, len(queries)


def test_the_whole_site_is_read_in_the_same_number_of_queries_for_more_pages(
    section,
):
    add_pages(section, 2)
    build_all()  # Reads the site once (then cached), as a server would.
    few, queries_for_few = build_all()
    add_pages(section, 4, start=2)
    many, queries_for_many = build_all()

    assert len(many) > len(few)
    assert queries_for_many == queries_for_few


def test_documents_built_together_say_what_each_page_says_alone(section):
    add_pages(section, 2)
    together = {document.key: document for document in all_documents()}
    alone = {}
    for document in together.values():
        if document.page_id is None:  # An uploaded document's own entry.
            upload = get_document_model().objects.get(pk=document.key.split(":")[1])
            built = document_for_document(upload)
        else:
            built = document_for_page(Page.objects.get(pk=document.page_id))
        alone[built.key] = built

    assert together == alone
    guide = next(d for d in together.values() if d.title == "guide-1.txt")
    assert guide.kind == "document"
    assert "guide pratique 1" in guide.body
    assert "Article 1" in guide.lead  # The page it is attached to.
    article = next(d for d in together.values() if d.title == "Article 1")
    assert "guide pratique 1" in article.body
    assert article.theme_names == ["Inclusion numérique"]
    assert article.region  # From its related collectivity.
    interview = next(d for d in together.values() if d.kind == "entretien")
    assert "maire" in interview.body
