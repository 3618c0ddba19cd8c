"""An editor writes an interview (questions and answers) in the Wagtail admin and
publishes it."""

import pytest
from django.utils.html import strip_tags
from playwright.sync_api import expect

from knowledge.models import InterviewPage
from tests.browser.accounts import log_in
from tests.browser.content import build_content, editor, section
from tests.browser.ui import MODES, Ui, open_for_mode

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "« Former les élus, c'est protéger la commune »"
QUESTIONS = [
    ("Par où commencer ?", "Par un exercice de crise avec toute l'équipe."),
    ("Combien cela coûte-t-il ?", "Moins qu'une journée de services à l'arrêt."),
]


def add_question(ui: Ui, question: str, answer: str):
    """Append a "Question / réponse" block to the body and fill it in."""
    page = ui.page
    body = page.get_by_role("region", name="Contenu", exact=True)
    questions = body.get_by_role("textbox", name="Question")
    answers = body.locator("[contenteditable=true]")
    existing = answers.count()
    ui.activate(
        body.get_by_role("button", name="Insérer un bloc").last, navigates=False
    )
    ui.pick(page.get_by_role("option", name="Question / réponse"))
    # The new block's rich text editor is drawn after its question field: wait
    # for it, or the answer is typed into the previous block's editor.
    expect(questions).to_have_count(existing + 1)
    expect(answers).to_have_count(existing + 1)
    ui.fill(questions.nth(existing), question)
    ui.write(answers.nth(existing), answer)


@pytest.fixture(autouse=True)
def _no_autosave(settings):
    """Wagtail's editor saves drafts every half second as you type. Under load,
    two autosaves of a page being created can race and the second answers 500
    (slug already used): the journey drives explicit saves only."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0


@pytest.mark.parametrize("mode", MODES)
def test_an_editor_writes_and_publishes_an_interview(new_page, mode):
    build_content()
    author = editor()
    page = open_for_mode(new_page, mode)
    ui = Ui(page, mode, "entretien-redige")
    main = page.locator("main")

    log_in(ui, author, next_url=f"/admin/pages/{section('ressources').pk}/")
    ui.activate(main.get_by_role("link", name="Ajouter une sous-page"))
    ui.activate(main.get_by_role("link", name="Entretien", exact=True))
    ui.fill(page.get_by_role("textbox", name="Titre*"), TITLE)
    ui.fill(
        page.get_by_role("textbox", name="Chapô*"),
        "La maire de Bellerive raconte la formation de son conseil municipal.",
    )
    ui.fill(page.get_by_role("textbox", name="Nom*"), "Hélène Carré")
    ui.fill(page.get_by_role("textbox", name="Fonction*"), "maire")
    ui.step("entretien-en-tete")
    for question, answer in QUESTIONS:
        add_question(ui, question, answer)
    ui.tick(page.get_by_role("checkbox", name="Cybersécurité"))
    ui.step("questions-reponses")

    footer = page.get_by_role("navigation", name="Actions (pied de page)")
    ui.activate(footer.get_by_role("button", name="Plus d'actions"), navigates=False)
    ui.activate(footer.get_by_role("button", name="Publier"))
    ui.step("publie")
    interview = InterviewPage.objects.get(title=TITLE)
    assert interview.live
    assert [
        (block.value["question"], strip_tags(block.value["answer"].source))
        for block in interview.body
    ] == QUESTIONS

    # The public page shows each question as a heading and its answer.
    reader = ui.with_page(open_for_mode(new_page, mode))
    reader.go(interview.url)
    expect(reader.page.get_by_role("heading", level=1)).to_have_text(TITLE)
    for question, answer in QUESTIONS:
        expect(reader.page.get_by_role("heading", name=question)).to_be_visible()
        expect(reader.page.locator("main")).to_contain_text(answer)
    expect(reader.page.locator("main")).to_contain_text("Hélène Carré, maire")
    reader.step("entretien-public")
