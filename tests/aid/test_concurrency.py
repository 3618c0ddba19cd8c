"""Soliciting collectivities at once (PostgreSQL): never more than three per
question, each once, whatever arrives together."""

import uuid

import pytest

from aid.errors import AidError
from aid.models import MAX_SOLICITATIONS, Solicitation
from aid.questions import question_create
from aid.solicitations import solicit
from members.models import Affiliation, AffiliationRole
from tests.aid.conftest import member_of
from tests.factories import CollectivityPageFactory
from tests.helpers import run_at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_clicks_at_once_solicit_three_collectivities_at_most_each_once(people, section):
    towns = []
    for n in range(6):
        town = CollectivityPageFactory(
            parent=section("membres"),
            title=f"Commune {n}",
            email_domains=f"commune{n}.fr",
        )
        representative = member_of(town, f"maire@commune{n}.fr")
        Affiliation.objects.filter(user=representative).update(
            role=AffiliationRole.REPRESENTATIVE
        )
        towns.append(town)
    question, _ = question_create(
        author=people["asker"],
        title="Qui a déjà mutualisé son délégué à la protection des données ?",
        details="Avec l'intercommunalité ?",
        token=uuid.uuid4(),
    )

    def click(town):
        return lambda: solicit(
            question_id=question.pk, collectivity_id=town.pk, by=people["asker"]
        )

    # Each of six collectivities, twice (a double submit), all at once.
    results = run_at_once(
        [click(town) for town in towns for _ in range(2)], expected=(AidError,)
    )

    solicited = Solicitation.objects.filter(question=question)
    assert solicited.count() == MAX_SOLICITATIONS
    assert solicited.values("collectivity").distinct().count() == MAX_SOLICITATIONS
    created = [r for r in results if isinstance(r, tuple) and r[1]]
    assert len(created) == MAX_SOLICITATIONS
    refusals = [r for r in results if isinstance(r, AidError)]
    assert refusals and all("maximum" in str(r.message) for r in refusals)
