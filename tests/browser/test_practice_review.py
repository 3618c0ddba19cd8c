"""A representative updates the collectivity's profile and proposes a practice; an
editor approves it in the Wagtail admin ("Relecture") and it can be found."""

import pytest
from playwright.sync_api import expect
from wagtail.models import WorkflowState

from knowledge.models import PracticePage
from tests.browser.accounts import log_in
from tests.browser.content import (
    build_content,
    editor,
    representative_of,
    section,
    with_authenticator,
)
from tests.browser.ui import MODES, Ui, open_for_mode

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Des conseillers numériques dans les mairies"


def submit_for_review(ui: Ui):
    footer = ui.page.get_by_role("navigation", name="Actions (pied de page)")
    ui.activate(footer.get_by_role("button", name="Plus d'actions"), navigates=False)
    ui.activate(footer.get_by_role("button", name="Soumettre à Relecture"))


@pytest.fixture(autouse=True)
def _no_autosave(settings):
    """Wagtail's editor saves drafts every half second as you type. Under load,
    two autosaves of a page being created can race and the second answers 500
    (slug already used): the journey drives explicit saves only."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0


@pytest.mark.parametrize("mode", MODES)
def test_a_practice_proposed_by_a_representative_is_approved_then_found(new_page, mode):
    content = build_content()
    representative = with_authenticator(
        representative_of(
            content.bellerive,
            "sophie.leroy@bellerive.fr",
            by=content.staff,
            first_name="Sophie",
            last_name="Leroy",
        )
    )
    moderator = editor()
    page = open_for_mode(new_page, mode)
    ui = Ui(page, mode, "retour-d-experience")
    main = page.locator("main")

    # The representative logs in with the authenticator app, edits the profile.
    log_in(ui, representative, next_url=f"/admin/pages/{content.bellerive.pk}/edit/")
    ui.fill(page.get_by_label("Population"), "48350")
    ui.write(
        page.get_by_role("region", name="Présentation").get_by_role("textbox"),
        " Un espace numérique ouvre dans chaque quartier.",
    )
    ui.step("profil-modifie")
    submit_for_review(ui)
    expect(main.get_by_role("status")).to_contain_text("Ville de Bellerive")
    ui.step("profil-soumis")

    # Proposes a practice under "Ressources".
    ui.go(f"/admin/pages/{section('ressources').pk}/")
    ui.activate(main.get_by_role("link", name="Ajouter une sous-page"))
    ui.activate(main.get_by_role("link", name="Retour d'expérience", exact=True))
    ui.fill(page.get_by_role("textbox", name="Titre*"), TITLE)
    ui.fill(
        page.get_by_role("textbox", name="Chapô*"),
        "Six conseillers accompagnent les habitants.",
    )
    ui.activate(
        main.get_by_role("button", name="Choisissez une page (Collectivité)"),
        navigates=False,
    )
    dialog = page.get_by_role("dialog")
    ui.activate(dialog.get_by_role("link", name="Ville de Bellerive"), navigates=False)
    expect(dialog).to_be_hidden()
    ui.write(
        page.get_by_role("region", name="Objectifs").get_by_role("textbox"),
        "Aider chaque habitant dans ses démarches en ligne.",
    )
    ui.tick(page.get_by_role("checkbox", name="Inclusion numérique"))
    ui.step("pratique-redigee")
    submit_for_review(ui)
    ui.step("pratique-soumise")
    practice = PracticePage.objects.get(title=TITLE)
    assert not practice.live
    assert practice.collectivity_id == content.bellerive.pk
    assert WorkflowState.objects.filter(
        object_id=str(practice.pk), status=WorkflowState.STATUS_IN_PROGRESS
    ).exists()

    # An editor of the association reviews it from the dashboard and approves it.
    other = ui.with_page(open_for_mode(new_page, mode))
    log_in(other, moderator, next_url="/admin/")
    review = other.page.get_by_role("region", name="En attente de votre vérification")
    other.step("editrice-tableau-de-bord")
    other.activate(review.get_by_role("link", name=TITLE))
    footer = other.page.get_by_role("navigation", name="Actions (pied de page)")
    other.activate(footer.get_by_role("button", name="Plus d'actions"), navigates=False)
    other.activate(footer.get_by_role("button", name="Approuver et Publier"))
    other.step("pratique-approuvee")
    practice.refresh_from_db()
    assert practice.live

    # Anybody now finds it.
    visitor = ui.with_page(open_for_mode(new_page, mode))
    visitor.go("/recherche/?q=conseillers+numériques")
    results = visitor.page.locator(".search-results")
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    visitor.step("pratique-trouvee")
