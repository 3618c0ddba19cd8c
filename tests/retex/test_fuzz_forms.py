"""Random and hostile input to every form and listing filter: never a server
error, never a half-done write.

Hypothesis posts generated values to the account forms (sign-up, login,
password reset), "Mon espace" (profile, affiliation request and decisions,
account deletion), event registration and cancellation, the collectivity
profile a representative edits in the admin, and the query strings of every
listing. Where the form refuses the input, the rows it would write are counted
before and after. The search box and the search API are fuzzed in
tests/search/test_fuzz.py.
"""

import datetime
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from events.models import Registration
from members.affiliation import affiliation_request, affiliation_set_role
from members.models import Affiliation, AffiliationRole, CollectivityPage, User
from retex.visibility import MEMBERS_GROUP
from tests.factories import (
    CollectivityPageFactory,
    EventPageFactory,
    UserFactory,
    give_mfa,
)

pytestmark = pytest.mark.django_db

settings.register_profile(
    "retex-forms",
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
FUZZ = settings.get_profile("retex-forms")

HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202e",
    "\ufeff",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}",
    "{% debug %}",
    "%(name)s",
    "../../etc/passwd",
    "-1",
    "0",
    "999999999999999999999999",
    "1e309",
    "NaN",
    "2026-02-30",
    "31/12/9999",
    "x" * 5000,
    "é" * 300,
    "@",
    "a@b",
    "personne@ville-exemple.fr",
    "PERSONNE@VILLE-EXEMPLE.FR ",
    "🙂" * 50,
]
values = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=200),
    st.text(alphabet=st.characters(max_codepoint=0x20), max_size=20),
    st.integers().map(str),
)


def verified(user):
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


def assert_not_a_server_error(response):
    assert response.status_code < 500, response.content[:500]


# --- Accounts ------------------------------------------------------------------------


@pytest.fixture
def someone():
    return verified(UserFactory(email="personne@ville-exemple.fr"))


@FUZZ
@given(email=values, password1=values, password2=values)
def test_sign_up(client, email, password1, password2):
    cache.clear()
    before = User.objects.count()
    response = client.post(
        "/accounts/signup/",
        {
            "email": email,
            "password1": password1,
            "password2": password2,
            # Who signs up (sign-up asks it), so that valid values create accounts.
            "first_name": "Camille",
            "last_name": "Durand",
            "status": "agent",
            "function_title": "DSI",
        },
    )
    assert_not_a_server_error(response)
    if response.status_code != 302:
        assert User.objects.count() == before
        assert EmailAddress.objects.count() == 0


@FUZZ
@given(login=values, password=values, remember=values)
def test_login(client, someone, login, password, remember):
    cache.clear()
    response = client.post(
        "/accounts/login/", {"login": login, "password": password, "remember": remember}
    )
    assert_not_a_server_error(response)
    assert "_auth_user_id" not in client.session


@FUZZ
@given(email=values)
def test_password_reset(client, email):
    cache.clear()
    before = list(User.objects.values_list("password", flat=True))
    response = client.post("/accounts/password/reset/", {"email": email})
    assert_not_a_server_error(response)
    assert list(User.objects.values_list("password", flat=True)) == before


# --- Mon espace ----------------------------------------------------------------------


@pytest.fixture
def collectivity(section):
    return CollectivityPageFactory(
        parent=section("membres"), email_domains="ville-a.fr"
    )


@pytest.fixture
def representative(collectivity):
    user = verified(UserFactory(email="rep@ville-a.fr"))
    affiliation = affiliation_request(user=user, collectivity=collectivity)
    affiliation_set_role(
        affiliation_id=affiliation.pk,
        role=AffiliationRole.REPRESENTATIVE,
        by=give_mfa(UserFactory(is_staff=True, is_superuser=True)),
    )
    return give_mfa(user)


@FUZZ
@given(
    data=st.fixed_dictionaries(
        dict.fromkeys(
            ("first_name", "last_name", "status", "function_title", "phone"), values
        )
    )
)
def test_profile(client, data):
    cache.clear()
    user = verified(UserFactory())
    client.force_login(user)
    before = User.objects.filter(pk=user.pk).values().get()
    response = client.post("/mon-espace/profil/", data)
    assert_not_a_server_error(response)
    if response.status_code == 200:  # refused: shown again with its errors
        assert User.objects.filter(pk=user.pk).values().get() == before


@FUZZ
@given(choice=st.one_of(values, st.just("__real__")), message=values)
def test_affiliation_request(client, collectivity, choice, message):
    cache.clear()
    user = verified(UserFactory())
    client.force_login(user)
    before = Affiliation.objects.count()
    response = client.post(
        "/mon-espace/rattachement/",
        {
            "collectivity": collectivity.pk if choice == "__real__" else choice,
            "message": message,
        },
    )
    assert_not_a_server_error(response)
    if response.status_code == 200:
        assert Affiliation.objects.count() == before


@FUZZ
@given(affiliation_id=values, decision=values, reason=values)
def test_affiliation_decisions(
    client, representative, affiliation_id, decision, reason
):
    cache.clear()
    client.force_login(representative)
    before = list(Affiliation.objects.values_list("pk", "status"))
    url = f"/mon-espace/rattachements/{affiliation_id}/{decision}/".replace("//", "/x/")
    response = client.post(url, {"reason": reason})
    assert_not_a_server_error(response)
    if response.status_code == 404:
        assert list(Affiliation.objects.values_list("pk", "status")) == before


@FUZZ
@given(confirmation=values)
def test_account_deletion(client, confirmation):
    cache.clear()
    user = verified(UserFactory())
    client.force_login(user)
    response = client.post(
        "/mon-espace/supprimer-mon-compte/", {"confirmation": confirmation}
    )
    assert_not_a_server_error(response)
    if response.status_code == 200:
        assert User.objects.filter(pk=user.pk).exists()


# --- Events --------------------------------------------------------------------------


@FUZZ
@given(colleague=values, action=st.sampled_from(["inscription", "desinscription"]))
def test_registration_and_cancellation(client, section, colleague, action):
    cache.clear()
    event = EventPageFactory(
        parent=section("evenements"),
        capacity=1,
        start=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=20),
        end=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=20, hours=2),
    )
    user = verified(UserFactory())
    user.groups.add(Group.objects.get(name=MEMBERS_GROUP))
    client.force_login(user)
    response = client.post(f"{event.url}{action}/", {"colleague": colleague})
    assert_not_a_server_error(response)
    # A colleague that is not one registers nobody, let alone someone else.
    assert not Registration.objects.filter(event=event).exclude(user=user).exists()
    assert Registration.objects.filter(event=event).count() <= 1


# --- The collectivity profile, edited by its representative in the admin -------------


def profile_form_data(page, **changes):
    data = {
        "title": page.title,
        "slug": page.slug,
        "kind": page.kind,
        "siren": "",
        "insee_code": "",
        "region": page.region,
        "department": "",
        "population": page.population or "",
        "commune_count": "",
        "member_communes": "",
        "website": "",
        "presentation": "<p>Présentation.</p>",
        "roadmap_date": "",
        "email_domains": page.email_domains,
        "membership_status": page.membership_status,
        "member_since": "",
        "contacts": inline_formset([]),
        "action-publish": "",
    }
    data.update(changes)
    # The editor sends its content as Draftail JSON: the text goes inside it.
    # (Wagtail's rich text widget answers a 500 to a POST that is not JSON at
    # all, which no browser sends; left to Wagtail.)
    data["presentation"] = rich_text(data["presentation"])
    return nested_form_data(data)


@FUZZ
@given(
    changes=st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(
            (
                "title",
                "siren",
                "insee_code",
                "region",
                "department",
                "population",
                "website",
                "member_communes",
                "roadmap_date",
                "email_domains",
                "presentation",
            ),
            values,
        ),
    )
)
def test_a_representative_edits_the_collectivity_profile(
    client, collectivity, representative, changes
):
    cache.clear()
    client.force_login(representative)
    page = CollectivityPage.objects.get(pk=collectivity.pk)
    before = (
        Revision.objects.count(),
        CollectivityPage.objects.values().get(pk=page.pk),
    )
    response = client.post(
        f"/admin/pages/{page.pk}/edit/", profile_form_data(page, **changes)
    )
    assert_not_a_server_error(response)
    if response.status_code == 200:  # refused, shown again with its errors
        after = (
            Revision.objects.count(),
            CollectivityPage.objects.values().get(pk=page.pk),
        )
        assert after == before


# --- Listings and their query-string filters -----------------------------------------


LISTINGS = ["/ressources/", "/membres/", "/evenements/", "/attestations/verifier/"]
FILTERS = [
    "q",
    "kind",
    "type",
    "theme",
    "region",
    "population",
    "roadmap",
    "year",
    "sort",
    "page",
    "periode",
    "places",
    "code",
    "format",
]


@FUZZ
@given(
    url=st.sampled_from(LISTINGS),
    params=st.dictionaries(
        st.one_of(st.sampled_from(FILTERS), st.text(max_size=10)), values, max_size=6
    ),
)
def test_listing_filters(client, url, params):
    response = client.get(url, params)
    assert_not_a_server_error(response)
    assert response.status_code in (200, 302, 400, 404)


@FUZZ
@given(token=values.filter(lambda t: "/" not in t))
def test_calendar_feed_tokens(client, token):
    """NUL bytes included: PostgreSQL refuses them in a query, the feed answers 404."""
    response = client.get(f"/mon-espace/agenda/{quote(token)}.ics")
    assert_not_a_server_error(response)


def test_the_profile_baseline_is_accepted(client, collectivity, representative):
    """The fuzzed profile posts start from a valid form: unchanged, it saves."""
    client.force_login(representative)
    before = Revision.objects.count()
    response = client.post(
        f"/admin/pages/{collectivity.pk}/edit/",
        profile_form_data(collectivity, member_communes="Lannion, Perros-Guirec"),
    )
    assert response.status_code == 302
    assert Revision.objects.count() == before + 1
