"""Search documents built for the whole site (`search_reindex`) read the
database a fixed number of times, whatever the number of pages, and say the
same as the documents built one page at a time (publication)."""

import io

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
from tests.helpers import publish

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


# --- Places ---------------------------------------------------------------------------


@pytest.fixture
def referential(db):
    """A few rows of the official referential (real codes and names)."""
    from territories.models import Commune, Department, Epci, Region

    bretagne = Region.objects.create(code="53", name="Bretagne")
    hauts = Region.objects.create(code="32", name="Hauts-de-France")
    auvergne = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes")
    armor = Department.objects.create(code="22", name="Côtes-d'Armor", region=bretagne)
    calais = Department.objects.create(code="62", name="Pas-de-Calais", region=hauts)
    rhone = Department.objects.create(code="69", name="Rhône", region=auvergne)
    tregor = Epci.objects.create(
        siren="200065928", name="CA Lannion-Trégor Communauté", kind="CA"
    )
    for code, name, department, postcodes, epci in [
        ("22113", "Lannion", armor, "22300", tregor),
        ("22168", "Perros-Guirec", armor, "22700", tregor),
        ("62041", "Arras", calais, "62000", None),
        ("69123", "Lyon", rhone, "69001 69002 69003", None),
    ]:
        Commune.objects.create(
            insee_code=code,
            name=name,
            department=department,
            region=department.region,
            postcodes=postcodes,
            epci=epci,
        )


def found(text, user=None):
    """The titles of a search's results that match every word (the search may
    add entries matching some of them after those)."""
    from django.contrib.auth.models import AnonymousUser

    from search.service import search

    answer = search(text=text, user=user or AnonymousUser())
    return [result["title"] for result in answer.results]


def first(text):
    results = found(text)
    return results[0] if results else None


def test_a_commune_is_found_by_its_postcode_department_and_region(
    referential, section, committed
):
    lannion = CollectivityPageFactory(
        parent=section("membres"),
        title="Ville de Lannion",
        insee_code="22113",
        department="22",
        presentation="<p>Une ville du Trégor.</p>",
    )
    arras = CollectivityPageFactory(
        parent=section("membres"),
        title="Ville d'Arras",
        insee_code="62041",
        department="62",
        region="32",
    )
    committed(publish, lannion)
    committed(publish, arras)

    document = document_for_page(lannion)
    assert "Lannion, 22300, Côtes-d'Armor (22), Bretagne" in document.body
    assert found("22300") == ["Ville de Lannion"]
    assert first("Côtes-d'Armor") == "Ville de Lannion"
    assert first("Pas-de-Calais") == "Ville d'Arras"
    assert found("62") == ["Ville d'Arras"]
    assert first("Hauts-de-France") == "Ville d'Arras"


def test_an_intercommunality_names_its_member_communes(referential, section, committed):
    tregor = CollectivityPageFactory(
        parent=section("membres"),
        title="Lannion-Trégor Communauté",
        kind="ca",
        siren="200065928",
        department="22",
    )
    committed(publish, tregor)

    assert first("Perros-Guirec") == "Lannion-Trégor Communauté"
    assert first("22700") == "Lannion-Trégor Communauté"


def test_an_event_is_found_by_its_town_kind_and_department(
    referential, section, committed
):
    lyon = EventPageFactory(
        parent=section("evenements"),
        title="Atelier données ouvertes",
        kind="table-ronde",
        city="Lyon",
        postcode="69003",
        region="84",
    )
    online = EventPageFactory(
        parent=section("evenements"),
        title="Cybersécurité des élus",
        kind="webinaire",
        online=True,
        city="Rennes",  # Left over from before it went online.
    )
    committed(publish, lyon)
    committed(publish, online)

    assert first("événement Lyon") == "Atelier données ouvertes"
    assert first("table ronde Rhône") == "Atelier données ouvertes"
    assert first("69") == "Atelier données ouvertes"
    assert first("webinaire") == "Cybersécurité des élus"
    assert "Rennes" not in document_for_page(online).body  # No town when online.
    assert document_for_page(lyon).lead.startswith("Lyon (Rhône) · ")
    assert document_for_page(online).lead.startswith("En ligne · ")


def test_a_practice_carries_its_collectivitys_place(referential, section, committed):
    lannion = CollectivityPageFactory(
        parent=section("membres"), title="Ville de Lannion", insee_code="22113"
    )
    committed(publish, lannion)
    practice = PracticePageFactory(
        parent=section("ressources"), title="Un fablab", collectivity=lannion
    )
    committed(publish, practice)

    assert set(found("22300")) == {"Ville de Lannion", "Un fablab"}


def test_places_come_from_the_shipped_referential_when_none_is_loaded(section):
    from territories.models import Department

    assert not Department.objects.exists()
    arras = CollectivityPageFactory(
        parent=section("membres"),
        title="Ville d'Arras",
        insee_code="62041",
        department="62",
        region="32",
    )
    publish(arras)
    assert "Arras, 62000, Pas-de-Calais (62), Hauts-de-France" in (
        document_for_page(arras).body
    )


def test_a_postcode_or_a_department_number_maps_to_its_place(referential):
    from search.places import department_place, postcode_place

    lannion = postcode_place("22300")
    assert lannion.towns == ("Lannion",)
    assert lannion.text() == "Lannion, 22300, Côtes-d'Armor (22), Bretagne"
    assert department_place("62").department_name == "Pas-de-Calais"
    assert postcode_place("99999") is None
    assert postcode_place("abc") is None
    assert department_place("00") is None


# --- Text of rich text ------------------------------------------------------------------


def test_paragraphs_stay_apart_in_the_index(section, committed):
    article = ArticlePageFactory(
        parent=section("ressources"),
        title="Les services numériques de la métropole",
        body=[
            {
                "type": "paragraph",
                "value": "<p>les services numériques</p><p>Karine Dognin-Sauze,"
                " vice-présidente</p><ul><li>open&nbsp;data</li><li>inclusion"
                "</li></ul>",
            }
        ],
    )
    committed(publish, article)
    lyon = CollectivityPageFactory(
        parent=section("membres"),
        title="Métropole exemple",
        presentation="<p>Une métropole</p><p>Marc Martin<br/>élu</p>",
    )
    committed(publish, lyon)

    body = document_for_page(article).body
    assert "numériquesKarine" not in body
    assert "open data" in body
    assert first("Karine Dognin-Sauze") == "Les services numériques de la métropole"
    assert first("Marc Martin") == "Métropole exemple"
    assert document_for_page(lyon).lead == "Une métropole\nMarc Martin\nélu"


def test_a_practices_sections_stay_apart(section, committed):
    practice = PracticePageFactory(
        parent=section("ressources"),
        context="<p>Contexte rural</p><p>Paule Durand pilote</p>",
        results="<ul><li>trois lieux</li><li>cent personnes</li></ul>",
    )
    committed(publish, practice)
    body = document_for_page(practice).body
    assert "ruralPaule" not in body and "lieuxcent" not in body
    assert first("Paule Durand") == practice.title


# --- Re-indexing when a place changes ---------------------------------------------------


def test_a_collectivitys_new_place_reaches_its_practices(
    referential, section, committed
):
    town = CollectivityPageFactory(
        parent=section("membres"), title="Ville de Lannion", insee_code="22113"
    )
    committed(publish, town)
    practice = PracticePageFactory(
        parent=section("ressources"), title="Un fablab", collectivity=town
    )
    committed(publish, practice)
    assert "Un fablab" not in found("62000")

    # The profile pointed at the wrong commune: an editor corrects it.
    town.insee_code, town.department, town.region = "62041", "62", "32"
    committed(publish, town)

    assert set(found("62000")) == {"Ville de Lannion", "Un fablab"}
    assert "Un fablab" not in found("22300")


def test_loading_a_changed_referential_reindexes_places(section, committed, tmp_path):
    import copy

    from django.core.management import call_command

    from territories.extract import write_extract
    from tests.territories.conftest import SMALL_EXTRACT

    town = CollectivityPageFactory(
        parent=section("membres"), title="Ville de Lannion", insee_code="22113"
    )
    committed(publish, town)
    event = EventPageFactory(
        parent=section("evenements"),
        title="Atelier de Perros",
        city="Perros-Guirec",
        postcode="22700",
    )
    committed(publish, event)
    assert found("22310") == []

    extract = copy.deepcopy(SMALL_EXTRACT)
    extract["columns"]["postcodes"] = ["code", "postcodes"]
    extract["postcodes"] = [["22113", "22300 22310"], ["22168", "22700"]]
    # A department renamed (it happens: « Côtes-du-Nord » became « Côtes-d'Armor »).
    extract["departments"][0][1] = "Côtes-du-Nord"
    path = tmp_path / "extract.json.gz"
    write_extract(extract, path)
    committed(
        call_command, "load_territories", "--file", str(path), stdout=io.StringIO()
    )

    assert found("22310") == ["Ville de Lannion"]
    assert set(found("Côtes-du-Nord")) == {"Ville de Lannion", "Atelier de Perros"}
