"""Choices posted by id: an id no database can hold is an unknown choice with
the form's French error, never a server error (SQLite's driver raises
OverflowError on integers beyond 64 bits, PostgreSQL a DataError)."""

import pytest

from aid.forms import QuestionForm
from knowledge.proposal_forms import PracticeProposalForm
from members.forms import CollectivityProfileForm
from members.models import CollectivityPage
from retex.models import Theme

pytestmark = pytest.mark.django_db

HUGE = "999999999999999999999999"


@pytest.mark.parametrize(
    "form_class", [QuestionForm, PracticeProposalForm, CollectivityProfileForm]
)
@pytest.mark.parametrize("value", [HUGE, f"-{HUGE}", str(2**63)])
def test_a_theme_id_beyond_64_bits_is_refused_in_french(form_class, value):
    theme = Theme.objects.order_by("pk").first() or Theme.objects.create(
        name="Cybersécurité", slug="cybersecurite"
    )
    extra = {}
    if form_class is PracticeProposalForm:
        extra["collectivities"] = CollectivityPage.objects.none()
    form = form_class(data={"themes": [str(theme.pk), value]}, **extra)
    assert not form.is_valid()
    assert "themes" in form.errors
    message = " ".join(form.errors["themes"])
    assert value in message or "thème" in message.lower() or "choix" in message


def test_a_known_theme_id_is_still_accepted():
    theme = Theme.objects.order_by("pk").first() or Theme.objects.create(
        name="Cybersécurité", slug="cybersecurite"
    )
    form = QuestionForm(data={"themes": [str(theme.pk)]})
    form.is_valid()
    assert "themes" not in form.errors
