"""A small but complete site for the browser tests, one of each page type.

Built with the factories in a few hundred milliseconds (`seed_demo` takes several
seconds, too long to run before each journey). Pages are published through
revisions, as editors do, so that they are in the search index.
"""

import datetime
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page, Site

from events.models import Audience, EventKind
from members.affiliation import affiliation_request, affiliation_set_role
from members.models import AffiliationRole, CollectivityKind, CollectivityPage
from retex.models import SiteSettings
from tests.factories import (
    ArticlePageFactory,
    CollectivityPageFactory,
    EventPageFactory,
    InterviewPageFactory,
    PracticePageFactory,
    StandardPageFactory,
    ThemeFactory,
    UserFactory,
)

PASSWORD = "motdepasse-solide-2026"


@dataclass
class Person:
    user: object
    email: str
    password: str = PASSWORD
    totp_secret: str | None = None


@dataclass
class Content:
    inclusion: object
    cybersecurity: object
    bellerive: CollectivityPage
    trois_vallees: CollectivityPage
    article: object
    interview: object
    practice: object
    training: object
    round_table: object
    standard_page: object
    staff: Person


def section(slug: str) -> Page:
    return Page.objects.get(depth=3, slug=slug).specific


def publish(page):
    page.save_revision().publish()
    return page.specific_class.objects.get(pk=page.pk)


def rich(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def person(email: str, **fields) -> Person:
    """Somebody with a verified address who can log in with PASSWORD."""
    user = UserFactory(email=email, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return Person(user=user, email=email)


def with_authenticator(somebody: Person) -> Person:
    """Set up an authenticator app, as the admin requires of staff and editors.

    The test keeps the secret, as the phone app would, to compute the codes.
    """
    somebody.totp_secret = generate_totp_secret()
    TOTP.activate(somebody.user, somebody.totp_secret)
    return somebody


def representative_of(collectivity, email: str, *, by: Person, **fields) -> Person:
    somebody = person(email, **fields)
    affiliation = affiliation_request(user=somebody.user, collectivity=collectivity)
    affiliation_set_role(
        affiliation_id=affiliation.pk,
        role=AffiliationRole.REPRESENTATIVE,
        by=by.user,
    )
    return somebody


def member_of(collectivity, email: str, **fields) -> Person:
    """A person whose address is in the collectivity's domain: joined at once."""
    somebody = person(email, **fields)
    affiliation_request(user=somebody.user, collectivity=collectivity)
    return somebody


def editor(email: str = "claire.dubois@reseau-retex.fr") -> Person:
    """An editor and moderator of the association, with an authenticator app."""
    somebody = person(email, first_name="Claire", last_name="Dubois")
    somebody.user.groups.add(
        *Group.objects.filter(name__in=["Éditeurs", "Modérateurs"])
    )
    return with_authenticator(somebody)


def build_content() -> Content:
    members = section("membres")
    resources = section("ressources")
    agenda = section("evenements")
    home = Site.objects.get(is_default_site=True).root_page

    staff = person(
        "equipe@reseau-retex.fr",
        first_name="Paul",
        last_name="Équipe",
        is_staff=True,
        is_superuser=True,
    )
    inclusion = ThemeFactory(name="Inclusion numérique", slug="inclusion-numerique")
    cybersecurity = ThemeFactory(name="Cybersécurité", slug="cybersecurite")

    bellerive = CollectivityPageFactory(
        parent=members,
        title="Ville de Bellerive",
        slug="ville-de-bellerive",
        population=48_200,
        email_domains="bellerive.fr",
        website="https://www.bellerive.fr",
        presentation=rich(
            "Bellerive accompagne ses habitants vers le numérique depuis 2019."
        ),
        roadmap_adopted=True,
        roadmap_date=datetime.date(2024, 3, 14),
    )
    bellerive.themes = [inclusion, cybersecurity]
    bellerive = publish(bellerive)
    trois_vallees = CollectivityPageFactory(
        parent=members,
        title="Communauté de communes des Trois Vallées",
        slug="cc-trois-vallees",
        kind=CollectivityKind.CC,
        population=21_400,
        commune_count=18,
        email_domains="cc-trois-vallees.fr",
    )
    trois_vallees.themes = [inclusion]
    trois_vallees = publish(trois_vallees)

    article = ArticlePageFactory(
        parent=resources,
        title="Ouvrir un lieu de médiation numérique",
        slug="ouvrir-un-lieu-de-mediation",
        lead="Les étapes d'un projet de médiation numérique, du diagnostic à "
        "l'ouverture.",
        body=[
            (
                "paragraph",
                rich(
                    "Tout commence par un diagnostic des besoins, mené avec les "
                    'associations. Voir aussi <a href="/membres/">l\'annuaire des '
                    "membres</a>."
                ),
            ),
            ("heading", {"text": "Les premières étapes", "level": "h2"}),
            (
                "quote",
                {
                    "quote": "Nous avons d'abord écouté les habitants.",
                    "author": "Awa Diallo",
                    "role": "cheffe de projet",
                },
            ),
            (
                "callout",
                {"kind": "tip", "title": "", "text": rich("Associez les bénévoles.")},
            ),
        ],
    )
    article.themes = [inclusion]
    article = publish(article)

    interview = InterviewPageFactory(
        parent=resources,
        title="« Le numérique doit rester humain »",
        slug="le-numerique-doit-rester-humain",
        lead="Entretien avec la maire de Bellerive sur l'inclusion numérique.",
        body=[
            (
                "question_answer",
                {
                    "question": "Pourquoi un plan d'inclusion numérique ?",
                    "answer": rich(
                        "Un habitant sur cinq renonçait à ses démarches en ligne."
                    ),
                },
            ),
            (
                "question_answer",
                {
                    "question": "Quel conseil donneriez-vous à une autre commune ?",
                    "answer": rich("Commencer petit, avec les associations."),
                },
            ),
        ],
    )
    interview.interviewees.create(
        name="Hélène Carré", function="maire", collectivity=bellerive
    )
    interview.themes = [inclusion]
    interview = publish(interview)

    practice = PracticePageFactory(
        parent=resources,
        title="Un tiers-lieu numérique en milieu rural",
        slug="tiers-lieu-numerique-rural",
        collectivity=trois_vallees,
        objectives=rich("Offrir un accès au numérique à moins de 15 minutes."),
    )
    practice.themes = [inclusion]
    practice = publish(practice)

    start = timezone.localtime().replace(
        hour=9, minute=30, second=0, microsecond=0
    ) + datetime.timedelta(days=12)
    training = publish(
        EventPageFactory(
            parent=agenda,
            title="Formation cybersécurité des élus",
            slug="formation-cybersecurite-des-elus",
            kind=EventKind.TRAINING,
            audience=Audience.ELECTED,
            start=start,
            end=start + datetime.timedelta(hours=3),
            capacity=1,
            waitlist_enabled=True,
            members_only=True,
        )
    )
    round_table = publish(
        EventPageFactory(
            parent=agenda,
            title="Table ronde : la sobriété numérique",
            slug="table-ronde-sobriete-numerique",
            kind=EventKind.ROUND_TABLE,
            start=start + datetime.timedelta(days=7),
            end=start + datetime.timedelta(days=7, hours=2),
            online=True,
            city="",
            venue="",
        )
    )

    standard_page = publish(
        StandardPageFactory(
            parent=home,
            title="Accessibilité",
            slug="accessibilite",
            lead="Notre engagement pour un site utilisable par toutes et tous.",
            body=[
                ("heading", {"text": "État de conformité", "level": "h2"}),
                ("paragraph", rich("Le site vise la conformité au RGAA.")),
            ],
        )
    )
    site_settings = SiteSettings.load()
    site_settings.contact_email = "contact@reseau-retex.fr"
    site_settings.footer_links = [
        ("link", {"label": "Accessibilité", "page": standard_page, "url": ""})
    ]
    site_settings.save()

    return Content(
        inclusion=inclusion,
        cybersecurity=cybersecurity,
        bellerive=bellerive,
        trois_vallees=trois_vallees,
        article=article,
        interview=interview,
        practice=practice,
        training=training,
        round_table=round_table,
        standard_page=standard_page,
        staff=staff,
    )
