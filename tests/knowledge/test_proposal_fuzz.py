"""Random and hostile input to the practice proposal form: never a server
error; refused input creates no page, no revision, no review."""

from urllib.parse import quote

import pytest
from django.core.cache import cache
from hypothesis import given
from hypothesis import strategies as st
from wagtail.models import Revision, WorkflowState

from knowledge.models import PracticePage
from tests.knowledge.test_proposals import PROPOSE, form_data, lannion, member
from tests.retex.test_fuzz_forms import FUZZ, assert_not_a_server_error, values

pytestmark = pytest.mark.django_db

__all__ = ["lannion", "member"]  # fixtures

FIELDS = (
    "token",
    "title",
    "lead",
    "collectivity",
    "status",
    "start_year",
    "budget_range",
    "partners",
    "context",
    "objectives",
    "actions",
    "results",
    "lessons",
    "themes",
    "contact_name",
    "contact_function",
    "contact_email",
    "contact_phone",
    "hero_image_alt",
    "hero_image_decorative",
    "hero_image_caption",
    "hero_image_credit",
    "kept_documents",
)


@FUZZ
@given(changes=st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, values)))
def test_hostile_proposals(client, lannion, member, changes):
    cache.clear()  # The rate limit is not the subject here.
    client.force_login(member)
    before = (PracticePage.objects.count(), Revision.objects.count())
    response = client.post(PROPOSE, form_data(lannion, **changes))
    assert_not_a_server_error(response)
    if response.status_code == 200:  # refused, shown again with its errors
        assert (PracticePage.objects.count(), Revision.objects.count()) == before
    PracticePage.objects.all().delete()
    WorkflowState.objects.all().delete()


@FUZZ
@given(page_id=values.filter(lambda v: "/" not in v and v))
def test_hostile_proposal_addresses(client, member, page_id):
    client.force_login(member)
    response = client.get(f"/mon-espace/pratiques/{quote(page_id)}/modifier/")
    assert_not_a_server_error(response)
    assert response.status_code == 404
