"""Representatives edit their own collectivity and propose practices, nothing else."""

import pytest
from allauth.account.models import EmailAddress
from wagtail.models import Page

from knowledge.models import PracticePage
from members.affiliation import affiliation_request, affiliation_set_role
from members.models import AffiliationRole
from tests.factories import CollectivityPageFactory, UserFactory, give_mfa

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_collectivities(section):
    members = section("membres")
    a = CollectivityPageFactory(
        parent=members, title="Ville A", email_domains="ville-a.fr"
    )
    b = CollectivityPageFactory(
        parent=members, title="Ville B", email_domains="ville-b.fr"
    )
    return a, b


@pytest.fixture
def representative_of_a(two_collectivities):
    a, _b = two_collectivities
    staff = UserFactory(is_superuser=True, is_staff=True)
    user = UserFactory(email="rep@ville-a.fr")
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    affiliation = affiliation_request(user=user, collectivity=a)
    affiliation_set_role(
        affiliation_id=affiliation.pk, role=AffiliationRole.REPRESENTATIVE, by=staff
    )
    return give_mfa(user)


def test_a_representative_edits_their_profile_but_not_another(
    client, two_collectivities, representative_of_a
):
    a, b = two_collectivities
    client.force_login(representative_of_a)
    assert client.get(f"/admin/pages/{a.pk}/edit/").status_code == 200
    denied = client.get(f"/admin/pages/{b.pk}/edit/")
    assert denied.status_code in (302, 403)
    explorer = client.get(f"/admin/pages/{a.get_parent().pk}/").content.decode()
    assert "Ville B" not in explorer


def test_a_representative_form_leaves_out_the_membership_fields(
    client, two_collectivities, representative_of_a
):
    """Hidden but required, the membership status made every save of a
    representative fail without a visible error."""
    a, _b = two_collectivities
    client.force_login(representative_of_a)
    form = client.get(f"/admin/pages/{a.pk}/edit/").context["form"]
    assert not {"membership_status", "member_since", "email_domains"} & set(form.fields)
    staff = give_mfa(UserFactory(is_superuser=True, is_staff=True))
    client.force_login(staff)
    form = client.get(f"/admin/pages/{a.pk}/edit/").context["form"]
    assert {"membership_status", "member_since", "email_domains"} <= set(form.fields)


def test_a_representative_cannot_publish_their_profile_directly(
    client, two_collectivities, representative_of_a
):
    a, _b = two_collectivities
    client.force_login(representative_of_a)
    page = client.get(f"/admin/pages/{a.pk}/edit/").content.decode()
    assert 'name="action-publish"' not in page
    assert "action-submit" in page or "Relecture" in page


def test_a_representative_proposes_practices_but_not_articles(
    client, section, representative_of_a
):
    index = section("ressources")
    client.force_login(representative_of_a)
    practice_form = client.get(f"/admin/pages/add/knowledge/practicepage/{index.pk}/")
    assert practice_form.status_code == 200
    article_form = client.get(f"/admin/pages/add/knowledge/articlepage/{index.pk}/")
    assert article_form.status_code == 302


def test_losing_the_representative_role_removes_admin_rights(
    client, two_collectivities, representative_of_a
):
    a, _b = two_collectivities
    staff = UserFactory(is_superuser=True, is_staff=True)
    affiliation = representative_of_a.affiliations.get()
    affiliation_set_role(
        affiliation_id=affiliation.pk, role=AffiliationRole.MEMBER, by=staff
    )
    client.force_login(representative_of_a)
    assert client.get(f"/admin/pages/{a.pk}/edit/").status_code in (302, 403)


def test_nobody_but_staff_can_name_representatives(
    two_collectivities, representative_of_a
):
    from members.affiliation import AffiliationError

    a, _b = two_collectivities
    colleague = UserFactory(email="collegue@ville-a.fr")
    EmailAddress.objects.create(
        user=colleague, email=colleague.email, verified=True, primary=True
    )
    affiliation = affiliation_request(user=colleague, collectivity=a)
    with pytest.raises(AffiliationError):
        affiliation_set_role(
            affiliation_id=affiliation.pk,
            role=AffiliationRole.REPRESENTATIVE,
            by=representative_of_a,
        )
    assert not PracticePage.objects.exists()
    assert Page.objects.filter(pk=a.pk).exists()


def test_a_representative_proposes_practices_for_their_collectivity_only(
    section, two_collectivities, representative_of_a
):
    a, b = two_collectivities
    form_class = PracticePage.get_edit_handler().get_form_class()
    form = form_class(
        instance=PracticePage(),
        parent_page=section("ressources"),
        for_user=representative_of_a,
    )
    choices = form.fields["collectivity"].queryset
    assert list(choices) == [a]
    assert b not in choices
