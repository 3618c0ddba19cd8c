"""An anonymous visitor reads, filters, searches, meets a member, subscribes."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.content import build_content
from tests.browser.ui import PUBLIC_MODES, Ui, open_for_mode

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("mode", PUBLIC_MODES)
def test_a_visitor_reads_filters_searches_and_subscribes_to_the_agenda(new_page, mode):
    content = build_content()
    page = open_for_mode(new_page, mode)
    ui = Ui(page, mode, "visiteur")
    main = page.locator("main")
    menu = page.get_by_role("navigation", name="Menu principal")

    ui.go("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    ui.step("accueil")

    # Reads an interview, from the list of resources.
    ui.activate(menu.get_by_role("link", name="Ressources"))
    expect(page).to_have_url("/ressources/")
    ui.step("ressources")
    ui.activate(main.get_by_role("link", name=content.interview.title))
    expect(page.get_by_role("heading", level=1)).to_have_text(content.interview.title)
    expect(
        page.get_by_role("heading", name="Pourquoi un plan d'inclusion numérique ?")
    ).to_be_visible()
    expect(main).to_contain_text("Un habitant sur cinq renonçait")
    ui.step("entretien")

    # Filters the knowledge base: practices about digital inclusion.
    ui.activate(menu.get_by_role("link", name="Ressources"))
    if mode == "mobile":  # on a phone the filters are folded under their summary
        ui.activate(main.get_by_text("Filtrer les résultats"))
    ui.choose(page.get_by_label("Type", exact=True), "Retour d'expérience")
    ui.choose(page.get_by_label("Thème"), "Inclusion numérique")
    ui.activate(page.get_by_role("button", name="Appliquer"))
    results = main.locator(".card-list")
    expect(results.get_by_role("link", name=content.practice.title)).to_be_visible()
    expect(results.get_by_role("link", name=content.interview.title)).to_have_count(0)
    expect(results.get_by_role("link", name=content.article.title)).to_have_count(0)
    expect(page.get_by_role("status")).to_have_text("1 ressource")
    ui.step("ressources-filtrees")

    # Searches, from the search page of the menu.
    ui.activate(menu.get_by_role("link", name="Recherche"))
    ui.fill(main.get_by_label("Rechercher dans"), "médiation numérique")
    ui.activate(main.get_by_role("button", name="Rechercher"))
    expect(
        main.locator(".search-results").get_by_role("link", name=content.article.title)
    ).to_be_visible()
    ui.step("recherche")

    # Opens a member's profile from the directory.
    ui.activate(menu.get_by_role("link", name="Membres"))
    ui.step("annuaire")
    # From the list (the map after it links to the same profile).
    members = main.locator("#members-list")
    ui.activate(members.get_by_role("link", name=content.bellerive.title))
    expect(page.get_by_role("heading", level=1)).to_have_text(content.bellerive.title)
    expect(main).to_contain_text("48 200 habitants")
    ui.step("profil-membre")

    # Subscribes to the agenda: the calendar file lists the coming events.
    ui.activate(menu.get_by_role("link", name="Agenda"))
    expect(main.get_by_role("link", name=content.training.title)).to_be_visible()
    ui.step("agenda")
    subscribe = main.get_by_role("link", name="S'abonner (Outlook")
    expect(subscribe).to_have_attribute(
        "href", re.compile(r"^webcal://[^/]+/evenements/agenda\.ics$")
    )
    with page.expect_download() as download_info:
        ui.activate(main.get_by_role("link", name="Télécharger le fichier .ics"))
    calendar = download_info.value
    assert calendar.suggested_filename == "agenda.ics"
    text = Path(calendar.path()).read_text(encoding="utf-8").replace("\r\n ", "")
    assert text.startswith("BEGIN:VCALENDAR")
    assert content.training.title in text
    assert content.round_table.title in text
