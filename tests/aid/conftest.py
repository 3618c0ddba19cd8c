"""People and places of the mutual-aid tests: two member collectivities, their
members, a signed-up person who belongs to none, an editor."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from aid.forms import QuestionForm
from members.affiliation import affiliation_request
from members.models import CollectivityKind
from members.territories import Region
from tests.factories import CollectivityPageFactory, ThemeFactory, UserFactory


def verified_user(email, **kwargs):
    user = UserFactory(email=email, **kwargs)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def member_of(collectivity, email, **kwargs):
    user = verified_user(email, **kwargs)
    affiliation_request(user=user, collectivity=collectivity)
    return user


@pytest.fixture
def places(section):
    index = section("membres")
    return {
        "lannion": CollectivityPageFactory(
            parent=index,
            title="Ville de Lannion",
            kind=CollectivityKind.COMMUNE,
            region=Region.BRETAGNE,
            email_domains="lannion.fr",
        ),
        "lyon": CollectivityPageFactory(
            parent=index,
            title="Métropole de Lyon",
            kind=CollectivityKind.METROPOLE,
            region=Region.AUVERGNE_RHONE_ALPES,
            email_domains="grandlyon.com",
        ),
    }


@pytest.fixture
def people(places):
    editor = verified_user("editrice@reseau.fr", first_name="Éva", last_name="Dupuis")
    editor.groups.add(Group.objects.get(name="Éditeurs"))
    return {
        "asker": member_of(
            places["lannion"],
            "a.le-goff@lannion.fr",
            first_name="Annaïg",
            last_name="Le Goff",
            function_title="DSI",
        ),
        "helper": member_of(
            places["lyon"],
            "p.bernard@grandlyon.com",
            first_name="Paul",
            last_name="Bernard",
            function_title="chef de projet inclusion numérique",
        ),
        "colleague": member_of(
            places["lannion"],
            "j.martin@lannion.fr",
            first_name="",
            last_name="",
            function_title="chargée de mission",
        ),
        "outsider": verified_user("curieux@ailleurs.fr"),
        "editor": editor,
    }


@pytest.fixture
def theme(db):
    return ThemeFactory(name="Inclusion numérique", slug="inclusion-numerique")


def ask_form(title="Comment organiser l'accueil des usagers ?", **extra):
    """POST data of the question form, with a fresh token as a browser has."""
    data = {
        "title": title,
        "details": "Nous ouvrons un espace France services.",
        "token": str(QuestionForm().initial["token"]),
    }
    data.update(extra)
    return data
