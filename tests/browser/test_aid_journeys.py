"""Entraide in a browser (issue 16): a member asks, sees what already answers
the question, another member answers, the asker marks the solution. Mouse,
keyboard only, 360 px and without JavaScript; axe-core on the pages."""

import uuid

import pytest
from playwright.sync_api import expect

from aid.answers import answer_create
from aid.models import Answer, Question, QuestionStatus
from aid.questions import question_create
from search.indexing import reindex_page
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.content import member_of, publish, section
from tests.browser.page_types import logged_in
from tests.browser.test_axe import axe_violations, report
from tests.browser.ui import PUBLIC_MODES, Ui, open_for_mode
from tests.factories import CollectivityPageFactory, PracticePageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Comment ouvrir un tiers-lieu numérique en zone rurale ?"
PRACTICE = "Un tiers-lieu numérique dans les villages de la métropole"


def network():
    """Two member collectivities, a member of each, and a published practice
    of the second one that already answers the question (indexed)."""
    members = section("membres")
    lannion = publish(
        CollectivityPageFactory(
            parent=members, title="Ville de Lannion", email_domains="lannion.fr"
        )
    )
    lyon = publish(
        CollectivityPageFactory(
            parent=members, title="Métropole de Lyon", email_domains="grandlyon.com"
        )
    )
    practice = publish(
        PracticePageFactory(
            parent=section("ressources"), title=PRACTICE, collectivity=lyon
        )
    )
    reindex_page(practice.pk)
    asker = member_of(
        lannion, "a.le-goff@lannion.fr", first_name="Annaïg", last_name="Le Goff"
    )
    helper = member_of(
        lyon, "p.bernard@grandlyon.com", first_name="Paul", last_name="Bernard"
    )
    return asker, helper


@pytest.mark.parametrize("mode", PUBLIC_MODES)
def test_ask_with_suggestions_answer_and_mark_the_solution(new_page, live_server, mode):
    asker, helper = network()
    page = logged_in(open_for_mode(new_page, mode), asker.user, live_server.url)
    ui = Ui(page, mode, "entraide")
    main = page.locator("main")

    ui.go("/entraide/poser/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Poser une question au réseau"
    )
    ui.fill(main.get_by_role("textbox", name="Votre question"), TITLE)
    suggestions = main.locator("#suggestions")
    if mode != "sans-javascript":
        # While typing: the fragment arrives in the live region, no submit.
        expect(suggestions).to_contain_text(PRACTICE)
        ui.step("suggestions-en-tapant")
    ui.activate(main.get_by_role("button", name="Vérifier les réponses existantes"))
    expect(suggestions).to_contain_text(
        "Ces contenus répondent peut-être déjà à votre question"
    )
    expect(suggestions.get_by_role("link", name=PRACTICE)).to_be_visible()
    expect(main.get_by_role("textbox", name="Votre question")).to_have_value(TITLE)
    assert not Question.objects.exists()
    ui.step("suggestions")

    ui.fill(
        main.get_by_label("Précisions"),
        "Nous avons un local en mairie et un conseiller numérique.",
    )
    ui.tick(main.get_by_label("J'accepte que ma question soit reprise"))
    ui.activate(main.get_by_role("button", name="Poser la question"))
    expect(main).to_contain_text("Votre question est posée au réseau.")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    question = Question.objects.get()
    assert question.consent
    ui.step("question-posee")

    # Another member answers, in their own browser.
    other = ui.with_page(
        logged_in(open_for_mode(new_page, mode), helper.user, live_server.url)
    )
    other_main = other.page.locator("main")
    other.go(question.get_absolute_url())
    other.fill(
        other_main.get_by_label("Votre réponse"),
        "Nous avons ouvert trois tiers-lieux avec la région : voyez notre fiche.",
    )
    other.activate(other_main.get_by_role("button", name="Publier ma réponse"))
    expect(other_main).to_contain_text("Votre réponse est publiée.")
    other.step("reponse-publiee")

    # The asker marks it as the solution.
    ui.go(question.get_absolute_url())
    expect(main).to_contain_text("Nous avons ouvert trois tiers-lieux")
    ui.activate(main.get_by_role("button", name="C'est la solution"))
    expect(main).to_contain_text("Cette réponse est la solution")
    expect(main.locator(".aid-answer--solution")).to_contain_text("Paul Bernard")
    ui.step("solution")
    question.refresh_from_db()
    assert question.status == QuestionStatus.RESOLVED
    assert Answer.objects.get().is_solution


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["ecran", "360px"])
def test_the_mutual_aid_pages_have_no_serious_axe_violation(
    new_page, live_server, axe_source, viewport
):
    asker, helper = network()
    page = logged_in(new_page(viewport=viewport), asker.user, live_server.url)
    question, _ = question_create(
        author=asker.user,
        title=TITLE,
        details="Nous avons un local en mairie.",
        token=uuid.uuid4(),
    )
    answer_create(
        question_id=question.pk,
        author=helper.user,
        body="Voyez notre **fiche**.",
        token=uuid.uuid4(),
    )
    failures = {}
    for name, path in [
        ("liste", "/entraide/"),
        ("poser", "/entraide/poser/?titre=tiers-lieu+num%C3%A9rique"),
        ("question", question.get_absolute_url()),
    ]:
        page.goto(path)
        violations = axe_violations(page, axe_source)
        if violations:
            failures[f"{name} ({path})"] = violations
    assert not failures, "axe-core found blocking violations:\n" + report(failures)
