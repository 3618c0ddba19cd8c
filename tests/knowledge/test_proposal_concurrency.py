"""Two submits of one proposal form at the same instant (a double click on a
slow connection) make one page, on PostgreSQL where requests really run at once
(SQLite queues writers)."""

import uuid

import pytest
from wagtail.models import WorkflowState

from knowledge.models import PracticePage, PracticeProposal
from knowledge.proposals import practice_propose
from members.models import Affiliation, AffiliationStatus, MembershipStatus
from tests.factories import CollectivityPageFactory, verified_person
from tests.helpers import publish, run_at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_double_submit_at_once_makes_one_page(section):
    lannion = publish(
        CollectivityPageFactory(
            parent=section("membres"),
            title="Ville de Lannion",
            membership_status=MembershipStatus.ACTIVE,
        )
    )
    member = verified_person("marc@lannion.fr")
    Affiliation.objects.create(
        user=member, collectivity=lannion, status=AffiliationStatus.APPROVED
    )
    token = uuid.uuid4()

    def submit():
        page, _created = practice_propose(
            user=member,
            token=token,
            values={
                "title": "Un tiers-lieu numérique",
                "lead": "Un lieu ouvert à tous.",
                "collectivity": lannion,
                "actions": "<p>Ouvert.</p>",
            },
        )
        return page.pk

    first, second = run_at_once([submit, submit])

    assert first == second
    assert PracticePage.objects.count() == 1
    assert PracticeProposal.objects.count() == 1
    assert (
        WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).count()
        == 1
    )
