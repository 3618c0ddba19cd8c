"""Browser journey of issue 18: a member (not a representative) proposes a
practice from Mon espace, follows its review, answers the editors' request and
sees it published. By mouse, keyboard only, at 360 px and without JavaScript;
axe-clean pages."""

import pytest
from playwright.sync_api import expect

from knowledge.models import PracticePage, PracticeProposal
from members.models import Affiliation, AffiliationRole
from tests.browser.accounts import log_in
from tests.browser.content import build_content, member_of
from tests.browser.test_axe import axe_violations
from tests.browser.ui import PUBLIC_MODES, Ui, open_for_mode
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Des ateliers numériques dans les mairies annexes"


def assert_axe_clean(ui, axe_source):
    if ui.mode != "sans-javascript":
        violations = axe_violations(ui.page, axe_source)
        assert not violations, [v["id"] for v in violations]


@pytest.mark.parametrize("mode", PUBLIC_MODES)
def test_a_member_proposes_a_practice_reviewed_then_published(
    new_page, mode, axe_source
):
    content = build_content()
    author = member_of(
        content.bellerive,
        "karim.haddad@bellerive.fr",
        first_name="Karim",
        last_name="Haddad",
    )
    assert Affiliation.objects.get(user=author.user).role == AffiliationRole.MEMBER
    page = open_for_mode(new_page, mode)
    ui = Ui(page, mode, "proposition-pratique")
    main = page.locator("main")

    log_in(ui, author)
    ui.go("/mon-espace/")
    expect(main.get_by_role("heading", name="Mes propositions")).to_be_visible()
    ui.activate(main.get_by_role("link", name="Proposer un retour d'expérience"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Proposer un retour d'expérience"
    )
    ui.fill(page.get_by_label("Titre :", exact=True), TITLE)
    ui.fill(
        page.get_by_label("Résumé"),
        "Bellerive forme ses habitants là où ils vont déjà.",
    )
    ui.choose(page.get_by_label("État d'avancement"), "En cours")
    ui.fill(
        page.get_by_label("Actions"),
        "Des ateliers chaque semaine.\n\n- tablettes\n- démarches en ligne",
    )
    expect(page.get_by_label("Nom du contact")).to_have_value("Karim Haddad")
    assert_axe_clean(ui, axe_source)
    ui.step("formulaire")
    ui.activate(main.get_by_role("button", name="Envoyer en relecture"))
    expect(main.get_by_role("status")).to_contain_text("envoyé en relecture")
    proposals = main.locator("#mes-propositions")
    expect(proposals).to_contain_text(TITLE)
    expect(proposals).to_contain_text("En relecture")
    assert_axe_clean(ui, axe_source)
    ui.step("en-relecture")

    practice = PracticeProposal.objects.get(author=author.user).page
    assert not practice.live
    # An editor asks for a change.
    editor = UserFactory(is_staff=True, is_superuser=True)
    practice.current_workflow_state.current_task_state.reject(
        user=editor, comment="Indiquez le nombre d'habitants accompagnés."
    )
    ui.go("/mon-espace/")
    expect(proposals).to_contain_text("À modifier")
    expect(proposals).to_contain_text("Indiquez le nombre d'habitants accompagnés.")
    ui.activate(proposals.get_by_role("link", name=f"Modifier : {TITLE}"))
    ui.fill(page.get_by_label("Résultats"), "240 habitants accompagnés en un an.")
    assert_axe_clean(ui, axe_source)
    ui.step("modification")
    ui.activate(main.get_by_role("button", name="Envoyer en relecture"))
    expect(proposals).to_contain_text("En relecture")

    # The editor approves: published, with its link.
    practice = PracticePage.objects.get(pk=practice.pk)
    practice.current_workflow_state.current_task_state.approve(user=editor)
    ui.go("/mon-espace/")
    expect(proposals).to_contain_text("Publiée")
    ui.step("publiee")
    ui.activate(proposals.get_by_role("link", name=TITLE))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(main).to_contain_text("240 habitants accompagnés en un an.")
    expect(main.get_by_role("listitem").filter(has_text="tablettes")).to_be_visible()
