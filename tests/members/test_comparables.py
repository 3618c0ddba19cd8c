"""Comparable collectivities are chosen when collectivities are written
(`members.comparables`) and read, as each reader may see them, on the profile."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from members.comparables import rebuild
from members.models import CollectivityKind, MembershipStatus, StoredComparables
from members.selectors import comparable_collectivities
from retex.visibility import MEMBERS_GROUP
from tests.factories import CollectivityPageFactory, ThemeFactory, UserFactory
from tests.helpers import publish
from tests.html import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def towns(section):
    """Six communes of growing population (Commune 1 the smallest), and a
    region nobody resembles."""
    members = section("membres")
    inclusion = ThemeFactory(slug="inclusion-numerique")
    made = []
    for number, population in enumerate(
        [10_000, 12_000, 15_000, 20_000, 30_000, 60_000], start=1
    ):
        town = CollectivityPageFactory(
            parent=members,
            title=f"Commune {number}",
            kind=CollectivityKind.COMMUNE,
            population=population,
        )
        if number % 2:
            town.themes = [inclusion]
        made.append(publish(town))
    CollectivityPageFactory(
        parent=members,
        title="Région lointaine",
        kind=CollectivityKind.REGION,
        population=3_000_000,
    )
    return made


def comparables_section(client, page) -> list[str]:
    """The titles of the comparable collectivities the profile shows."""
    html = client.get(page.url).content.decode()
    section = html[html.index('id="comparables-title"') :]
    section = section[: section.index("</section>")]
    return [
        visible_text(card.split("</a>")[0].split(">")[-1])
        for card in section.split('class="card__title"')[1:]
    ]


def titles(collectivities):
    return [c.title for c in collectivities]


def test_the_stored_choice_is_the_one_computed_on_the_spot(towns):
    computed = {
        town.pk: titles(comparable_collectivities(town, user=None)) for town in towns
    }
    assert not StoredComparables.objects.exists()
    rebuild()
    assert StoredComparables.objects.count() == len(towns) + 1
    for town in towns:
        assert titles(comparable_collectivities(town, user=None)) == computed[town.pk]
    # The most alike first: same kind, closest population, a shared theme.
    assert computed[towns[0].pk][0] == "Commune 3"
    assert "Région lointaine" not in computed[towns[0].pk]


def test_a_new_member_enters_the_lists_it_ranks_in_once_published(
    client, section, towns, django_capture_on_commit_callbacks
):
    rebuild()
    twin = CollectivityPageFactory(
        parent=section("membres"),
        title="Commune jumelle",
        kind=CollectivityKind.COMMUNE,
        population=10_000,
        live=False,
    )
    twin.themes = [towns[0].themes.first()]
    assert "Commune jumelle" not in comparables_section(client, towns[0])
    with django_capture_on_commit_callbacks(execute=True):
        publish(twin)
    assert StoredComparables.objects.get(collectivity=towns[0]).ranking[0] == twin.pk
    shown = comparables_section(client, towns[0])
    assert shown.index("Commune jumelle") < shown.index("Commune 3")


def test_an_unpublished_member_is_never_shown_even_before_the_lists_change(
    client, towns, django_capture_on_commit_callbacks
):
    rebuild()
    third = towns[2]
    assert "Commune 3" in comparables_section(client, towns[0])
    third.unpublish()  # Its task has not run: the stored lists still hold it.
    assert third.pk in StoredComparables.objects.get(collectivity=towns[0]).ranking
    assert "Commune 3" not in comparables_section(client, towns[0])
    sixth = towns[5]
    sixth.population = 61_000
    with django_capture_on_commit_callbacks(execute=True):
        publish(sixth)  # Any write refreshes what it touches.
    assert not StoredComparables.objects.filter(collectivity=third).exists()


def test_a_lapsed_member_leaves_the_lists(towns, django_capture_on_commit_callbacks):
    rebuild()
    third = towns[2]
    third.membership_status = MembershipStatus.LAPSED
    with django_capture_on_commit_callbacks(execute=True):
        publish(third)
    assert third.pk not in StoredComparables.objects.get(collectivity=towns[0]).ranking
    assert "Commune 3" not in titles(comparable_collectivities(towns[0], user=None))


def test_a_members_only_profile_is_compared_for_members_only(
    client, towns, django_capture_on_commit_callbacks
):
    members_group = Group.objects.get(name=MEMBERS_GROUP)
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=towns[2], restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.add(members_group)
    # Kept in place in the stored list, with one more row to stand in for it.
    stored = StoredComparables.objects.get(collectivity=towns[0]).ranking
    assert towns[2].pk in stored
    assert len(stored) == 5
    visitor = comparables_section(client, towns[0])
    assert "Commune 3" not in visitor
    assert len(visitor) == 4
    member = UserFactory()
    member.groups.add(members_group)
    client.force_login(member)
    assert "Commune 3" in comparables_section(client, towns[0])


def test_a_collectivity_not_chosen_for_yet_chooses_on_the_spot(client, towns):
    # No stored row (written without signals, e.g. a bulk import).
    assert not StoredComparables.objects.exists()
    assert "Commune 3" in comparables_section(client, towns[0])
