"""Entraide in a browser (issue 16), the editors' side: a member reports an
answer and a question, an editor sees the reports on the admin's dashboard,
hides what was reported (the authors are told by email) and restores it; an
editor turns a resolved question into a draft practice, which goes through the
review workflow and is then linked from the thread.

Members use the site by mouse, keyboard only, at 360 px and without
JavaScript; the editor works in the admin, which needs JavaScript: in the
journey without it, the editor's own browser has it.
"""

import re
import uuid

import pytest
from playwright.sync_api import expect

from aid.answers import answer_create, answer_mark_solution, answer_mark_useful
from aid.models import Answer, Question, Report
from aid.questions import question_create
from knowledge.models import PracticePage
from tests.browser.accounts import log_in
from tests.browser.content import editor, member_of, publish, section
from tests.browser.page_types import logged_in
from tests.browser.test_practice_review import submit_for_review
from tests.browser.ui import PUBLIC_MODES, Ui, open_for_mode
from tests.factories import CollectivityPageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Comment ouvrir un tiers-lieu numérique en zone rurale ?"
DETAILS = "Nous avons un local en mairie et un conseiller numérique."
SOLUTION = (
    "Nous avons ouvert trois tiers-lieux avec la région : un animateur partagé "
    "et des horaires décalés."
)
PRIVATE = "Appelez-moi sur mon portable personnel, 06 12 34 56 78."
ANSWER_REASON = "Un numéro de téléphone personnel"
QUESTION_REASON = "La question cite un agent par son nom"


@pytest.fixture(autouse=True)
def _no_autosave(settings):
    """Explicit saves only in the page editor (see test_practice_review)."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0


def network():
    """Two member collectivities: the asker and a colleague in the first, a
    member of the second who answers; an editor of the association."""
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
    return {
        "asker": member_of(
            lannion, "a.le-goff@lannion.fr", first_name="Annaïg", last_name="Le Goff"
        ),
        "colleague": member_of(
            lannion, "j.martin@lannion.fr", first_name="Jeanne", last_name="Martin"
        ),
        "helper": member_of(
            lyon, "p.bernard@grandlyon.com", first_name="Paul", last_name="Bernard"
        ),
        "editor": editor(),
    }


def staff_ui(ui: Ui, new_page, mode: str, journey: str) -> Ui:
    """The editor's own browser: the admin needs JavaScript."""
    if mode == "sans-javascript":
        return Ui(open_for_mode(new_page, "souris"), "souris", f"{journey}-equipe")
    return ui.with_page(open_for_mode(new_page, mode))


def mail_to(mailoutbox, person, subject_part: str):
    found = [
        message
        for message in mailoutbox
        if person.email in message.to and subject_part in message.subject
    ]
    assert len(found) == 1, [(m.to, m.subject) for m in mailoutbox]
    return found[0]


def link_in(message) -> str:
    """The thread's address in an email, as the person would open it."""
    [url] = set(re.findall(r"https?://\S+/entraide/\d+-[\w-]+/", message.body))
    return url


def open_report(staff: Ui, label: re.Pattern, reason: str):
    """From the dashboard's panel of waiting reports, or from the list of all
    reports (handled ones too: the row with its reason), to the report's page."""
    staff.go("/admin/")
    panel = staff.page.get_by_role("region", name=re.compile("Signalements à traiter"))
    links = panel.get_by_role("link", name=label)
    if links.count():
        staff.activate(links.first)
        return
    staff.activate(panel.get_by_role("link", name="Voir tous les signalements"))
    row = staff.page.locator("main tr", has_text=reason)
    staff.activate(row.get_by_role("link").first)


def moderate(staff: Ui, *, report: re.Pattern, reason: str, action: str, hide: bool):
    """On a report's page, follow « Masquer … » or « Rétablir … » and save."""
    open_report(staff, report, reason)
    main = staff.page.locator("main")
    expect(main).to_contain_text(reason)
    staff.activate(main.get_by_role("link", name=action))
    hidden = main.get_by_role("checkbox", name="Masquée")
    if hide:
        staff.tick(hidden)
        staff.fill(main.get_by_label("Motif (envoyé à l'auteur)"), reason)
    else:
        if staff.keyboard_only:
            staff.tab_to(hidden)
            staff.page.keyboard.press("Space")
        else:
            hidden.uncheck()
        expect(hidden).not_to_be_checked()
    what = "reponse" if "réponse" in action else "question"
    staff.step(f"{'masquer' if hide else 'retablir'}-{what}")
    staff.activate(main.get_by_role("button", name="Enregistrer"))


@pytest.mark.parametrize("mode", PUBLIC_MODES)
def test_reported_answer_and_question_are_hidden_then_restored(
    new_page, live_server, mailoutbox, mode
):
    people = network()
    question, _ = question_create(
        author=people["asker"].user, title=TITLE, details=DETAILS, token=uuid.uuid4()
    )
    reply, _ = answer_create(
        question_id=question.pk,
        author=people["helper"].user,
        body=PRIVATE,
        token=uuid.uuid4(),
    )

    # A colleague reports the answer, then the question, with a reason.
    page = logged_in(
        open_for_mode(new_page, mode), people["colleague"].user, live_server.url
    )
    ui = Ui(page, mode, "entraide-moderation")
    main = page.locator("main")
    ui.go(question.get_absolute_url())
    reported = main.locator(f"#reponse-{reply.pk}")
    ui.activate(reported.get_by_text("Signaler cette réponse"), navigates=False)
    ui.fill(reported.get_by_label("Motif du signalement"), ANSWER_REASON)
    ui.step("signalement-reponse")
    ui.activate(reported.get_by_role("button", name="Envoyer le signalement"))
    expect(main).to_contain_text("va examiner votre signalement")
    asked = main.locator("article.aid-question")
    ui.activate(asked.get_by_text("Signaler cette question"), navigates=False)
    ui.activate(asked.get_by_role("button", name="Envoyer le signalement"))
    # No reason: a French error, nothing reported.
    expect(asked.get_by_text("Dites ce qui pose problème.")).to_be_visible()
    assert Report.objects.count() == 1
    ui.fill(asked.get_by_label("Motif du signalement"), QUESTION_REASON)
    ui.activate(asked.get_by_role("button", name="Envoyer le signalement"))
    expect(main).to_contain_text("va examiner votre signalement")
    ui.step("signalements-envoyes")
    assert Report.objects.filter(handled=False).count() == 2

    # The editor finds both on the dashboard and hides the answer.
    staff = staff_ui(ui, new_page, mode, "entraide-moderation-sans-javascript")
    log_in(staff, people["editor"], next_url="/admin/")
    panel = staff.page.get_by_role("region", name=re.compile("Signalements à traiter"))
    expect(panel).to_contain_text("(2)")
    expect(panel).to_contain_text(ANSWER_REASON)
    expect(panel).to_contain_text(QUESTION_REASON)
    staff.step("tableau-de-bord")
    answer_report = re.compile("^Réponse à")
    open_report(staff, answer_report, ANSWER_REASON)
    expect(staff.page.locator("main")).to_contain_text("06 12 34 56 78")
    staff.step("signalement")
    moderate(
        staff,
        report=answer_report,
        reason=ANSWER_REASON,
        action="Masquer la réponse",
        hide=True,
    )
    expect(staff.page.locator("main")).not_to_contain_text("Motif (envoyé")
    reply.refresh_from_db()
    assert reply.hidden
    assert Report.objects.get(answer=reply).handled

    # Gone for members; its author is told why, and how to contest.
    ui.go(question.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(main).not_to_contain_text("06 12 34 56 78")
    expect(main).to_contain_text("Pas encore de réponse")
    ui.step("reponse-masquee")
    told = mail_to(mailoutbox, people["helper"], "est masquée")
    assert ANSWER_REASON in told.body
    assert "Pour contester cette décision" in told.body
    assert "06 12 34 56 78" not in told.body

    # The editor restores it: the author is told, opens the link, reads it.
    moderate(
        staff,
        report=answer_report,
        reason=ANSWER_REASON,
        action="Rétablir la réponse",
        hide=False,
    )
    reply.refresh_from_db()
    assert not reply.hidden
    told = mail_to(mailoutbox, people["helper"], "de nouveau visible")
    author = ui.with_page(
        logged_in(open_for_mode(new_page, mode), people["helper"].user, live_server.url)
    )
    author.go(link_in(told))
    expect(author.page.locator(f"#reponse-{reply.pk}")).to_contain_text(
        "06 12 34 56 78"
    )
    author.step("reponse-retablie")

    # The question: hidden (gone from the list, its address answers 404)…
    question_report = re.compile("^« ")
    moderate(
        staff,
        report=question_report,
        reason=QUESTION_REASON,
        action="Masquer la question",
        hide=True,
    )
    question.refresh_from_db()
    assert question.hidden
    ui.go("/entraide/")
    expect(main).not_to_contain_text(TITLE)
    response = page.goto(question.get_absolute_url())
    assert response.status == 404
    ui.step("question-masquee")
    told = mail_to(mailoutbox, people["asker"], "est masquée")
    assert QUESTION_REASON in told.body

    # … then restored: its author opens the email's link and finds it again.
    moderate(
        staff,
        report=question_report,
        reason=QUESTION_REASON,
        action="Rétablir la question",
        hide=False,
    )
    told = mail_to(mailoutbox, people["asker"], "de nouveau visible")
    asker = ui.with_page(
        logged_in(open_for_mode(new_page, mode), people["asker"].user, live_server.url)
    )
    asker.go(link_in(told))
    expect(asker.page.get_by_role("heading", level=1)).to_have_text(TITLE)
    asker.step("question-retablie")
    ui.go("/entraide/")
    expect(main.get_by_role("link", name=TITLE)).to_be_visible()
    assert not Report.objects.filter(handled=False).exists()


@pytest.mark.parametrize("mode", PUBLIC_MODES)
def test_a_resolved_question_becomes_a_reviewed_practice_linked_from_the_thread(
    new_page, live_server, mode
):
    people = network()
    question, _ = question_create(
        author=people["asker"].user,
        title=TITLE,
        details=DETAILS,
        token=uuid.uuid4(),
        consent=True,
    )
    solution, _ = answer_create(
        question_id=question.pk,
        author=people["helper"].user,
        body=SOLUTION,
        token=uuid.uuid4(),
        consent=True,
    )
    # Found useful, but its author did not agree to be quoted.
    unquoted, _ = answer_create(
        question_id=question.pk,
        author=people["colleague"].user,
        body=PRIVATE,
        token=uuid.uuid4(),
    )
    answer_mark_useful(answer_id=unquoted.pk, user=people["asker"].user)
    answer_mark_solution(answer_id=solution.pk, user=people["asker"].user)

    # The editor drafts a practice from the thread.
    page = logged_in(
        open_for_mode(new_page, mode), people["asker"].user, live_server.url
    )
    ui = Ui(page, mode, "entraide-ressource")
    main = page.locator("main")
    staff = staff_ui(ui, new_page, mode, "entraide-ressource-sans-javascript")
    log_in(staff, people["editor"], next_url=question.get_absolute_url())
    staff_main = staff.page.locator("main")
    expect(staff_main.get_by_role("radio", name="Retour d'expérience")).to_be_checked()
    staff.step("fil-resolu")
    staff.activate(staff_main.get_by_role("button", name="Créer le brouillon"))

    # Prefilled: the question, the consented solution signed, the collectivity.
    expect(staff.page.get_by_role("textbox", name="Titre*")).to_have_value(TITLE)
    expect(staff_main).to_contain_text("un animateur partagé")
    expect(staff_main).to_contain_text("Paul Bernard")
    expect(staff_main).to_contain_text("Métropole de Lyon")
    expect(staff_main).not_to_contain_text("06 12 34 56 78")
    staff.step("brouillon-prerempli")
    draft = PracticePage.objects.get(title=TITLE)
    assert not draft.live
    assert draft.collectivity.title == "Métropole de Lyon"
    assert Question.objects.get().knowledge_page_id == draft.pk

    # Members see no link to a draft.
    ui.go(question.get_absolute_url())
    expect(main).not_to_contain_text("a nourri une ressource")
    expect(main.get_by_role("link", name=TITLE)).to_have_count(0)

    # Through the review workflow: submitted, approved, published.
    submit_for_review(staff)
    staff.step("brouillon-soumis")
    staff.go("/admin/")
    review = staff.page.get_by_role("region", name="En attente de votre vérification")
    staff.activate(review.get_by_role("link", name=TITLE))
    footer = staff.page.get_by_role("navigation", name="Actions (pied de page)")
    staff.activate(footer.get_by_role("button", name="Plus d'actions"), navigates=False)
    staff.activate(footer.get_by_role("button", name="Approuver et Publier"))
    staff.step("pratique-publiee")
    draft.refresh_from_db()
    assert draft.live

    # The thread now links to it, and the link works for members.
    ui.go(question.get_absolute_url())
    expect(main).to_contain_text("Cette question a nourri une ressource")
    ui.step("fil-avec-ressource")
    ui.activate(main.locator("p.message").get_by_role("link", name=TITLE))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(main).to_contain_text("un animateur partagé")
    expect(main).to_contain_text("Paul Bernard")
    expect(main).not_to_contain_text("06 12 34 56 78")
    ui.step("pratique")
    assert Answer.objects.filter(is_solution=True).count() == 1
