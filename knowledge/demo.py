"""Demo knowledge pages for `seed_demo`: articles, interviews and practices.

The content is in `retex/demo_data/articles.yaml`, `interviews.yaml` and
`practices.yaml`; this module only turns their records into page fields. Real
places, invented people. Themes and related collectivities are given by slug; the
collectivities must be seeded first. One article is members-only.
"""

from datetime import timedelta

from django.utils import timezone

from knowledge.models import (
    ArticlePage,
    BudgetRange,
    InterviewPage,
    PracticePage,
    PracticeStatus,
)
from members.models import CollectivityPage
from retex.demo import (
    Stream,
    load_demo_data,
    resolve,
    resolve_one,
    restrict_to_members,
    upsert_page,
)
from retex.demo_images import CREDIT, demo_illustration, demo_portrait
from retex.models import Theme

# Every knowledge page: "days_ago" dates its publication from today.
COMMON_SCHEMA = {
    "slug": str,
    "title": str,
    "days_ago": int,
    "themes": [str],
    "collectivities": [str],
    "lead": str,
}

ARTICLES_SCHEMA = {
    "articles": [
        {**COMMON_SCHEMA, "body?": Stream(ArticlePage), "members_only?": bool}
    ],
}

INTERVIEWS_SCHEMA = {
    "interviews": [
        {
            **COMMON_SCHEMA,
            "body?": Stream(InterviewPage),
            "interviewer": str,
            "interviewees": [
                {
                    "name": str,
                    "function": str,
                    # A member collectivity by slug, or the name of another one.
                    "collectivity?": str,
                    "collectivity_name?": str,
                }
            ],
        }
    ],
}

PRACTICE_FIELDS = {
    "status": PracticeStatus,
    "start_year": int,
    "budget_range": BudgetRange,
    "partners": str,
    **dict.fromkeys(PracticePage.SECTIONS, str),
    "contact_name": str,
    "contact_function": str,
    "contact_email": str,
    "contact_phone": str,
}

PRACTICES_SCHEMA = {
    "practices": [
        {
            **COMMON_SCHEMA,
            "body?": Stream(PracticePage),
            "collectivity": str,
            **PRACTICE_FIELDS,
        }
    ],
}


def load_articles():
    return load_demo_data("articles", ARTICLES_SCHEMA)["articles"]


def load_interviews():
    return load_demo_data("interviews", INTERVIEWS_SCHEMA)["interviews"]


def load_practices():
    return load_demo_data("practices", PRACTICES_SCHEMA)["practices"]


class Lookup:
    """Themes and member collectivities by slug, fetched once."""

    def __init__(self):
        self.themes = {theme.slug: theme for theme in Theme.objects.all()}
        self.collectivities = {
            page.slug: page for page in CollectivityPage.objects.all()
        }

    def theme_list(self, slugs):
        return resolve(self.themes, slugs, "theme")

    def collectivity(self, slug):
        return resolve_one(self.collectivities, slug, "member collectivity")

    def collectivity_list(self, slugs):
        return [self.collectivity(slug) for slug in slugs]


def common_values(data, lookup):
    """The fields every knowledge page has."""
    return {
        "title": data["title"],
        "lead": data["lead"],
        "publication_date": timezone.localdate() - timedelta(days=data["days_ago"]),
        "body": data.get("body", []),
        "themes": lookup.theme_list(data["themes"]),
        "related_collectivities": lookup.collectivity_list(data["collectivities"]),
        # A generated, abstract illustration: decorative (alt="").
        "hero_image": demo_illustration(f"ressource-{data['slug']}"),
        "hero_image_alt": "",
        "hero_image_decorative": True,
        "hero_image_credit": CREDIT,
    }


def seed_articles(index, stats, lookup=None):
    """Upsert the articles; return the members-only ones."""
    lookup = lookup or Lookup()
    members_only = []
    for data in load_articles():
        page = upsert_page(
            index, ArticlePage, data["slug"], common_values(data, lookup), stats
        )
        if data.get("members_only"):
            members_only.append(page)
    return members_only


def seed_interviews(index, stats, lookup=None):
    lookup = lookup or Lookup()
    for data in load_interviews():
        interviewees = [
            {
                "name": person["name"],
                "function": person["function"],
                "collectivity": (
                    lookup.collectivity(person["collectivity"])
                    if "collectivity" in person
                    else None
                ),
                "collectivity_name": person.get("collectivity_name", ""),
                "portrait": demo_portrait(person["name"]),
            }
            for person in data["interviewees"]
        ]
        values = {
            **common_values(data, lookup),
            "interviewer": data["interviewer"],
            "interviewees": interviewees,
        }
        upsert_page(index, InterviewPage, data["slug"], values, stats)


def seed_practices(index, stats, lookup=None):
    lookup = lookup or Lookup()
    for data in load_practices():
        values = {
            **common_values(data, lookup),
            "collectivity": lookup.collectivity(data["collectivity"]),
            **{name: data[name] for name in PRACTICE_FIELDS},
        }
        upsert_page(index, PracticePage, data["slug"], values, stats)


def seed_knowledge(index, stats):
    """Articles, interviews and practices, one article restricted to members.

    Needs the themes (a migration) and the member collectivities (seeded before).
    """
    lookup = Lookup()
    members_only = seed_articles(index, stats, lookup)
    seed_interviews(index, stats, lookup)
    seed_practices(index, stats, lookup)
    for page in members_only:
        restrict_to_members(page)
