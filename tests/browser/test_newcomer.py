"""A newcomer signs up, joins a collectivity, registers for a training, cancels,
and the colleague who was waiting gets the seat."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from events.models import Registration, RegistrationStatus
from events.registration import registration_create
from members.models import Affiliation, AffiliationStatus
from tests.browser.accounts import log_in
from tests.browser.content import (
    PASSWORD,
    Person,
    build_content,
    member_of,
    representative_of,
)
from tests.browser.ui import PUBLIC_MODES, Ui, open_for_mode

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEWCOMER = "alex.morel@courriel-perso.fr"


def emails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


@pytest.mark.parametrize("mode", PUBLIC_MODES)
def test_a_newcomer_signs_up_joins_registers_and_cancels_for_a_waiting_colleague(
    new_page, mode
):
    content = build_content()
    training = content.training
    representative = representative_of(
        content.bellerive,
        "sophie.leroy@bellerive.fr",
        by=content.staff,
        first_name="Sophie",
        last_name="Leroy",
    )
    colleague = member_of(
        content.bellerive,
        "marc.petit@bellerive.fr",
        first_name="Marc",
        last_name="Petit",
        status="elu",  # The training is for élus.
    )
    page = open_for_mode(new_page, mode)
    ui = Ui(page, mode, "nouveau-membre")
    main = page.locator("main")

    # The training is for members: the newcomer creates an account from its page.
    ui.go(training.url)
    ui.step("formation-anonyme")
    ui.activate(main.get_by_role("link", name="Créer un compte"))
    ui.fill(page.get_by_label("Prénom"), "Alex")
    ui.fill(page.get_by_label("Nom :", exact=True), "Morel")
    # An élu: the training is for élus. A radio group: the keyboard reaches
    # its first choice and Space checks it.
    if ui.keyboard_only:
        ui.tab_to(page.get_by_label("Élu ou élue"))
        page.keyboard.press("Space")
    else:
        ui.tick(page.get_by_label("Élu ou élue"))
    expect(page.get_by_label("Élu ou élue")).to_be_checked()
    ui.fill(page.get_by_label("Mandat ou fonction"), "Adjoint au numérique")
    ui.fill(page.get_by_label("E-mail"), NEWCOMER)
    ui.fill(page.get_by_label("Mot de passe :", exact=True), PASSWORD)
    ui.fill(page.get_by_label("Mot de passe (confirmation)"), PASSWORD)
    ui.step("inscription-au-site")
    ui.activate(main.get_by_role("button", name="Création de compte"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vérifiez votre adresse e-mail"
    )
    ui.step("courriel-envoye")

    # Verifies the address with the link of the email.
    (message,) = emails_to(NEWCOMER)
    (link,) = re.findall(r"https?://\S+", message.body)
    ui.go(urlsplit(link).path)
    ui.activate(main.get_by_role("button", name="Confirmer"))
    log_in(ui, Person(user=None, email=NEWCOMER))
    expect(page).to_have_url("/mon-espace/")
    ui.step("mon-espace")

    # Asks to join Bellerive; the address is not the town's, so it waits.
    # Finds it by typing its name (a search field and a list of results).
    ui.activate(main.get_by_role("link", name="Trouver ma collectivité"))
    ui.fill(page.get_by_label("Nom, code INSEE ou code postal"), "bellerive")
    ui.activate(main.get_by_role("button", name="Rechercher"))
    ui.activate(main.get_by_role("link", name="Ville de Bellerive"))
    ui.fill(
        page.get_by_label("Message aux représentants"), "Chargé de mission numérique."
    )
    ui.step("demande-de-rattachement")
    ui.activate(
        main.get_by_role(
            "button", name="Demander mon rattachement à la Ville de Bellerive"
        )
    )
    expect(main.get_by_role("status")).to_contain_text(
        "Votre demande est envoyée aux représentants de la Ville de Bellerive"
    )
    ui.step("demande-envoyee")

    # The town's representative approves the request from their own space.
    assert emails_to(representative.email)
    other = ui.with_page(open_for_mode(new_page, mode))
    log_in(other, representative)
    ui_main = other.page.locator("main")
    other.activate(
        ui_main.get_by_role(
            "link", name="1 demande de rattachement attend votre décision"
        )
    )
    other.step("representante-demandes")
    other.activate(ui_main.get_by_role("button", name="Accepter Alex Morel"))
    expect(ui_main.get_by_role("status")).to_contain_text(
        "est rattaché·e à la Ville de Bellerive"
    )
    other.step("representante-accepte")
    affiliation = Affiliation.objects.get(user__email=NEWCOMER)
    assert affiliation.status == AffiliationStatus.APPROVED
    assert any("accepté" in m.subject for m in emails_to(NEWCOMER))

    # Now a member, the newcomer registers for the training: the last seat.
    page.reload()
    expect(main).to_contain_text("Vous êtes membre du réseau")
    menu = page.get_by_role("navigation", name="Menu principal")
    ui.activate(menu.get_by_role("link", name="Agenda"))
    ui.activate(main.get_by_role("link", name=training.title))
    ui.activate(main.get_by_role("button", name="M'inscrire"))
    expect(main.get_by_role("status")).to_contain_text(
        "Votre inscription est confirmée"
    )
    ui.step("inscrit")
    confirmation = emails_to(NEWCOMER)[-1]
    assert confirmation.subject == f"[Retex] Inscription confirmée : {training.title}"
    assert any(name.endswith(".ics") for name, *_ in confirmation.attachments)

    # The colleague comes too late: the waitlist.
    waiting, _created = registration_create(event_id=training.pk, user=colleague.user)
    assert waiting.status == RegistrationStatus.WAITLISTED

    # The newcomer cancels from "Mon espace"; the colleague gets the seat.
    ui.activate(menu.get_by_role("link", name="Mon espace"))
    ui.step("mes-inscriptions")
    ui.activate(main.get_by_role("link", name=f"Me désinscrire : {training.title}"))
    # Asked first, on a page of its own that says what will happen.
    expect(main).to_contain_text("Votre place ira aussitôt à la première personne")
    ui.step("confirmer-la-desinscription")
    ui.activate(main.get_by_role("button", name="Oui, annuler mon inscription"))
    expect(main.get_by_role("status")).to_contain_text("Votre inscription est annulée")
    ui.step("desinscrit")
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert emails_to(colleague.email)[-1].subject == (
        f"[Retex] Une place s'est libérée : {training.title}"
    )
    assert not Registration.objects.filter(
        event=training, user__email=NEWCOMER, status=RegistrationStatus.CONFIRMED
    ).exists()
