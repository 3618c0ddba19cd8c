"""Joining (issue 18): who signs up, attachment by a verified address's domain,
finding one's collectivity by typing, leaving on a page of its own, and the
names representatives decide on."""

import csv
import io
import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from members.affiliation import (
    attach_by_email_domain,
    collectivity_for_email,
    collectivity_search,
    is_network_member,
)
from members.models import (
    Affiliation,
    AffiliationRole,
    AffiliationStatus,
    CollectivityKind,
    MembershipStatus,
    User,
)
from members.territories import Region
from tests.factories import CollectivityPageFactory, UserFactory, verified_person
from tests.html import visible_text

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-2026"
PERSON = {
    "first_name": "Camille",
    "last_name": "Durand",
    "status": "elu",
    "function_title": "Adjointe au numérique",
}


@pytest.fixture
def lannion(section):
    return CollectivityPageFactory(
        parent=section("membres"),
        title="Ville de Lannion",
        insee_code="22113",
        department="22",
        email_domains="lannion.fr",
        membership_status=MembershipStatus.ACTIVE,
    )


@pytest.fixture
def tregor(section):
    return CollectivityPageFactory(
        parent=section("membres"),
        title="Lannion-Trégor Communauté",
        kind=CollectivityKind.CA,
        department="22",
        member_communes="Lannion\nPerros-Guirec\nTrébeurden",
        membership_status=MembershipStatus.ACTIVE,
    )


@pytest.fixture
def saint_etienne(section):
    return CollectivityPageFactory(
        parent=section("membres"),
        title="Ville de Saint-Étienne",
        department="42",
        region=Region.AUVERGNE_RHONE_ALPES,
        insee_code="42218",
        membership_status=MembershipStatus.ACTIVE,
    )


def sign_up(client, email, **fields):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/accounts/signup/", {**data, **PERSON, **fields})


def confirm_by_email(client, email):
    [message] = [m for m in mail.outbox if m.to == [email]]
    (link,) = re.findall(r"https?://\S+", message.body)
    return client.post(urlsplit(link).path)


# --- Who signs up -------------------------------------------------------------------


def test_sign_up_stores_the_name_status_and_function(client):
    response = sign_up(client, "camille.durand@exemple-mairie.fr")

    assert response.status_code == 302
    user = User.objects.get(email="camille.durand@exemple-mairie.fr")
    assert (user.first_name, user.last_name) == ("Camille", "Durand")
    assert user.status == "elu"
    assert user.function_title == "Adjointe au numérique"


def test_sign_up_without_name_or_function_says_so_in_french_and_creates_nothing(
    client,
):
    response = sign_up(
        client,
        "camille.durand@exemple-mairie.fr",
        first_name="",
        last_name=" ",
        status="",
        function_title="",
    )

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Indiquez votre prénom et votre nom." in text
    assert "Indiquez si vous êtes élu·e ou agent." in text
    assert "Indiquez votre mandat ou votre fonction." in text
    assert not User.objects.exists()
    assert not mail.outbox


def test_sign_up_form_asks_who_you_are_before_the_address(client):
    html = client.get("/accounts/signup/").content.decode()
    order = [html.index(f'name="{name}"') for name in ("first_name", "status", "email")]
    assert order == sorted(order)
    text = visible_text(html)
    assert "Élu ou élue" in text and "Agent ou agente" in text


def test_profile_keeps_names_required_and_editable(client):
    user = verified_person("camille@exemple-mairie.fr", **PERSON)
    client.force_login(user)

    refused = client.post("/mon-espace/profil/", {**PERSON, "last_name": ""})
    assert "Indiquez votre prénom et votre nom." in visible_text(
        refused.content.decode()
    )
    user.refresh_from_db()
    assert user.last_name == "Durand"

    client.post(
        "/mon-espace/profil/",
        {**PERSON, "status": "agent", "function_title": "DSI, direction du numérique"},
    )
    user.refresh_from_db()
    assert user.status == "agent"
    assert user.function_title == "DSI, direction du numérique"


def test_representatives_decide_on_names_and_functions(client, lannion):
    representative = verified_person("rep@lannion.fr")
    Affiliation.objects.create(
        user=representative,
        collectivity=lannion,
        status=AffiliationStatus.APPROVED,
        role=AffiliationRole.REPRESENTATIVE,
    )
    asking = verified_person("camille@exemple-mairie.fr", **PERSON)
    Affiliation.objects.create(user=asking, collectivity=lannion)
    client.force_login(representative)

    text = visible_text(client.get("/mon-espace/rattachements/").content.decode())

    assert "Camille Durand" in text
    assert "Élu ou élue" in text
    assert "Adjointe au numérique" in text
    assert "Accepter Camille Durand" in text


# --- Attached by a verified address ------------------------------------------------


def test_verifying_an_address_at_a_member_domain_attaches_at_once(client, lannion):
    sign_up(client, "camille.durand@lannion.fr")
    assert not Affiliation.objects.exists()  # Not before the address is verified.

    confirm_by_email(client, "camille.durand@lannion.fr")

    user = User.objects.get(email="camille.durand@lannion.fr")
    affiliation = Affiliation.objects.get(user=user)
    assert affiliation.collectivity == lannion
    assert affiliation.status == AffiliationStatus.APPROVED
    assert is_network_member(user)
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    text = visible_text(client.get("/mon-espace/").content.decode())
    assert "Vous êtes membre du réseau" in text
    assert "Trouver ma collectivité" not in text


def test_an_unverified_address_attaches_nobody(lannion):
    user = UserFactory(email="camille@lannion.fr")
    EmailAddress.objects.create(user=user, email=user.email, verified=False)

    assert attach_by_email_domain(user) is None
    assert not Affiliation.objects.exists()


def test_public_mailboxes_never_attach_even_if_stored_as_a_domain(lannion):
    # The form refuses them; a row written some other way still counts for nothing.
    type(lannion).objects.filter(pk=lannion.pk).update(email_domains="gmail.com")
    user = verified_person("camille@gmail.com")

    assert collectivity_for_email("camille@gmail.com") is None
    assert attach_by_email_domain(user) is None
    assert not Affiliation.objects.exists()


def test_a_domain_of_a_collectivity_not_member_attaches_nobody(lannion):
    type(lannion).objects.filter(pk=lannion.pk).update(
        membership_status=MembershipStatus.LAPSED
    )
    user = verified_person("camille@lannion.fr")

    assert attach_by_email_domain(user) is None


def test_a_domain_declared_later_attaches_on_mon_espace(client, lannion):
    type(lannion).objects.filter(pk=lannion.pk).update(email_domains="")
    user = verified_person("camille@lannion.fr")
    client.force_login(user)
    client.get("/mon-espace/")
    assert not Affiliation.objects.exists()

    type(lannion).objects.filter(pk=lannion.pk).update(email_domains="lannion.fr")
    text = visible_text(client.get("/mon-espace/", follow=True).content.decode())

    assert Affiliation.objects.get(user=user).status == AffiliationStatus.APPROVED
    assert "vous y êtes rattaché·e" in text


def test_an_open_request_elsewhere_is_left_alone(lannion, tregor):
    user = verified_person("camille@lannion.fr")
    Affiliation.objects.create(user=user, collectivity=tregor)

    assert attach_by_email_domain(user) is None
    assert list(Affiliation.objects.values_list("collectivity", flat=True)) == [
        tregor.pk
    ]


# --- Finding one's collectivity -----------------------------------------------------


def test_search_by_name_code_postcode_or_member_commune(lannion, tregor, saint_etienne):
    def titles(query):
        return [page.title for page in collectivity_search(query)]

    assert titles("lannion") == ["Lannion-Trégor Communauté", "Ville de Lannion"]
    assert titles("TREGOR") == ["Lannion-Trégor Communauté"]
    assert titles("st etienne") == ["Ville de Saint-Étienne"]
    assert titles("22113") == ["Ville de Lannion"]
    assert titles("42100") == ["Ville de Saint-Étienne"]  # Postcode: its département.
    assert titles("perros") == ["Lannion-Trégor Communauté"]
    assert titles("") == []
    assert titles("Quimper") == []


def test_search_leaves_out_unpublished_collectivities(lannion):
    lannion.unpublish()
    assert collectivity_search("lannion") == []


def test_rattachement_without_javascript_search_pick_send(
    client, lannion, tregor, django_assert_max_num_queries
):
    user = verified_person("camille@exemple-mairie.fr", **PERSON)
    client.force_login(user)

    page = client.get("/mon-espace/rattachement/", {"q": "Trégor"})
    text = visible_text(page.content.decode())
    assert "1 collectivité trouvée" in text
    assert "Lannion-Trégor Communauté" in text
    assert "Côtes-d'Armor (22)" in text
    assert f'?collectivite={tregor.pk}&amp;q=Tr%C3%A9gor"' in page.content.decode()

    picked = client.get(
        "/mon-espace/rattachement/", {"collectivite": tregor.pk, "q": "Trégor"}
    )
    assert "Demander mon rattachement à Lannion-Trégor Communauté" in visible_text(
        picked.content.decode()
    )
    assert Affiliation.objects.count() == 0  # Picking sends nothing.

    sent = client.post(
        "/mon-espace/rattachement/",
        {"collectivity": tregor.pk, "message": "Service informatique."},
    )
    assert sent.status_code == 302
    affiliation = Affiliation.objects.get(user=user)
    assert affiliation.collectivity == tregor
    assert affiliation.status == AffiliationStatus.PENDING


def test_rattachement_with_a_bad_pick_says_so_and_changes_nothing(client, lannion):
    client.force_login(verified_person("camille@exemple-mairie.fr"))

    for value in ["abc", "999999", str(2**70)]:
        response = client.get("/mon-espace/rattachement/", {"collectivite": value})
        assert response.status_code == 200
        assert "Choisissez une collectivité de la liste." in visible_text(
            response.content.decode()
        )
        posted = client.post("/mon-espace/rattachement/", {"collectivity": value})
        assert posted.status_code == 200
        assert "Choisissez une collectivité de la liste." in visible_text(
            posted.content.decode()
        )
    assert not Affiliation.objects.exists()


def test_search_results_take_a_constant_number_of_queries(
    client, section, django_assert_max_num_queries
):
    client.force_login(verified_person("camille@exemple-mairie.fr"))
    for number in range(12):
        CollectivityPageFactory(
            parent=section("membres"), title=f"Commune test {number}", department="29"
        )
    with django_assert_max_num_queries(20):
        response = client.get("/mon-espace/rattachement/", {"q": "commune test"})
    assert "12 collectivités trouvées" in visible_text(response.content.decode())


# --- Leaving -------------------------------------------------------------------------


def test_leaving_asks_on_a_page_of_its_own_saying_what_happens(client, lannion):
    user = verified_person("camille@lannion.fr")
    affiliation = Affiliation.objects.create(
        user=user,
        collectivity=lannion,
        status=AffiliationStatus.APPROVED,
        role=AffiliationRole.REPRESENTATIVE,
    )
    client.force_login(user)

    page = client.get("/mon-espace/rattachement/quitter/")
    text = visible_text(page.content.decode())
    assert "Quitter ma collectivité" in text
    assert "Vous ne représenterez plus cette collectivité" in text
    assert "Quitter Ville de Lannion" in text
    affiliation.refresh_from_db()
    assert affiliation.status == AffiliationStatus.APPROVED  # A GET changes nothing.

    client.post("/mon-espace/rattachement/quitter/")
    affiliation.refresh_from_db()
    assert affiliation.status == AffiliationStatus.ENDED


def test_leaving_without_affiliation_is_explained(client):
    client.force_login(verified_person("camille@exemple-mairie.fr"))
    response = client.get("/mon-espace/rattachement/quitter/", follow=True)
    assert "Vous n'êtes rattaché·e à aucune collectivité." in visible_text(
        response.content.decode()
    )


def test_deleting_the_account_says_what_happens_and_needs_the_word(client):
    user = verified_person("camille@exemple-mairie.fr")
    client.force_login(user)

    page = visible_text(
        client.get("/mon-espace/supprimer-mon-compte/").content.decode()
    )
    assert "Cette action est définitive" in page
    refused = client.post("/mon-espace/supprimer-mon-compte/", {"confirmation": "oui"})
    assert "Saisissez SUPPRIMER" in visible_text(refused.content.decode())
    assert User.objects.filter(pk=user.pk).exists()


# --- Names of places, counts and exports -----------------------------------------


def test_departement_by_name_on_the_profile_and_directory(client, lannion):
    profile = visible_text(client.get(lannion.url).content.decode())
    assert "Côtes-d'Armor (22)" in profile
    directory = visible_text(client.get("/membres/").content.decode())
    assert "Côtes-d'Armor (22)" in directory


def test_csv_export_says_oui_non_and_names_the_departement(client, lannion, tregor):
    type(lannion).objects.filter(pk=lannion.pk).update(roadmap_adopted=True)
    content = client.get("/membres/export.csv").content.decode("utf-8-sig")
    rows = {
        row["nom"]: row for row in csv.DictReader(io.StringIO(content), delimiter=";")
    }
    assert rows["Ville de Lannion"]["feuille_de_route_adoptee"] == "oui"
    assert rows["Lannion-Trégor Communauté"]["feuille_de_route_adoptee"] == "non"
    assert rows["Ville de Lannion"]["departement_nom"] == "Côtes-d'Armor"
    assert "True" not in content and "False" not in content


def test_home_page_counts_the_collectivities_the_directory_lists(
    client, lannion, tregor, saint_etienne
):
    type(tregor).objects.filter(pk=tregor.pk).update(
        membership_status=MembershipStatus.PENDING
    )
    saint_etienne.unpublish()

    directory = visible_text(client.get("/membres/").content.decode())
    home = visible_text(client.get("/").content.decode())

    assert "2 collectivités" in directory
    assert "2 collectivités membres" in home


def test_sign_in_and_sign_up_pages_speak_as_the_association(client):
    login = visible_text(client.get("/accounts/login/").content.decode())
    assert "Connectez-vous avec l'adresse électronique de votre compte Retex" in login
    assert "ouvert aux élus et aux agents des collectivités" in login
    signup = visible_text(client.get("/accounts/signup/").content.decode())
    assert "vous y êtes rattaché·e dès la vérification" in signup
    assert "Déjà un compte ?" in signup


def test_representatives_email_names_the_person_and_function(lannion, committed):
    from members.affiliation import affiliation_request

    representative = verified_person("rep@lannion.fr")
    Affiliation.objects.create(
        user=representative,
        collectivity=lannion,
        status=AffiliationStatus.APPROVED,
        role=AffiliationRole.REPRESENTATIVE,
    )
    asking = verified_person("camille@exemple-mairie.fr", **PERSON)

    committed(affiliation_request, user=asking, collectivity=lannion)

    [message] = [m for m in mail.outbox if m.to == ["rep@lannion.fr"]]
    assert (
        "Camille Durand demande à être rattaché·e à la Ville de Lannion" in message.body
    )
    assert "Élu ou élue" in message.body
    assert "Adjointe au numérique" in message.body
    assert "camille@exemple-mairie.fr" in message.body
