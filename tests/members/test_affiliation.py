"""Joining a collectivity, and what being a member gives access to."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core import mail

from members.affiliation import (
    AffiliationError,
    affiliation_approve,
    affiliation_end,
    affiliation_refuse,
    affiliation_request,
    affiliation_set_role,
    is_network_member,
)
from members.models import AffiliationRole, AffiliationStatus, MembershipStatus
from tests.factories import CollectivityPageFactory, UserFactory

pytestmark = pytest.mark.django_db


def verified_user(email):
    user = UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def lannion(section):
    page = CollectivityPageFactory(
        parent=section("membres"),
        title="Ville de Lannion",
        email_domains="lannion.fr",
        membership_status=MembershipStatus.ACTIVE,
    )
    return page


@pytest.fixture
def staff():
    return UserFactory(is_staff=True, is_superuser=True, email="equipe@retex.example")


def in_members_group(user):
    return user.groups.filter(name="Membres").exists()


def test_an_address_of_the_collectivity_domain_joins_at_once(lannion, committed):
    agent = verified_user("agent@lannion.fr")
    affiliation = committed(affiliation_request, user=agent, collectivity=lannion)
    assert affiliation.status == AffiliationStatus.APPROVED
    assert is_network_member(agent)
    assert in_members_group(agent)
    assert mail.outbox[-1].to == ["agent@lannion.fr"]
    assert "accepté" in mail.outbox[-1].subject


def test_another_address_waits_for_a_representative_who_is_told(
    lannion, staff, committed
):
    representative = verified_user("rep@lannion.fr")
    affiliation_request(user=representative, collectivity=lannion)
    membership = representative.affiliations.get()
    affiliation_set_role(
        affiliation_id=membership.pk, role=AffiliationRole.REPRESENTATIVE, by=staff
    )
    mail.outbox.clear()

    elected = verified_user("maire.adjointe@gmail.com")
    request = committed(
        affiliation_request, user=elected, collectivity=lannion, message="Élue"
    )

    assert request.status == AffiliationStatus.PENDING
    assert not is_network_member(elected)
    assert [m.to for m in mail.outbox] == [["rep@lannion.fr"]]
    assert "Demande de rattachement à la Ville de Lannion" in mail.outbox[0].subject

    mail.outbox.clear()
    committed(affiliation_approve, affiliation_id=request.pk, by=representative)
    assert is_network_member(elected)
    assert in_members_group(elected)
    assert mail.outbox[0].to == ["maire.adjointe@gmail.com"]


def test_refusal_is_told_with_its_reason_and_gives_no_access(lannion, staff, committed):
    person = verified_user("inconnu@exemple.org")
    request = affiliation_request(user=person, collectivity=lannion)
    mail.outbox.clear()
    committed(
        affiliation_refuse,
        affiliation_id=request.pk,
        by=staff,
        reason="Personne inconnue",
    )
    assert not is_network_member(person)
    assert "Personne inconnue" in mail.outbox[0].body


def test_an_unverified_address_cannot_ask(lannion):
    person = UserFactory(email="pas.verifie@lannion.fr")
    with pytest.raises(AffiliationError, match="Vérifiez"):
        affiliation_request(user=person, collectivity=lannion)


def test_one_open_request_at_a_time(lannion, section):
    other = CollectivityPageFactory(parent=section("membres"))
    person = verified_user("x@exemple.org")
    affiliation_request(user=person, collectivity=lannion)
    with pytest.raises(AffiliationError, match="déjà"):
        affiliation_request(user=person, collectivity=other)
    assert person.affiliations.count() == 1


def test_a_request_is_decided_once(lannion, staff):
    person = verified_user("y@exemple.org")
    request = affiliation_request(user=person, collectivity=lannion)
    affiliation_approve(affiliation_id=request.pk, by=staff)
    with pytest.raises(AffiliationError, match="déjà été traitée"):
        affiliation_refuse(affiliation_id=request.pk, by=staff)


def test_a_representative_of_another_collectivity_cannot_decide(
    lannion, section, staff
):
    brest = CollectivityPageFactory(parent=section("membres"), email_domains="brest.fr")
    brest_rep = verified_user("rep@brest.fr")
    affiliation_request(user=brest_rep, collectivity=brest)
    affiliation_set_role(
        affiliation_id=brest_rep.affiliations.get().pk,
        role=AffiliationRole.REPRESENTATIVE,
        by=staff,
    )
    person = verified_user("z@exemple.org")
    request = affiliation_request(user=person, collectivity=lannion)
    with pytest.raises(AffiliationError):
        affiliation_approve(affiliation_id=request.pk, by=brest_rep)
    request.refresh_from_db()
    assert request.status == AffiliationStatus.PENDING


def test_losing_membership_takes_access_away_at_once(lannion, client, section):
    from wagtail.models import PageViewRestriction

    from tests.factories import ArticlePageFactory

    page = ArticlePageFactory(parent=section("ressources"), title="Réservé")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Membres")])
    agent = verified_user("agent2@lannion.fr")
    affiliation = affiliation_request(user=agent, collectivity=lannion)
    client.force_login(agent)
    assert client.get(page.url).status_code == 200

    # The collectivity's membership lapses: published by the association.
    lannion.membership_status = MembershipStatus.LAPSED
    lannion.save_revision().publish()
    assert client.get(page.url).status_code == 403
    assert not in_members_group(agent)

    lannion.membership_status = MembershipStatus.ACTIVE
    lannion.save_revision().publish()
    assert client.get(page.url).status_code == 200

    affiliation_end(affiliation_id=affiliation.pk, by=agent)
    assert client.get(page.url).status_code == 403


def test_public_mailbox_domains_cannot_be_claimed(section):
    from django.core.exceptions import ValidationError

    page = CollectivityPageFactory(parent=section("membres"))
    page.email_domains = "ville.fr\ngmail.com"
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "messagerie grand public" in str(error.value)


def test_staff_see_members_content_without_being_network_members(lannion):
    """The two membership questions differ on purpose: staff moderate members-only
    content, so they see it, but only an affiliation makes a network member."""
    from retex.visibility import sees_members_content

    agent = verified_user("agent@lannion.fr")
    affiliation_request(user=agent, collectivity=lannion)
    employee = UserFactory(is_staff=True, email="salariee@retex.example")
    outsider = verified_user("voisin@exemple.org")

    assert is_network_member(agent) and sees_members_content(agent)
    assert not is_network_member(employee) and sees_members_content(employee)
    assert not is_network_member(outsider) and not sees_members_content(outsider)
