"""Events that behave like events (issue 18), in a browser: a past round table
and its synthesis, an audience rule explained before registering, cancelling
confirmed on a page of its own. Mouse, keyboard only, 360 px and (these are core
journeys) without JavaScript; axe-core on each page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Audience, EventKind, Registration, RegistrationStatus
from events.registration import registration_create
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.content import person, publish, section
from tests.browser.page_types import logged_in
from tests.browser.test_axe import axe_violations, report
from tests.browser.ui import PUBLIC_MODES, Ui, open_for_mode
from tests.factories import ArticlePageFactory, EventPageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def past_round_table():
    """A round table held last week, its synthesis published."""
    start = timezone.localtime().replace(
        hour=14, minute=0, second=0, microsecond=0
    ) - datetime.timedelta(days=7)
    synthesis = publish(
        ArticlePageFactory(
            parent=section("ressources"),
            title="Sobriété numérique : ce que les élus ont retenu",
        )
    )
    event = EventPageFactory(
        parent=section("evenements"),
        title="Table ronde : la sobriété numérique des collectivités",
        kind=EventKind.ROUND_TABLE,
        start=start,
        end=start + datetime.timedelta(hours=2),
        capacity=40,
    )
    event.synthesis = synthesis
    event.materials = [
        (
            "link",
            {
                "label": "Diaporama de la table ronde",
                "url": "https://example.org/diaporama.pdf",
                "page": None,
            },
        )
    ]
    return publish(event), synthesis


def round_table_for_elected():
    start = timezone.localtime().replace(
        hour=9, minute=30, second=0, microsecond=0
    ) + datetime.timedelta(days=20)
    return publish(
        EventPageFactory(
            parent=section("evenements"),
            title="Table ronde des élus au numérique",
            kind=EventKind.ROUND_TABLE,
            audience=Audience.ELECTED,
            start=start,
            end=start + datetime.timedelta(hours=2),
            capacity=30,
        )
    )


def full_training():
    """A training whose only seat is taken by `me`, with someone waiting."""
    start = timezone.localtime().replace(
        hour=9, minute=30, second=0, microsecond=0
    ) + datetime.timedelta(days=15)
    training = publish(
        EventPageFactory(
            parent=section("evenements"),
            title="Formation données ouvertes",
            kind=EventKind.TRAINING,
            start=start,
            end=start + datetime.timedelta(hours=3),
            capacity=1,
        )
    )
    me = person("lea.martin@ville-exemple.fr", first_name="Léa", last_name="Martin")
    waiting = person("hugo.bernard@ville-exemple.fr", first_name="Hugo")
    registration_create(event_id=training.pk, user=me.user)
    registration_create(event_id=training.pk, user=waiting.user)
    return training, me, waiting


@pytest.mark.parametrize("mode", PUBLIC_MODES)
def test_a_visitor_reads_a_past_round_table_and_its_synthesis(new_page, mode):
    event, synthesis = past_round_table()
    page = open_for_mode(new_page, mode)
    ui = Ui(page, mode, "evenement-passe")
    main = page.locator("main")

    ui.go(event.url)
    expect(main).to_contain_text("Événement passé")
    registration = main.locator(".registration")
    expect(registration).not_to_contain_text("place")
    expect(main.get_by_role("button")).to_have_count(0)
    expect(main.get_by_role("link", name="Diaporama de la table ronde")).to_be_visible()
    ui.step("table-ronde-passee")

    ui.activate(main.get_by_role("link", name=synthesis.title))
    expect(page.get_by_role("heading", level=1)).to_have_text(synthesis.title)
    ui.step("synthese")

    ui.activate(main.get_by_role("link", name=event.title))
    expect(page.get_by_role("heading", level=1)).to_have_text(event.title)


@pytest.mark.parametrize("mode", PUBLIC_MODES)
def test_an_agent_is_told_why_before_registering_to_a_round_table_for_elus(
    new_page, live_server, mode
):
    event = round_table_for_elected()
    agent = person("paul.roux@ville-exemple.fr", status="agent", function_title="DSI")
    page = logged_in(open_for_mode(new_page, mode), agent.user, live_server.url)
    ui = Ui(page, mode, "public-reserve")
    main = page.locator("main")

    ui.go(event.url)
    panel = main.locator(".registration")
    expect(panel).to_contain_text("Réservé aux élus et élues des collectivités")
    expect(panel).to_contain_text("votre profil indique que vous êtes agent")
    expect(panel.get_by_role("button", name="M'inscrire")).to_have_count(0)
    ui.step("explication-avant-inscription")
    assert not Registration.objects.filter(event=event).exists()


@pytest.mark.parametrize("mode", PUBLIC_MODES)
def test_cancelling_asks_first_on_a_page_of_its_own(new_page, live_server, mode):
    training, me, waiting = full_training()
    page = logged_in(open_for_mode(new_page, mode), me.user, live_server.url)
    ui = Ui(page, mode, "desinscription")
    main = page.locator("main")

    ui.go(training.url)
    ui.activate(main.get_by_role("link", name="Me désinscrire"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Annuler mon inscription ?"
    )
    expect(main).to_contain_text(
        "Votre place ira aussitôt à la première personne de la liste d'attente"
    )
    ui.step("ce-qui-va-se-passer")
    assert Registration.objects.get(user=me.user).status == "confirmee"

    ui.activate(main.get_by_role("button", name="Oui, annuler mon inscription"))
    expect(main.get_by_role("status")).to_contain_text("Votre inscription est annulée")
    ui.step("desinscrit")
    assert Registration.objects.get(user=me.user).status == (
        RegistrationStatus.CANCELLED
    )
    assert Registration.objects.get(user=waiting.user).status == (
        RegistrationStatus.CONFIRMED
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["ecran", "360px"])
def test_the_new_event_pages_have_no_serious_axe_violation(
    new_page, live_server, axe_source, viewport
):
    past, synthesis = past_round_table()
    for_elected = round_table_for_elected()
    training, me, _waiting = full_training()
    agent = person("paul.roux@ville-exemple.fr", status="agent")
    visitor = new_page(viewport=viewport)
    as_agent = logged_in(new_page(viewport=viewport), agent.user, live_server.url)
    as_me = logged_in(new_page(viewport=viewport), me.user, live_server.url)
    failures = {}
    for name, page, path in [
        ("evenement-passe", visitor, past.url),
        ("synthese", visitor, synthesis.url),
        ("public-reserve", as_agent, for_elected.url),
        ("evenement-inscrit", as_me, training.url),
        ("confirmer-desinscription", as_me, training.url + "desinscription/"),
    ]:
        page.goto(path)
        violations = axe_violations(page, axe_source)
        if violations:
            failures[f"{name} ({path})"] = violations
    assert not failures, "axe-core found blocking violations:\n" + report(failures)
