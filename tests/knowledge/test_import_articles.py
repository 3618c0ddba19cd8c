"""Importing an association's old articles: `manage.py import_articles FILE...`.

The samples in `import_samples/` are messy on purpose, like pages scraped from an
old site: menus, scripts, cookie banners, share buttons, reading times, BOM,
Windows line endings, no-break spaces.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

from knowledge.importing import (
    ImportRefused,
    detect_format,
    import_file,
    is_boilerplate,
    parse_document,
    read_document,
)
from knowledge.models import ArticlePage, InterviewPage, KnowledgePage, PracticePage
from retex.blocks import RICH_TEXT_FEATURES
from tests.factories import ThemeFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "import_samples"
HTML_SAMPLE = SAMPLES / "mediation-numerique-lannion.html"
MARKDOWN_SAMPLE = SAMPLES / "budget-participatif.md"
TEXT_SAMPLE = SAMPLES / "tiers-lieu-rural.txt"

# Leftovers of the old sites that must not reach a page.
LEFTOVERS = [
    "browser does not support",
    "JavaScript",
    "cookies",
    "Tout accepter",
    "Refuser",
    "Personnaliser",
    "Partager",
    "Facebook",
    "Twitter",
    "LinkedIn",
    "Temps de lecture",
    "4 minutes",
    "4 min",
    "3 min",
    "Lire la suite",
    "Aller au contenu",
    "Accueil",
    "Actualités",
    "Agenda",
    "Articles récents",
    "Tous droits réservés",
    "Tags",
    "Nos projets",
    "gtag",
    "alert(",
    "<script",
    "onclick",
    "style=",
    "class=",
    "javascript:",
]


def parse(path: Path):
    text = read_document(path)
    return parse_document(text, fmt=detect_format(path, text))


def body_of(page: KnowledgePage) -> list[dict]:
    """The page's body as `parse_document` gives blocks (without block ids)."""
    return [{"type": b["type"], "value": b["value"]} for b in page.body.raw_data]


def stored_text(page: KnowledgePage) -> str:
    body = json.dumps(body_of(page), ensure_ascii=False)
    return "\n".join([page.title, page.lead, body])


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_articles", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_refused(*args: str) -> tuple[str, str, str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_articles", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), str(raised.value)


def printed_pages(stdout: str) -> list[tuple[int, str]]:
    lines = stdout.splitlines()
    assert all(re.fullmatch(r"\d+ \S+", line) for line in lines), lines
    return [(int(id_), url) for id_, url in (line.split(" ") for line in lines)]


@pytest.fixture
def index(section):
    return section("ressources")


@pytest.fixture
def samples(tmp_path) -> Path:
    """A copy of the samples that a test may change."""
    folder = tmp_path / "articles"
    shutil.copytree(SAMPLES, folder)
    return folder


# --- Reading messy files -------------------------------------------------------------


def test_a_scraped_html_page_keeps_its_article_and_drops_the_page_furniture():
    document = parse(HTML_SAMPLE)

    assert document.title == (
        "Médiation numérique : la ville ouvre trois lieux d'accueil"
    )
    assert document.lead == (
        "Depuis janvier, trois lieux de médiation numérique accueillent les "
        "habitants qui ont besoin d'aide pour leurs démarches en ligne."
    )
    assert [block["type"] for block in document.blocks] == [
        "heading",
        "paragraph",
        "quote",
        "heading",
        "paragraph",
    ]
    heading, survey, quote, after, last = (b["value"] for b in document.blocks)
    assert heading == {"text": "Un besoin mesuré sur le terrain", "level": "h2"}
    assert survey == (
        "<p>Une enquête menée auprès de 400 habitants a montré qu'un sur cinq "
        "renonçait à une démarche faute d'accompagnement. Voir "
        "<a href=\"https://www.insee.fr/fr/statistiques\">l'étude de l'Insee</a> "
        "et notre enquête.</p>"
        "<ul><li>Mairie centre : <b>lundi</b> et mercredi</li>"
        "<li>Médiathèque : samedi matin</li>"
        "<li>Espace Kerampont : sur rendez-vous</li></ul>"
    )
    assert quote == {
        "quote": "Nous voulions que personne ne reste seul devant un écran.",
        "author": "Marie Le Guen",
        "role": "adjointe au numérique",
    }
    assert after == {"text": "Et après ?", "level": "h3"}
    assert last == (
        "<p>Un bilan sera présenté au conseil municipal<sup>1</sup> à l'automne."
        "<br/>Les horaires peuvent évoluer pendant les vacances.</p>"
    )
    everything = json.dumps(document.blocks, ensure_ascii=False) + document.lead
    for leftover in LEFTOVERS:
        assert leftover not in everything, leftover


def test_a_markdown_file_loses_its_tags_line_and_reading_time():
    document = parse(MARKDOWN_SAMPLE)

    assert document.title == (
        "Ce que nous avons appris de notre premier budget participatif"
    )
    assert document.lead == (
        "En 2023, la commune a consacré 5 % de son budget d'investissement à des "
        "projets proposés et votés par les habitants."
    )
    assert document.blocks == [
        {"type": "heading", "value": {"text": "Les chiffres", "level": "h2"}},
        {
            "type": "paragraph",
            "value": "<ul><li>142 projets déposés</li><li>38 projets soumis au "
            "vote</li><li><i>12</i> projets lauréats</li></ul>",
        },
        {"type": "heading", "value": {"text": "Ce qui a marché", "level": "h3"}},
        {
            "type": "paragraph",
            "value": "<p>Le vote en ligne, doublé de permanences en mairie pour "
            "les personnes éloignées du numérique. Voir "
            '<a href="https://www.example.fr/reglement.pdf">le règlement</a>.</p>',
        },
        {
            "type": "quote",
            "value": {
                "quote": "Le budget participatif a fait venir en mairie des "
                "habitants que nous ne voyions jamais.",
                "author": "Paul Mercier",
                "role": "maire",
            },
        },
    ]


def test_a_plain_text_file_with_bom_and_windows_line_endings_is_titled_by_its_first_meaningful_line():  # noqa: E501
    raw = TEXT_SAMPLE.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\xc2\xa0" in raw

    document = parse(TEXT_SAMPLE)

    assert document.title == "Ouvrir un tiers-lieu numérique en milieu rural"
    assert document.lead == (
        "La communauté de communes a transformé une ancienne école en tiers-lieu : "
        "espace de travail partagé, atelier de fabrication et point d'accès aux "
        "services publics."
    )
    assert document.blocks == [
        {
            "type": "paragraph",
            "value": "<p>Le projet a été financé par la commune, le département et "
            "l'État.</p><p>Il a fallu dix-huit mois pour l'ouvrir.</p>"
            "<p>Ce qui a aidé :</p>"
            "<ul><li>un comité d'usagers dès le départ ;</li>"
            "<li>un animateur à plein temps.</li></ul>",
        }
    ]
    assert "\ufeff" not in document.title + document.lead
    assert "\xa0" not in json.dumps(document.blocks, ensure_ascii=False)


@pytest.mark.parametrize("fmt", ["html", "text"])
def test_a_title_in_tags_on_the_first_line_is_taken_without_its_tags(fmt):
    text = (
        "<p><b>Titre</b></p>\n\nTemps de lecture : 4 min\n\n"
        "<p>Premier paragraphe.</p>\n\n<p>Second paragraphe.</p>\n"
    )

    document = parse_document(text, fmt=fmt)

    assert document.title == "Titre"
    assert document.lead == "Premier paragraphe."
    assert document.blocks == [
        {"type": "paragraph", "value": "<p>Second paragraphe.</p>"}
    ]


def test_html_is_sanitised_to_what_the_rich_text_editor_allows():
    source = (
        "<h1>Titre</h1><p>Chapô.</p>"
        '<p class="x" style="color:red" onclick="steal()">Du <strong>gras</strong>,'
        " de l'<em>italique</em>, <u>souligné</u>, <span>un span</span>,"
        ' <a href="https://exemple.fr/?a=1&amp;b=2" target="_blank" rel="nofollow">'
        'un lien</a>, <a href="javascript:alert(1)">un piège</a>,'
        ' <a href="/ancienne-page/">un lien relatif</a>,'
        ' <a href="mailto:contact@exemple.fr">un courriel</a>,'
        " 10<sup>e</sup>, <img src=x onerror=alert(1)>"
        "<script>alert(2)</script><iframe src=x></iframe></p>"
        "<ol><li><p>un</p></li><li>deux<ul><li>deux bis</li></ul></li></ol>"
        "<h5>Niveau 5</h5><table><tr><th>An</th><td>2024</td></tr></table>"
    )

    blocks = parse_document(source, fmt="html").blocks

    assert blocks == [
        {
            "type": "paragraph",
            "value": "<p>Du <b>gras</b>, de l'<i>italique</i>, souligné, un span, "
            '<a href="https://exemple.fr/?a=1&amp;b=2">un lien</a>, un piège, '
            'un lien relatif, <a href="mailto:contact@exemple.fr">un courriel</a>,'
            " 10<sup>e</sup>,</p>"
            "<ol><li>un</li><li>deux<ul><li>deux bis</li></ul></li></ol>",
        },
        {"type": "heading", "value": {"text": "Niveau 5", "level": "h2"}},
        {"type": "paragraph", "value": "<p>An \u2013 2024</p>"},
    ]


def test_a_title_in_the_page_header_and_a_quote_credited_in_its_footer_are_kept():
    source = (
        '<header class="page-header"><h1>Le titre</h1>'
        '<nav><a href="/">Accueil</a></nav></header>'
        "<main><p>Premier.</p><blockquote><p>« Citation. »</p>"
        "<footer>— Anne Kervella, maire</footer></blockquote></main>"
    )

    document = parse_document(source, fmt="html")

    assert (document.title, document.lead) == ("Le titre", "Premier.")
    assert document.blocks == [
        {
            "type": "quote",
            "value": {"quote": "Citation.", "author": "Anne Kervella", "role": "maire"},
        }
    ]


def test_a_markdown_front_matter_gives_the_title():
    source = '---\ntitle: "Le titre : annoncé"\ndate: 2021-03-04\n---\nLe texte.\n'

    document = parse_document(source, fmt="markdown")

    assert (document.title, document.lead) == ("Le titre : annoncé", "Le texte.")
    assert document.blocks == []


def test_a_markdown_table_keeps_its_rows():
    source = "# Titre\n\nChapô.\n\n| Année | Budget |\n|---|---|\n| 2023 | 1 M€ |\n"

    document = parse_document(source, fmt="markdown")

    assert document.blocks == [
        {
            "type": "paragraph",
            "value": "<p>Année \u2013 Budget</p><p>2023 \u2013 1 M€</p>",
        }
    ]


def test_imported_rich_text_is_what_the_editor_would_store():
    """Wagtail's editor reads it back and writes the same HTML (block keys aside):
    the imported text stays editable."""
    converter = ContentstateConverter(features=RICH_TEXT_FEATURES)
    paragraphs = [
        block["value"]
        for path in (HTML_SAMPLE, MARKDOWN_SAMPLE, TEXT_SAMPLE)
        for block in parse(path).blocks
        if block["type"] == "paragraph"
    ]

    assert paragraphs
    for html in paragraphs:
        round_trip = converter.to_database_format(converter.from_database_format(html))
        assert re.sub(r' data-block-key="\w+"', "", round_trip) == html


def test_a_long_first_paragraph_is_cut_at_a_word_boundary_for_the_lead_and_kept():
    long_paragraph = "La commune " + "accompagne les habitants " * 40 + "en ligne."

    document = parse_document(f"Titre\n\n{long_paragraph}", fmt="text")

    assert len(document.lead) <= 600
    kept = document.lead.removesuffix("…")
    assert document.lead.endswith("…") and long_paragraph.startswith(kept + " ")
    assert document.blocks == [
        {"type": "paragraph", "value": f"<p>{long_paragraph}</p>"}
    ]


def test_a_document_without_paragraph_takes_its_title_as_lead():
    document = parse_document(
        "# Seulement un titre\n\n## Et un intertitre", fmt="markdown"
    )

    assert document.title == "Seulement un titre"
    assert document.lead == "Seulement un titre"
    assert document.blocks == []  # a heading with nothing under it is dropped


@pytest.mark.parametrize(
    "line",
    [
        "Your browser does not support JavaScript!",
        "Veuillez activer JavaScript pour profiter du site.",
        "Partager sur Facebook",
        "Partager : Facebook Twitter LinkedIn",
        "Facebook | Twitter | E-mail",
        "4 minutes",
        "Temps de lecture : 4 min",
        "Temps de lecture\xa0: 4\xa0min",
        "5 min de lecture",
        "Lire la suite »",
        "En savoir plus",
        "Accueil > Actualités > Mon article",
        "Accueil \u203a Actualités",
        "Vous êtes ici : Accueil / Actualités",
        "Accueil | Actualités | Agenda | Contact",
        "Ce site utilise des cookies pour mesurer l'audience. Tout accepter",
        "En poursuivant votre navigation, vous acceptez l'utilisation de cookies.",
        "Tout accepter",
        "Gérer mes préférences",
        "Publié le 12 mars 2021 par Jean Dupont",
        "Mis à jour le 03/04/2022 à 10h30",
        "4 min · Publié le 12 mars 2021",
        "Tags : inclusion, médiation",
        "#inclusion #numérique",
        "3 commentaires",
        "© 2024 Ville de Lannion. Tous droits réservés.",
        "Retour en haut de page",
        "   ",
    ],
)
def test_leftovers_of_old_sites_are_recognised(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "Il a fallu 4 minutes pour remplir le formulaire.",
        "Les cookies de mesure d'audience doivent être déclarés.",
        "Partager les données entre services reste difficile.",
        "Accueil des nouveaux habitants",
        "Suivant les communes, le coût varie.",
        "Publié le rapport, la commune a réagi.",
        "La médiathèque",
        "Facebook a fermé la page de la mairie en 2021.",
        "Contact",
    ],
)
def test_sentences_of_an_article_are_not_taken_for_leftovers(line):
    assert not is_boilerplate(line)


def test_format_is_known_by_extension_then_by_content(tmp_path):
    assert detect_format(Path("a.md"), "<html>") == "markdown"
    assert detect_format(Path("a.HTM"), "texte") == "html"
    assert detect_format(Path("a.txt"), "# Titre") == "text"
    assert detect_format(Path("a"), "<!DOCTYPE html><html><body>") == "html"
    assert detect_format(Path("a.export"), "# Titre\n\n- un\n- deux") == "markdown"
    assert detect_format(Path("a.export"), "Titre\n\nUn texte.") == "text"


# --- The command ---------------------------------------------------------------------


def test_importing_a_file_creates_a_draft_and_prints_its_id_and_url(index, client):
    stdout, stderr = run(str(HTML_SAMPLE))

    [(page_id, url)] = printed_pages(stdout)
    page = ArticlePage.objects.get()
    assert page_id == page.id
    assert url == f"{settings.BASE_URL}/ressources/mediation-numerique-lannion/"
    assert stderr == ""
    assert page.get_parent().specific == index
    assert page.title == "Médiation numérique : la ville ouvre trois lieux d'accueil"
    assert not page.live
    assert page.get_latest_revision() is not None
    assert client.get(page.url).status_code == 404


def test_publish_puts_the_page_online_without_any_leftover(index, client):
    stdout, _ = run(
        str(HTML_SAMPLE), str(MARKDOWN_SAMPLE), str(TEXT_SAMPLE), "--publish"
    )

    printed = printed_pages(stdout)
    assert [url.rsplit("/", 2)[1] for _, url in printed] == [
        "mediation-numerique-lannion",
        "budget-participatif",
        "tiers-lieu-rural",
    ]
    for page_id, _ in printed:
        page = KnowledgePage.objects.get(id=page_id).specific
        assert page.live
        for leftover in LEFTOVERS:
            assert leftover not in stored_text(page), (page.slug, leftover)

    page = ArticlePage.objects.get(slug="mediation-numerique-lannion")
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    text = visible_text(html)
    assert "Médiation numérique : la ville ouvre trois lieux d'accueil" in text
    assert "Un besoin mesuré sur le terrain" in text
    assert "Nous voulions que personne ne reste seul devant un écran." in text
    assert '<a href="https://www.insee.fr/fr/statistiques">' in html
    for leftover in ["browser does not support", "Partager sur", "Lire la suite"]:
        assert leftover not in text
    assert "alert(" not in html


def test_re_importing_a_file_updates_its_page_instead_of_creating_a_second_one(
    index, samples
):
    article = samples / "budget-participatif.md"
    first, _ = run(str(article), "--publish")
    article.write_text(
        "# Budget participatif : le bilan\n\nLa deuxième édition a doublé la "
        "participation.\n\n## Les chiffres\n\n- 300 projets déposés\n",
        encoding="utf-8",
    )

    second, _ = run(str(article), "--publish")

    assert printed_pages(second) == printed_pages(first)
    page = ArticlePage.objects.get()
    assert page.title == "Budget participatif : le bilan"
    assert page.lead == "La deuxième édition a doublé la participation."
    assert body_of(page) == [
        {"type": "heading", "value": {"text": "Les chiffres", "level": "h2"}},
        {"type": "paragraph", "value": "<ul><li>300 projets déposés</li></ul>"},
    ]
    assert page.revisions.count() == 2


def test_re_importing_an_unchanged_file_adds_no_revision(index):
    first, _ = run(str(HTML_SAMPLE), "--publish")

    second, _ = run(str(HTML_SAMPLE), "--publish")

    assert second == first
    assert ArticlePage.objects.get().revisions.count() == 1


def test_re_importing_without_publish_keeps_the_live_version_and_saves_a_draft(
    index, samples, client
):
    article = samples / "tiers-lieu-rural.txt"
    run(str(article), "--publish")
    article.write_text("Un nouveau titre\n\nUn nouveau chapô.\n", encoding="utf-8")

    run(str(article))

    page = ArticlePage.objects.get()
    assert page.live and page.has_unpublished_changes
    assert page.title == "Ouvrir un tiers-lieu numérique en milieu rural"
    draft = page.get_latest_revision_as_object()
    assert (draft.title, draft.lead) == ("Un nouveau titre", "Un nouveau chapô.")
    assert "Ouvrir un tiers-lieu" in visible_text(client.get(page.url).content.decode())


def test_themes_are_applied_to_imported_pages(index):
    inclusion = ThemeFactory(slug="inclusion-numerique")
    democracy = ThemeFactory(slug="democratie", name="Démocratie")

    run(
        str(MARKDOWN_SAMPLE),
        "--theme",
        "inclusion-numerique",
        "--theme",
        "democratie",
        "--publish",
    )

    page = ArticlePage.objects.get()
    assert set(page.themes.all()) == {inclusion, democracy}


def test_an_unknown_theme_is_refused_before_anything_is_imported(index):
    stdout, _, error = run_refused(str(HTML_SAMPLE), "--theme", "theme-inexistant")

    assert "theme-inexistant" in error
    assert stdout == ""
    assert not KnowledgePage.objects.exists()


def test_kind_chooses_the_page_type(index):
    stdout, _ = run(str(TEXT_SAMPLE), "--kind", "interview")

    [(page_id, _)] = printed_pages(stdout)
    assert InterviewPage.objects.get().id == page_id


def test_a_file_already_imported_as_another_kind_is_refused(index):
    run(str(TEXT_SAMPLE), "--kind", "interview")

    stdout, stderr, _ = run_refused(str(TEXT_SAMPLE), "--kind", "article")

    assert stdout == ""
    assert str(TEXT_SAMPLE) in stderr
    assert "entretien" in stderr and "--kind interview" in stderr
    assert not ArticlePage.objects.exists()


def test_a_practice_is_imported_as_a_draft_but_not_published_without_its_collectivity(
    index,
):
    _, stderr, _ = run_refused(str(TEXT_SAMPLE), "--kind", "practice", "--publish")
    assert "collectivité" in stderr and "sans --publish" in stderr
    assert not PracticePage.objects.exists()

    run(str(TEXT_SAMPLE), "--kind", "practice")
    assert not PracticePage.objects.get().live


def test_refused_files_are_named_on_stderr_while_good_files_are_imported(
    index, tmp_path
):
    empty = tmp_path / "vide.txt"
    empty.write_text(" \r\n\xa0\n\t\n", encoding="utf-8")
    binary = tmp_path / "image.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    nul_bytes = tmp_path / "donnees.txt"
    nul_bytes.write_bytes(b"Titre\x00\x00\x00\x01\x02")
    latin1 = tmp_path / "ancien.txt"
    latin1.write_bytes("Élus et numérique\n\nUn texte accentué.".encode("cp1252"))
    leftovers_only = tmp_path / "menu.html"
    leftovers_only.write_text(
        "<nav>Accueil</nav><p>Partager sur Facebook</p><p>4 minutes</p>",
        encoding="utf-8",
    )
    missing = tmp_path / "absent.md"
    folder = tmp_path / "dossier"
    folder.mkdir()
    refused = [empty, binary, nul_bytes, latin1, leftovers_only, missing, folder]

    stdout, stderr, error = run_refused(
        *map(str, refused[:3]), str(MARKDOWN_SAMPLE), *map(str, refused[3:])
    )

    [(page_id, _)] = printed_pages(stdout)
    assert KnowledgePage.objects.get().id == page_id
    lines = stderr.splitlines()
    assert len(lines) == len(refused)
    for path, line in zip(refused, lines, strict=True):
        assert line.startswith(f"{path} : ")
    assert "vide" in lines[0]
    assert "binaire" in lines[1] and "binaire" in lines[2]
    assert "UTF-8" in lines[3]
    assert "aucun titre" in lines[4]
    assert "introuvable" in lines[5]
    assert "dossier" in lines[6]
    assert "7 fichier(s) refusé(s) sur 8" in error


def test_an_unreadable_file_is_refused(index, tmp_path, monkeypatch):
    locked = tmp_path / "verrouille.md"
    locked.write_text("# Titre\n\nTexte.", encoding="utf-8")

    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)

    with pytest.raises(ImportRefused) as refused:
        import_file(locked, index_page=index)
    assert str(refused.value) == (
        f"{locked} : lecture non autorisée (droits du fichier)."
    )


def test_two_files_with_the_same_name_in_one_import_do_not_overwrite_each_other(
    index, tmp_path
):
    for folder in ("ancien-site", "nouveau-site"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "bilan.md").write_text(
            f"# Bilan {folder}\n\nTexte.", encoding="utf-8"
        )

    stdout, stderr, _ = run_refused(
        str(tmp_path / "ancien-site" / "bilan.md"),
        str(tmp_path / "nouveau-site" / "bilan.md"),
    )

    assert len(printed_pages(stdout)) == 1
    assert ArticlePage.objects.get().title == "Bilan ancien-site"
    assert str(tmp_path / "nouveau-site" / "bilan.md") in stderr


def test_an_index_html_file_is_named_after_its_folder(index, tmp_path):
    folder = tmp_path / "actualites" / "fibre-optique"
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(
        "<h1>La fibre arrive</h1><p>Les travaux commencent.</p>", encoding="utf-8"
    )

    stdout, _ = run(str(folder / "index.html"))

    [(_, url)] = printed_pages(stdout)
    assert url.endswith("/ressources/fibre-optique/")


def test_manage_py_exits_with_an_error_status_when_a_file_is_refused(
    tmp_path, migrated_sqlite
):
    """Through a real process, on its own SQLite database (a copy of the run's
    migrated one: `migrate` then only brings the site record to BASE_URL)."""
    shutil.copy(migrated_sqlite, tmp_path / "db.sqlite3")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path),
        "BASE_URL": "https://retex.example.org",
        "DJANGO_SETTINGS_MODULE": "retex.settings",
    }
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    subprocess.run(  # noqa: S603
        [*manage, "migrate", "--noinput", "-v", "0"],
        env=env,
        check=True,
        capture_output=True,
    )

    result = subprocess.run(  # noqa: S603
        [*manage, "import_articles", str(TEXT_SAMPLE), str(tmp_path / "absent.txt")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert re.fullmatch(
        r"\d+ https://retex\.example\.org/ressources/tiers-lieu-rural/\n", result.stdout
    )
    assert f"{tmp_path / 'absent.txt'} : fichier introuvable." in result.stderr
    assert "Page created" not in result.stderr


# --- Titles: the article's heading, never the site's name, its logo or a byline -------


@pytest.mark.parametrize(
    ("sample", "title"),
    [
        # The site's name in an <h1> with its logo before the article's <h1>,
        # and a byline naming the site just above it.
        (
            "entretien-metropole-services-numeriques.html",
            "Entretien : une métropole qui mise sur les services numériques",
        ),
        # No <h1>: a logo and the site's name first, og:title says the title.
        (
            "sobriete-numerique-plan-action.html",
            "Sobriété numérique : le plan d'action d'une ville moyenne",
        ),
        # No og:title, the site's name first in <title> and in the only <h1>.
        ("elus-cybersecurite.html", "Les élus face à la cybersécurité"),
        (
            "mediation-numerique-lannion.html",
            "Médiation numérique : la ville ouvre trois lieux d'accueil",
        ),
    ],
)
def test_the_title_is_the_articles_heading(sample, title):
    document = parse(SAMPLES / sample)

    assert document.title == title
    everything = " ".join(
        [document.lead, json.dumps(document.blocks, ensure_ascii=False)]
    )
    for leftover in ("Diagonales Conseil", "logo", "Ville de Lannion", "Par Diag"):
        assert leftover not in everything, leftover


def test_the_site_name_and_byline_never_open_the_article():
    document = parse(SAMPLES / "entretien-metropole-services-numeriques.html")

    assert document.lead.startswith("La métropole a ouvert en deux ans")
    # Two paragraphs stay two: the interviewee's name starts the second.
    assert document.blocks[0] == {
        "type": "paragraph",
        "value": "<p>Karine Dognin-Sauze, vice-présidente déléguée à l'innovation "
        "et au numérique, répond à nos questions.</p>",
    }
    assert document.blocks[1]["value"]["text"] == "Par quoi avez-vous commencé ?"


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        # <title> with the site's name after the title (og:site_name says it).
        (
            '<title>Le plan vélo | Ville exemple</title><meta property="og:site_name"'
            ' content="Ville exemple">',
            "<p>Le texte de l'article.</p>",
            "Le plan vélo",
        ),
        # A site title element naming the site, then a heading matching og:title.
        (
            '<meta property="og:title" content="La fibre partout">',
            '<div class="site-title">Ville exemple</div><h2>La fibre partout</h2>'
            "<p>Le texte.</p>",
            "La fibre partout",
        ),
        # An <h1> made of a logo's alternative text only.
        (
            "<title>Les tiers-lieux \u2013 Réseau exemple</title>",
            '<h1><img alt="logo">logo</h1><p>Le texte.</p>',
            "Les tiers-lieux",
        ),
        # A byline heading is not a title.
        (
            "",
            "<h1>Publié le 3 mai 2021 par Réseau exemple</h1><h1>Le vrai titre</h1>"
            "<p>Le texte.</p>",
            "Le vrai titre",
        ),
    ],
    ids=["site-after-title", "site-title-then-heading", "logo-h1", "byline-h1"],
)
def test_hostile_pages_are_titled_by_their_article(head, body, title):
    source = f"<html><head>{head}</head><body>{body}</body></html>"
    document = parse_document(source, fmt="html")
    assert document.title == title
    assert document.lead.startswith("Le texte")


def test_imported_samples_are_titled_by_their_heading(index):
    paths = [
        SAMPLES / "entretien-metropole-services-numeriques.html",
        SAMPLES / "sobriete-numerique-plan-action.html",
        SAMPLES / "elus-cybersecurite.html",
    ]
    out, _err = run(*map(str, paths))
    assert len(printed_pages(out)) == 3
    assert set(ArticlePage.objects.values_list("title", flat=True)) == {
        "Entretien : une métropole qui mise sur les services numériques",
        "Sobriété numérique : le plan d'action d'une ville moyenne",
        "Les élus face à la cybersécurité",
    }
