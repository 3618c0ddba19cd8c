"""factory_boy factories for the core entities; pages need a `parent`."""

import datetime

import factory
import wagtail_factories
from allauth.account.models import EmailAddress
from django.utils import timezone

from events.models import EventKind, EventPage
from knowledge.models import (
    ArticlePage,
    InterviewPage,
    PracticePage,
    PracticeStatus,
)
from members.models import (
    CollectivityKind,
    CollectivityPage,
    MemberIndexPage,
    MembershipStatus,
    User,
)
from members.territories import Region
from retex.models import StandardPage, Theme


class UserFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"personne{n}@ville-exemple.fr")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.django.Password("motdepasse-solide-2026")

    class Meta:
        model = User
        skip_postgeneration_save = True


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Page standard {n}")
    lead = "Une page d'information du réseau."

    class Meta:
        model = StandardPage


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Inclusion numérique : retour d'expérience {n}")
    lead = "Comment une commune a ouvert un lieu de médiation numérique."
    publication_date = factory.LazyFunction(timezone.localdate)

    class Meta:
        model = ArticlePage


class ThemeFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")

    class Meta:
        model = Theme
        django_get_or_create = ("slug",)


class InterviewPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"« Le numérique doit rester humain » {n}")
    lead = "Entretien avec une maire engagée pour l'inclusion numérique."
    publication_date = factory.LazyFunction(timezone.localdate)
    interviewer = "Claire Dubois"

    class Meta:
        model = InterviewPage


class PracticePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Un tiers-lieu numérique en milieu rural {n}")
    lead = "Comment une communauté de communes a ouvert un tiers-lieu."
    publication_date = factory.LazyFunction(timezone.localdate)
    status = PracticeStatus.DONE
    start_year = 2022
    context = "<p>Un territoire rural sans lieu d'accès au numérique.</p>"
    contact_name = "Jeanne Le Goff"
    contact_email = "jeanne.legoff@cc-exemple.fr"
    contact_phone = "02 61 91 00 00"
    collectivity = factory.LazyFunction(
        lambda: CollectivityPageFactory(parent=MemberIndexPage.objects.get())
    )

    class Meta:
        model = PracticePage


class CollectivityPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Ville exemple {n}")
    kind = CollectivityKind.COMMUNE
    region = Region.BRETAGNE
    population = 20_000
    membership_status = MembershipStatus.ACTIVE

    class Meta:
        model = CollectivityPage


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Formation cybersécurité des élus {n}")
    kind = EventKind.TRAINING
    lead = "Une matinée pour comprendre les risques et s'y préparer."
    start = factory.LazyFunction(
        lambda: (
            timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0)
            + datetime.timedelta(days=10)
        )
    )
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=3))
    city = "Rennes"
    venue = "Maison des associations"

    class Meta:
        model = EventPage


def give_mfa(user):
    """Set up an authenticator app for `user`, as staff must before using the admin."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    return user


def make_document(name: str, content: bytes, *, title: str | None = None):
    """An uploaded Wagtail document holding `content`, saved like the admin does
    (file size and hash set)."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model()(title=title or name)
    document.file.save(name, ContentFile(content), save=False)
    document._set_document_file_metadata()
    document.save()
    document.file.close()
    return document


def close_response(response) -> None:
    """Close a (file) response without closing the test's database connection:
    closing fires request_finished, whose close_old_connections would close it
    on PostgreSQL (it sees a transaction open), as Django's test client avoids."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def verified_person(email=None, **fields):
    """A user whose address is verified (primary), as after a completed sign-up."""
    user = UserFactory(**({"email": email} if email else {}), **fields)
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user
