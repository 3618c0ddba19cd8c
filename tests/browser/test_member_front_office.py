"""Browser journeys of issue 18's members part: signing up with a name and a
function and being attached at once by one's verified address; a representative
editing the collectivity's profile from Mon espace, reviewed in « Relecture ».
By mouse, keyboard only, at 360 px and without JavaScript; axe-clean pages."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect
from wagtail.models import WorkflowState

from members.models import Affiliation, AffiliationStatus, CollectivityPage
from tests.browser.accounts import log_in
from tests.browser.content import Person, build_content, representative_of
from tests.browser.test_axe import axe_violations
from tests.browser.ui import PUBLIC_MODES, Ui, open_for_mode

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEWCOMER = "lea.martin@bellerive.fr"
PASSWORD = "motdepasse-solide-2026"


def assert_axe_clean(ui, axe_source):
    """No serious or critical axe violation (axe runs as a script: not in the
    browser without JavaScript, whose pages are the same HTML)."""
    if ui.mode != "sans-javascript":
        violations = axe_violations(ui.page, axe_source)
        assert not violations, [v["id"] for v in violations]


@pytest.mark.parametrize("mode", PUBLIC_MODES)
def test_sign_up_with_name_and_function_then_attached_by_the_address(
    new_page, mode, axe_source
):
    content = build_content()
    page = open_for_mode(new_page, mode)
    ui = Ui(page, mode, "inscription-rattachement-automatique")
    main = page.locator("main")

    ui.go("/accounts/signup/")
    expect(main).to_contain_text("ouvert aux élus et aux agents des collectivités")
    ui.fill(page.get_by_label("Prénom"), "Léa")
    ui.fill(page.get_by_label("Nom :", exact=True), "Martin")
    if ui.keyboard_only:
        ui.tab_to(page.get_by_label("Élu ou élue"))
        page.keyboard.press("Space")
    else:
        ui.tick(page.get_by_label("Élu ou élue"))
    expect(page.get_by_label("Élu ou élue")).to_be_checked()
    ui.fill(page.get_by_label("Mandat ou fonction"), "Adjointe au numérique")
    ui.fill(page.get_by_label("E-mail"), NEWCOMER)
    ui.fill(page.get_by_label("Mot de passe :", exact=True), PASSWORD)
    ui.fill(page.get_by_label("Mot de passe (confirmation)"), PASSWORD)
    assert_axe_clean(ui, axe_source)
    ui.step("inscription")
    ui.activate(main.get_by_role("button", name="Création de compte"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vérifiez votre adresse e-mail"
    )

    (message,) = [m for m in mail.outbox if NEWCOMER in m.to]
    (link,) = re.findall(r"https?://\S+", message.body)
    ui.go(urlsplit(link).path)
    ui.activate(main.get_by_role("button", name="Confirmer"))
    # Attached as soon as the address is verified: no request to send.
    affiliation = Affiliation.objects.get(user__email=NEWCOMER)
    assert affiliation.collectivity == content.bellerive
    assert affiliation.status == AffiliationStatus.APPROVED

    log_in(ui, Person(user=None, email=NEWCOMER))
    expect(page).to_have_url("/mon-espace/")
    expect(main).to_contain_text("Léa Martin")
    expect(main).to_contain_text("Adjointe au numérique")
    expect(main).to_contain_text("Vous êtes membre du réseau")
    expect(main.get_by_role("link", name="Trouver ma collectivité")).to_have_count(0)
    assert_axe_clean(ui, axe_source)
    ui.step("mon-espace-rattachee")

    # Leaving asks first, on a page of its own, and says what it changes.
    ui.activate(main.get_by_role("link", name="Quitter cette collectivité"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Quitter ma collectivité")
    expect(main).to_contain_text("Vous perdrez aussitôt l'accès")
    assert_axe_clean(ui, axe_source)
    ui.step("quitter-confirmation")
    ui.activate(main.get_by_role("link", name="Revenir à mon espace sans rien changer"))
    affiliation.refresh_from_db()
    assert affiliation.status == AffiliationStatus.APPROVED


@pytest.mark.parametrize("mode", PUBLIC_MODES)
def test_a_representative_edits_the_profile_reviewed_by_editors(
    new_page, mode, axe_source
):
    content = build_content()
    representative = representative_of(
        content.bellerive,
        "sophie.leroy@bellerive.fr",
        by=content.staff,
        first_name="Sophie",
        last_name="Leroy",
    )
    page = open_for_mode(new_page, mode)
    ui = Ui(page, mode, "representante-profil")
    main = page.locator("main")

    log_in(ui, representative)
    ui.go("/mon-espace/")
    ui.activate(
        main.get_by_role("link", name="Modifier le profil de la Ville de Bellerive")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Modifier le profil de la Ville de Bellerive"
    )
    assert page.locator("input[name=siren]").count() == 0
    ui.fill(
        page.get_by_label("Présentation"),
        "Bellerive ouvre trois lieux de médiation numérique.",
    )
    ui.fill(page.get_by_label("Nom").nth(0), "Nadia Benali")
    ui.fill(page.get_by_label("Fonction").nth(0), "Directrice du numérique")
    assert_axe_clean(ui, axe_source)
    ui.step("profil-formulaire")
    ui.activate(main.get_by_role("button", name="Envoyer en relecture"))
    expect(main.get_by_role("status")).to_contain_text("envoyées en relecture")
    expect(main).to_contain_text(
        "Modifier le profil de la Ville de Bellerive — En relecture"
    )
    ui.step("profil-en-relecture")

    bellerive = CollectivityPage.objects.get(pk=content.bellerive.pk)
    state = bellerive.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    draft = bellerive.get_latest_revision_as_object()
    assert "trois lieux de médiation" in draft.presentation
    assert "Nadia Benali" in [c.name for c in draft.contacts.all()]
    # The public profile is unchanged until an editor approves.
    ui.go(bellerive.url)
    expect(main).to_contain_text("accompagne ses habitants")
    expect(main).not_to_contain_text("trois lieux de médiation")
