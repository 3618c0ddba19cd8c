"""The benchmark corpus: a large, realistic network written in bulk.

By default (scale 1) 1,500 member collectivities taken from the official
referential, 5,000 people with verified addresses and affiliations, 20,000
articles, interviews and practices of 400 to 1,500 words, 2,000 events with
their sessions and 100,000 registrations.

Speed comes from bulk writes: `bulk_create` for plain models, and for pages
(multi-table models, which `bulk_create` refuses) the `wagtailcore_page` rows in
bulk, then one `executemany` per table of the model's ancestry, with the values
prepared by each field (`get_db_prep_save`) as Django would. Tree paths, depth,
`numchild` and `url_path` are computed the way treebeard and Wagtail compute
them, so the pages are ordinary live pages: they route, render, move and
publish like any other. What `save()` would compute is computed with the
model's own code (`reading_minutes`), and the signals that `save()` would send
are replaced by one `search_reindex` afterwards (run by `bench.run`).

`generate()` adds to what the database holds: `bench.run` calls it once for a
tenth of the corpus, measures the queries per page, then again for the rest, so
that query counts are compared on the same pages as the corpus grows.
"""

import datetime
import functools
import random
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.models import Page, PageViewRestriction

from bench.french import (
    FIRST_NAMES,
    FUNCTIONS,
    HEADINGS,
    LAST_NAMES,
    VENUES,
    TextPool,
    person_name,
)
from events.models import (
    Audience,
    EventIndexPage,
    EventKind,
    EventPage,
    EventSession,
    Registration,
    RegistrationStatus,
)
from knowledge.models import (
    ArticlePage,
    BudgetRange,
    Interviewee,
    InterviewPage,
    KnowledgeIndexPage,
    KnowledgePage,
    PracticePage,
    PracticeStatus,
    reading_minutes,
)
from members.models import (
    Affiliation,
    AffiliationRole,
    AffiliationStatus,
    CollectivityContact,
    CollectivityKind,
    CollectivityPage,
    MemberIndexPage,
    MembershipStatus,
    PersonStatus,
    User,
)
from retex.models import Theme
from retex.visibility import MEMBERS_GROUP
from territories.extract import read_extract

BATCH = 1000
# One knowledge page in a thousand is restricted to members, as editors do for
# the network's internal notes: listings and search must leave them out.
MEMBERS_ONLY_EVERY = 1000
EMAIL_DOMAIN = "bench.retex.localhost"


@dataclass(frozen=True)
class Sizes:
    collectivities: int
    users: int
    knowledge: int
    events: int
    registrations: int
    # Mutual-aid threads (`aid`): questions by members, answers by others.
    questions: int = 0
    answers: int = 0

    @classmethod
    def for_scale(cls, scale: float) -> "Sizes":
        return cls(**{name: round(count * scale) for name, count in DEFAULT.items()})

    def minus(self, other: "Sizes") -> "Sizes":
        return Sizes(
            **{
                name: max(0, getattr(self, name) - getattr(other, name))
                for name in DEFAULT
            }
        )


DEFAULT = {
    "collectivities": 1_500,
    "users": 5_000,
    "knowledge": 20_000,
    "events": 2_000,
    "registrations": 100_000,
    "questions": 5_000,
    "answers": 20_000,
}


@functools.cache
def _extract():
    """The official referential shipped with the territories app (read once)."""
    return read_extract()


class _NoProgress:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def no_progress(label: str, total: int) -> _NoProgress:
    return _NoProgress()


@dataclass
class Report:
    rows: Counter = field(default_factory=Counter)
    seconds: dict = field(default_factory=dict)


# --- Writing pages in bulk ---------------------------------------------------------


def _insert_rows(model, objects) -> None:
    """INSERT the fields `model`'s own table holds (not its parents') for
    `objects`, in one `executemany`, with values prepared as Django prepares them."""
    fields = model._meta.local_concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 (names come from the model)
    )
    rows = [
        [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


class PageWriter:
    """Children of one index page, written in bulk with correct tree fields."""

    def __init__(self, parent: Page):
        self.parent = parent
        last = parent.get_last_child()
        self.step = Page._str2int(last.path[-Page.steplen :]) if last else 0
        self.slugs = set(
            Page.objects.filter(
                path__startswith=parent.path, depth=parent.depth + 1
            ).values_list("slug", flat=True)
        )
        self.slug_suffix = defaultdict(int)

    def unique_slug(self, title: str) -> str:
        base = slugify(title)[:80].strip("-") or "page"
        slug = base
        while slug in self.slugs:
            self.slug_suffix[base] += 1
            slug = f"{base}-{self.slug_suffix[base] + 1}"
        self.slugs.add(slug)
        return slug

    def write(self, objects: list[Page], published: list[datetime.datetime]) -> None:
        """Give `objects` (instances of one specific page model) their tree fields
        and write them: the base page rows, then each table of the model's ancestry."""
        if not objects:
            return
        model = type(objects[0])
        content_type = ContentType.objects.get_for_model(model)
        depth = self.parent.depth + 1
        base_rows = []
        for obj, when in zip(objects, published, strict=True):
            self.step += 1
            obj.path = Page._get_path(self.parent.path, depth, self.step)
            obj.depth = depth
            obj.numchild = 0
            obj.url_path = f"{self.parent.url_path}{obj.slug}/"
            obj.draft_title = obj.title
            obj.live = True
            obj.has_unpublished_changes = False
            obj.first_published_at = obj.last_published_at = when
            obj.latest_revision_created_at = when
            obj.locale_id = self.parent.locale_id
            obj.translation_key = uuid.uuid4()
            obj.content_type_id = content_type.pk
            base_rows.append(
                Page(
                    **{
                        f.attname: getattr(obj, f.attname)
                        for f in Page._meta.concrete_fields
                        if f.attname != "id"
                    }
                )
            )
        Page.objects.bulk_create(base_rows)
        for obj, row in zip(objects, base_rows, strict=True):
            obj.pk = obj.id = row.pk
            obj.page_ptr_id = row.pk
            if isinstance(obj, KnowledgePage) and model is not KnowledgePage:
                obj.knowledgepage_ptr_id = row.pk
        for ancestor in reversed(model._meta.get_parent_list()):
            if ancestor is not Page and not ancestor._meta.abstract:
                _insert_rows(ancestor, objects)
        _insert_rows(model, objects)

    def finish(self) -> None:
        self.parent.numchild = Page.objects.filter(
            path__startswith=self.parent.path, depth=self.parent.depth + 1
        ).count()
        Page.objects.filter(pk=self.parent.pk).update(numchild=self.parent.numchild)


# --- Generation --------------------------------------------------------------------


class Generator:
    def __init__(self, *, seed: int, progress: Callable = no_progress):
        self.rng = random.Random(seed)  # noqa: S311 (a reproducible corpus, not secrets)
        self.text = TextPool(self.rng)
        self.progress = progress
        self.report = Report()
        self.now = timezone.now()
        self.themes = list(Theme.objects.order_by("pk"))
        self.members_group = Group.objects.get_or_create(name=MEMBERS_GROUP)[0]

    # Helpers ---------------------------------------------------------------------

    def _phase(self, name: str, total: int):
        return _Phase(self, name, total)

    def _pick_themes(self, low: int = 1, high: int = 3) -> list[Theme]:
        return self.rng.sample(self.themes, self.rng.randint(low, high))

    def _rich(self, paragraphs: list[str]) -> str:
        return "".join(f"<p>{escape(text)}</p>" for text in paragraphs)

    def _body(self, themes: list[str], words: int) -> tuple[list[dict], list[str]]:
        """StreamField data (headings, paragraphs, a quote, a callout) and its text."""
        blocks, texts = [], []
        for index, text in enumerate(self.text.paragraphs(themes, words)):
            if index and index % 3 == 0:
                heading = self.rng.choice(HEADINGS)
                blocks.append(
                    {"type": "heading", "value": {"text": heading, "level": "h2"}}
                )
                texts.append(heading)
            if index == 4:
                first, last = person_name(self.rng)
                quote = self.text.quote()
                blocks.append(
                    {
                        "type": "quote",
                        "value": {
                            "quote": quote,
                            "author": f"{first} {last}",
                            "role": self.rng.choice(FUNCTIONS),
                        },
                    }
                )
                texts.append(quote)
            blocks.append({"type": "paragraph", "value": f"<p>{escape(text)}</p>"})
            texts.append(text)
        callout = self.text.paragraph(themes, 2)
        blocks.append(
            {
                "type": "callout",
                "value": {
                    "kind": "tip",
                    "title": "À retenir",
                    "text": f"<p>{callout}</p>",
                },
            }
        )
        texts.append(callout)
        return blocks, texts

    def _past(self, max_days: int) -> datetime.datetime:
        return self.now - datetime.timedelta(
            days=self.rng.randint(1, max_days), minutes=self.rng.randint(0, 1440)
        )

    def _m2m(self, model, rows: list) -> None:
        model.objects.bulk_create(rows, batch_size=BATCH)
        self.report.rows[model._meta.label] += len(rows)

    # Collectivities ---------------------------------------------------------------

    def collectivities(self, count: int) -> None:
        if count <= 0:
            return
        extract = _extract()
        taken = set(
            CollectivityPage.objects.exclude(siren="").values_list("siren", flat=True)
        )
        members_of = defaultdict(list)
        for commune in extract.communes:
            if commune["epci"]:
                members_of[commune["epci"]].append(
                    f"{commune['name']} ({commune['code']})"
                )
        regions = {r["code"]: r["name"] for r in extract.regions}
        departments = {d["code"]: d for d in extract.departments}
        communes_by_size = sorted(
            (c for c in extract.communes if c["siren"] not in taken),
            key=lambda c: -(c["population"] or 0),
        )
        candidates = []
        share = {"region": 0.01, "department": 0.06, "epci": 0.22}
        for code, name in list(regions.items())[: round(count * share["region"])]:
            candidates.append(
                {
                    "title": f"Région {name}",
                    "kind": CollectivityKind.REGION,
                    "siren": "",
                    "insee_code": code,
                    "region": code,
                    "department": "",
                }
            )
        for code, row in list(departments.items())[
            : round(count * share["department"])
        ]:
            candidates.append(
                {
                    "title": f"Département {row['name']}",
                    "kind": CollectivityKind.DEPARTEMENT,
                    "siren": "",
                    "insee_code": code,
                    "region": row["region"],
                    "department": code,
                }
            )
        epci_kinds = {
            "CC": CollectivityKind.CC,
            "CA": CollectivityKind.CA,
            "CU": CollectivityKind.CU,
            "METRO": CollectivityKind.METROPOLE,
            "MET69": CollectivityKind.METROPOLE,
        }
        epcis = [e for e in extract.epci if e["siren"] not in taken]
        self.rng.shuffle(epcis)
        for row in epcis[: round(count * share["epci"])]:
            department = departments.get(row["department"] or "")
            candidates.append(
                {
                    "title": row["name"],
                    "kind": epci_kinds.get(row["kind"], CollectivityKind.OTHER),
                    "siren": row["siren"],
                    "insee_code": "",
                    "region": department["region"] if department else "11",
                    "department": row["department"] or "",
                    "population": row["population"],
                    "commune_count": len(members_of[row["siren"]]),
                    "member_communes": "\n".join(members_of[row["siren"]]),
                }
            )
        pool = communes_by_size[: max(4 * count, 1000)]
        self.rng.shuffle(pool)
        for row in pool[: max(0, count - len(candidates))]:
            candidates.append(
                {
                    "title": row["name"],
                    "kind": CollectivityKind.COMMUNE,
                    "siren": row["siren"] or "",
                    "insee_code": row["code"],
                    "region": row["region"],
                    "department": row["department"],
                    "population": row["population"],
                }
            )
        # Regions and departments already present are skipped (no SIREN to test).
        existing_titles = set(CollectivityPage.objects.values_list("title", flat=True))
        candidates = [c for c in candidates if c["title"] not in existing_titles]

        index = MemberIndexPage.objects.get()
        writer = PageWriter(index)
        with self._phase("collectivities", len(candidates)) as phase:
            for start in range(0, len(candidates), BATCH):
                chunk = candidates[start : start + BATCH]
                pages, published = [], []
                for values in chunk:
                    pages.append(self._collectivity(writer, values))
                    published.append(self._past(3000))
                writer.write(pages, published)
                self._collectivity_relations(pages)
                phase.update(len(pages))
        writer.finish()

    def _collectivity(self, writer: PageWriter, values: dict) -> CollectivityPage:
        rng = self.rng
        slug = writer.unique_slug(values["title"])
        status = rng.choices(
            [
                MembershipStatus.ACTIVE,
                MembershipStatus.PENDING,
                MembershipStatus.LAPSED,
            ],
            weights=[85, 10, 5],
        )[0]
        roadmap = rng.random() < 0.4
        themes = [t.slug for t in self._pick_themes(1, 4)]
        page = CollectivityPage(
            title=values["title"],
            slug=slug,
            kind=values["kind"],
            siren=values["siren"],
            insee_code=values["insee_code"],
            region=values["region"],
            department=values["department"],
            population=values.get("population"),
            commune_count=values.get("commune_count"),
            member_communes=values.get("member_communes", ""),
            website=f"https://www.{slug[:50]}.fr",
            presentation=self._rich(self.text.paragraphs(themes, 120)),
            roadmap_adopted=roadmap,
            roadmap_date=(
                self.now - datetime.timedelta(days=rng.randint(30, 2000))
            ).date()
            if roadmap
            else None,
            email_domains=f"{slug[:50]}.fr",
            membership_status=status,
            member_since=(
                self.now - datetime.timedelta(days=rng.randint(30, 4000))
            ).date()
            if status != MembershipStatus.PENDING
            else None,
        )
        page._bench_themes = themes
        return page

    def _collectivity_relations(self, pages: list[CollectivityPage]) -> None:
        by_slug = {t.slug: t for t in self.themes}
        through = CollectivityPage.themes.through
        self._m2m(
            through,
            [
                through(collectivitypage_id=page.pk, theme_id=by_slug[slug].pk)
                for page in pages
                for slug in page._bench_themes
            ],
        )
        contacts = []
        for page in pages:
            for order in range(self.rng.randint(1, 2)):
                first, last = person_name(self.rng)
                contacts.append(
                    CollectivityContact(
                        page_id=page.pk,
                        sort_order=order,
                        name=f"{first} {last}",
                        function=self.rng.choice(FUNCTIONS),
                        email=f"{slugify(first)}.{slugify(last)}@{page.email_domains}",
                        phone=f"02 {self.rng.randint(10, 99)} "
                        f"{self.rng.randint(10, 99)} {self.rng.randint(10, 99)} "
                        f"{self.rng.randint(10, 99)}",
                    )
                )
        self._m2m(CollectivityContact, contacts)

    # People -----------------------------------------------------------------------

    def users(self, count: int) -> None:
        if count <= 0:
            return
        offset = User.objects.count()
        collectivities = list(
            CollectivityPage.objects.live().values_list(
                "pk", "membership_status", "population"
            )
        )
        represented = set(
            Affiliation.objects.filter(role=AffiliationRole.REPRESENTATIVE).values_list(
                "collectivity_id", flat=True
            )
        )
        # Bigger collectivities send more people.
        weights = [
            (population or 5_000) ** 0.5 for _pk, _s, population in collectivities
        ]
        password = make_password(None)  # Nobody logs in with a password here.
        with self._phase("people", count) as phase:
            for start in range(0, count, BATCH):
                size = min(BATCH, count - start)
                users = []
                for number in range(offset + start, offset + start + size):
                    first, last = (
                        self.rng.choice(FIRST_NAMES),
                        self.rng.choice(LAST_NAMES),
                    )
                    elected = self.rng.random() < 0.35
                    users.append(
                        User(
                            email=f"{slugify(first)}.{slugify(last)}.{number}@{EMAIL_DOMAIN}",
                            first_name=first,
                            last_name=last,
                            password=password,
                            status=PersonStatus.ELECTED
                            if elected
                            else PersonStatus.AGENT,
                            function_title=self.rng.choice(FUNCTIONS),
                            date_joined=self._past(1500),
                        )
                    )
                User.objects.bulk_create(users)
                self.report.rows["members.User"] += len(users)
                self._m2m(
                    EmailAddress,
                    [
                        EmailAddress(
                            user_id=u.pk, email=u.email, verified=True, primary=True
                        )
                        for u in users
                    ],
                )
                affiliations, memberships = [], []
                picks = self.rng.choices(collectivities, weights=weights, k=len(users))
                for user, (collectivity_id, status, _pop) in zip(
                    users, picks, strict=True
                ):
                    roll = self.rng.random()
                    if roll < 0.1:
                        continue  # Not attached to any collectivity (yet).
                    approved = roll >= 0.15
                    role = AffiliationRole.MEMBER
                    if approved and collectivity_id not in represented:
                        role = AffiliationRole.REPRESENTATIVE
                        represented.add(collectivity_id)
                    affiliations.append(
                        Affiliation(
                            user_id=user.pk,
                            collectivity_id=collectivity_id,
                            status=AffiliationStatus.APPROVED
                            if approved
                            else AffiliationStatus.PENDING,
                            role=role,
                            decided_at=user.date_joined if approved else None,
                        )
                    )
                    if approved and status == MembershipStatus.ACTIVE:
                        memberships.append(
                            User.groups.through(
                                user_id=user.pk, group_id=self.members_group.pk
                            )
                        )
                self._m2m(Affiliation, affiliations)
                self._m2m(User.groups.through, memberships)
                phase.update(len(users))

    # Knowledge --------------------------------------------------------------------

    def knowledge(self, count: int) -> None:
        if count <= 0:
            return
        index = KnowledgeIndexPage.objects.get()
        writer = PageWriter(index)
        collectivities = list(
            CollectivityPage.objects.live().values_list("pk", "title", "kind")
        )
        kinds = self.rng.choices(
            [ArticlePage, InterviewPage, PracticePage], weights=[50, 20, 30], k=count
        )
        restricted = []
        with self._phase("knowledge pages", count) as phase:
            for start in range(0, count, BATCH):
                by_model = defaultdict(list)
                for rank, model in enumerate(kinds[start : start + BATCH], start=start):
                    page, when = self._knowledge_page(model, collectivities, writer)
                    page._bench_rank = rank
                    by_model[model].append((page, when))
                for items in by_model.values():
                    pages = [page for page, _when in items]
                    writer.write(pages, [when for _page, when in items])
                    self._knowledge_relations(pages, collectivities)
                    for page in pages:
                        # The first page of every thousand: a corpus of any size
                        # has some, so listings pay for restrictions from the start.
                        if page._bench_rank % MEMBERS_ONLY_EVERY == 0:
                            restricted.append(page)
                phase.update(min(BATCH, count - start))
        writer.finish()
        for page in restricted:
            restriction = PageViewRestriction.objects.create(
                page=page, restriction_type=PageViewRestriction.GROUPS
            )
            restriction.groups.add(self.members_group)
        self.report.rows["wagtailcore.PageViewRestriction"] += len(restricted)

    def _knowledge_page(self, model, collectivities, writer):
        rng = self.rng
        themes = self._pick_themes()
        slugs = [t.slug for t in themes]
        published = self._past(8 * 365)
        words = rng.randint(400, 1500)
        collectivity = rng.choice(collectivities) if collectivities else None
        first, last = person_name(rng)
        common = {
            "lead": self.text.lead(slugs[0]),
            "publication_date": timezone.localtime(published).date(),
            "credits": f"Rédaction : {first} {last}",
        }
        texts = []
        if model is InterviewPage:
            name = f"{first} {last}"
            title = self.text.interview_title(name)
            body = []
            for _ in range(max(3, words // 160)):
                question = self.text.question(slugs[0])
                answer = self.text.paragraphs(slugs, 110)
                body.append(
                    {
                        "type": "question_answer",
                        "value": {"question": question, "answer": self._rich(answer)},
                    }
                )
                texts.extend([question, *answer])
            page = InterviewPage(
                title=title,
                body=body,
                interviewer=self.rng.choice(LAST_NAMES),
                **common,
            )
            page._bench_interviewee = (name, collectivity)
            texts.append(name)
        elif model is PracticePage:
            place = collectivity[1] if collectivity else "Lannion"
            title = self.text.practice_title(slugs[0], place)
            sections = {
                name: self.text.paragraphs(slugs, words // 6)
                for name in PracticePage.SECTIONS
            }
            body, body_texts = self._body(slugs, words // 6)
            page = PracticePage(
                title=title,
                body=body,
                collectivity_id=collectivity[0] if collectivity else None,
                status=rng.choice(PracticeStatus.values),
                start_year=rng.randint(2015, 2025),
                budget_range=rng.choice(BudgetRange.values),
                partners=", ".join(
                    rng.sample(
                        [
                            "Banque des territoires",
                            "ANCT",
                            "la région",
                            "le département",
                            "l'ADEME",
                            "un prestataire local",
                        ],
                        2,
                    )
                ),
                contact_name=f"{first} {last}",
                contact_function=rng.choice(FUNCTIONS),
                contact_email=f"{slugify(first)}.{slugify(last)}@{EMAIL_DOMAIN}",
                **{
                    name: self._rich(paragraphs)
                    for name, paragraphs in sections.items()
                },
                **common,
            )
            texts.extend(body_texts)
            for paragraphs in sections.values():
                texts.extend(paragraphs)
        else:
            title = self.text.article_title(slugs[0])
            body, texts = self._body(slugs, words)
            page = ArticlePage(title=title, body=body, **common)
        page.slug = writer.unique_slug(title)
        page.kind = model.KIND
        page.reading_minutes = reading_minutes(
            "\n".join([title, common["lead"], *texts])
        )
        page._bench_themes = themes
        page._bench_related = (
            [collectivity[0]] if collectivity and model is not PracticePage else []
        )
        return page, published

    def _knowledge_relations(self, pages, collectivities) -> None:
        themes = KnowledgePage.themes.through
        self._m2m(
            themes,
            [
                themes(knowledgepage_id=page.pk, theme_id=theme.pk)
                for page in pages
                for theme in page._bench_themes
            ],
        )
        related = KnowledgePage.related_collectivities.through
        self._m2m(
            related,
            [
                related(knowledgepage_id=page.pk, collectivitypage_id=pk)
                for page in pages
                for pk in page._bench_related
            ],
        )
        interviewees = []
        for page in pages:
            person = getattr(page, "_bench_interviewee", None)
            if person:
                name, collectivity = person
                interviewees.append(
                    Interviewee(
                        page_id=page.pk,
                        sort_order=0,
                        name=name,
                        function=self.rng.choice(FUNCTIONS),
                        collectivity_id=collectivity[0] if collectivity else None,
                    )
                )
        self._m2m(Interviewee, interviewees)

    # Events -----------------------------------------------------------------------

    def events(self, count: int) -> list[EventPage]:
        if count <= 0:
            return []
        extract = _extract()
        towns = [c for c in extract.communes if (c["population"] or 0) > 20_000]
        index = EventIndexPage.objects.get()
        writer = PageWriter(index)
        created = []
        with self._phase("events", count) as phase:
            for start in range(0, count, BATCH):
                items = [
                    self._event(writer, towns) for _ in range(min(BATCH, count - start))
                ]
                pages = [page for page, _sessions in items]
                writer.write(pages, [self._past(200) for _ in pages])
                sessions = [
                    EventSession(page_id=page.pk, sort_order=order, start=s, end=e)
                    for page, bounds in items
                    for order, (s, e) in enumerate(bounds)
                ]
                self._m2m(EventSession, sessions)
                through = EventPage.themes.through
                self._m2m(
                    through,
                    [
                        through(eventpage_id=page.pk, theme_id=theme.pk)
                        for page in pages
                        for theme in page._bench_themes
                    ],
                )
                created.extend(pages)
                phase.update(len(pages))
        writer.finish()
        return created

    def _event(self, writer, towns):
        rng = self.rng
        kind = rng.choices(EventKind.values, weights=[40, 20, 15, 22, 3])[0]
        themes = self._pick_themes(1, 2)
        slugs = [t.slug for t in themes]
        # A tenth in the last 30 days, the rest over the next 18 months: the
        # public feed (upcoming and 30 past days) then carries the whole agenda.
        if rng.random() < 0.1:
            day = self.now - datetime.timedelta(days=rng.randint(1, 29))
        else:
            day = self.now + datetime.timedelta(days=rng.randint(2, 540))
        day = timezone.localtime(day).replace(
            hour=9, minute=30, second=0, microsecond=0
        )
        days = 2 if kind == EventKind.CONGRESS else rng.choice((1, 1, 1, 2))
        sessions = [
            (
                day + datetime.timedelta(days=n),
                day + datetime.timedelta(days=n, hours=7),
            )
            for n in range(days)
        ]
        online = kind == EventKind.WEBINAR or rng.random() < 0.1
        town = rng.choice(towns)
        title = self.text.event_title(kind, slugs[0])
        body, _texts = self._body(slugs, rng.randint(150, 400))
        capacity = (
            None
            if online and rng.random() < 0.5
            else rng.choice((20, 30, 50, 80, 120, 200))
        )
        first, last = person_name(rng)
        page = EventPage(
            title=title,
            slug=writer.unique_slug(title),
            kind=kind,
            lead=self.text.lead(slugs[0]),
            audience=rng.choice(Audience.values),
            start=sessions[0][0],
            end=sessions[-1][1],
            online=online,
            online_link="https://visio.example.org/salle-" + str(rng.randint(100, 999))
            if online
            else "",
            venue="" if online else rng.choice(VENUES),
            address="" if online else f"{rng.randint(1, 80)} rue de la République",
            postcode=""
            if online
            else (town["department"] + "000")[:5].replace("A", "0").replace("B", "0"),
            city="" if online else town["name"],
            region="" if online else town["region"],
            speakers=f"{first} {last}, {rng.choice(FUNCTIONS)}",
            partners="Banque des territoires",
            price_info="Gratuit pour les membres",
            body=body,
            capacity=capacity,
            waitlist_enabled=True,
            members_only=rng.random() < 0.2,
        )
        page._bench_themes = themes
        return page, sessions

    def questions(self, count: int, answers: int) -> None:
        """Mutual-aid questions by members, `answers` answers spread over them
        (a third of the questions without any, as on a live network); a
        question in three answered is resolved (one solution); one in fifty
        is hidden by the moderators. Rows only: `search_reindex` indexes them."""
        from aid.models import Answer, Question, QuestionStatus

        if count <= 0:
            return
        members = list(
            Affiliation.objects.filter(
                status=AffiliationStatus.APPROVED,
                user__email__endswith=EMAIL_DOMAIN,
            ).values_list("user_id", "collectivity_id")
        )
        if len(members) < 2:
            return
        with self._phase("questions", count + answers) as phase:
            created = []
            for start in range(0, count, BATCH):
                batch = []
                for _ in range(min(BATCH, count - start)):
                    theme = self.rng.choice(self.themes)
                    author, collectivity = self.rng.choice(members)
                    batch.append(
                        Question(
                            title=self.text.question(theme.slug)[:200],
                            details="\n\n".join(
                                self.text.paragraphs([theme.slug], 80)[:2]
                            ),
                            author_id=author,
                            collectivity_id=collectivity,
                            hidden=self.rng.random() < 0.02,
                            token=uuid.UUID(int=self.rng.getrandbits(128)),
                        )
                    )
                Question.objects.bulk_create(batch)
                self.report.rows["aid.Question"] += len(batch)
                created.extend(batch)
                through = Question.themes.through
                self._m2m(
                    through,
                    [
                        through(question_id=q.pk, theme_id=t.pk)
                        for q in batch
                        for t in self._pick_themes(1, 2)
                    ],
                )
                phase.update(len(batch))
            answered = [q for q in created if self.rng.random() < 2 / 3] or created
            rows = []
            for number in range(answers):
                question = answered[number % len(answered)]
                author, collectivity = self.rng.choice(members)
                rows.append(
                    Answer(
                        question_id=question.pk,
                        author_id=author,
                        collectivity_id=collectivity,
                        body="\n\n".join(self.text.paragraphs([], 60)[:2]),
                        hidden=self.rng.random() < 0.01,
                        token=uuid.UUID(int=self.rng.getrandbits(128)),
                    )
                )
                if len(rows) == BATCH:
                    self._m2m(Answer, rows)
                    phase.update(len(rows))
                    rows = []
            if rows:
                self._m2m(Answer, rows)
                phase.update(len(rows))
            resolved = [q.pk for q in answered if self.rng.random() < 1 / 3]
            # One solution each (the first answer given), in one statement.
            first = {}
            for question_id, answer_id in (
                Answer.objects.filter(question_id__in=resolved, hidden=False)
                .order_by("question_id", "-pk")
                .values_list("question_id", "pk")
            ):
                first[question_id] = answer_id
            Answer.objects.filter(pk__in=list(first.values())).update(is_solution=True)
            Question.objects.filter(pk__in=list(first)).update(
                status=QuestionStatus.RESOLVED
            )
            # Answers written in bulk send no signal: `answered` set here, as
            # `aid.signals` keeps it.
            from aid.signals import refresh_answered

            refresh_answered([q.pk for q in answered])

    def registrations(self, count: int, events: list[EventPage]) -> None:
        if count <= 0 or not events:
            return
        users = list(
            User.objects.filter(email__endswith=EMAIL_DOMAIN).values_list(
                "pk", flat=True
            )
        )
        collectivity_of = dict(
            Affiliation.objects.filter(status=AffiliationStatus.APPROVED).values_list(
                "user_id", "collectivity_id"
            )
        )
        weights = [self.rng.uniform(0.2, 1.8) for _ in events]
        total = sum(weights)
        wanted = [min(len(users), int(count * w / total)) for w in weights]
        for index in range(count - sum(wanted)):
            wanted[index % len(events)] += 1
        with self._phase("registrations", count) as phase:
            batch = []
            for event, number in zip(events, wanted, strict=True):
                number = min(number, len(users))
                # Most full events were given more seats; some keep a waitlist.
                if (
                    event.capacity is not None
                    and number > event.capacity
                    and self.rng.random() < 0.7
                ):
                    event.capacity = number + self.rng.randint(0, 20)
                    EventPage.objects.filter(pk=event.pk).update(
                        capacity=event.capacity
                    )
                opens = event.start - datetime.timedelta(days=90)
                moments = sorted(
                    opens + datetime.timedelta(seconds=self.rng.randint(0, 88 * 86400))
                    for _ in range(number)
                )
                past = event.start < self.now
                seats = event.capacity
                for user_id, moment in zip(
                    self.rng.sample(users, number), moments, strict=True
                ):
                    moment = min(moment, self.now)
                    cancelled = self.rng.random() < 0.05
                    # Seats go in arrival order; a cancellation frees no seat here
                    # because it is counted before the seat is given.
                    confirmed = not cancelled and (seats is None or seats > 0)
                    if confirmed and seats is not None:
                        seats -= 1
                    status = (
                        RegistrationStatus.CANCELLED
                        if cancelled
                        else RegistrationStatus.CONFIRMED
                        if confirmed
                        else RegistrationStatus.WAITLISTED
                    )
                    batch.append(
                        Registration(
                            event_id=event.pk,
                            user_id=user_id,
                            status=status,
                            collectivity_id=collectivity_of.get(user_id),
                            created_at=moment,
                            confirmed_at=moment if confirmed else None,
                            waitlisted_at=moment
                            if status == RegistrationStatus.WAITLISTED
                            else None,
                            cancelled_at=moment if cancelled else None,
                            attended=(self.rng.random() < 0.85)
                            if past and status == RegistrationStatus.CONFIRMED
                            else None,
                        )
                    )
                if len(batch) >= BATCH:
                    Registration.objects.bulk_create(batch)
                    phase.update(len(batch))
                    self.report.rows["events.Registration"] += len(batch)
                    batch = []
            Registration.objects.bulk_create(batch)
            phase.update(len(batch))
            self.report.rows["events.Registration"] += len(batch)


class _Phase:
    def __init__(self, generator: Generator, name: str, total: int):
        self.generator, self.name, self.total = generator, name, total

    def __enter__(self):
        self.started = time.monotonic()
        self.bar = self.generator.progress(self.name, self.total)
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        return self.bar

    def __exit__(self, *exc):
        try:
            return self.atomic.__exit__(*exc)
        finally:
            self.bar.close()
            seconds = self.generator.report.seconds
            seconds[self.name] = (
                seconds.get(self.name, 0) + time.monotonic() - self.started
            )


def generate(
    sizes: Sizes, *, seed: int = 2026, progress: Callable = no_progress
) -> Report:
    """Add `sizes` worth of corpus to the database; return row counts and timings."""
    generator = Generator(seed=seed, progress=progress)
    generator.collectivities(sizes.collectivities)
    generator.users(sizes.users)
    generator.knowledge(sizes.knowledge)
    events = generator.events(sizes.events)
    generator.registrations(sizes.registrations, events)
    generator.questions(sizes.questions, sizes.answers)
    # Pages written in bulk enqueue nothing: their related content is chosen
    # here, as the tasks of an editor's publications would (knowledge.related).
    from knowledge.related import rebuild

    started = time.monotonic()
    rebuild()
    generator.report.seconds["related"] = time.monotonic() - started
    # Events written in bulk have no stored VEVENTs (events.feed_entries):
    # written here, as their saves would.
    from events.feed_entries import refresh_feed_entries
    from events.models import EventPage

    started = time.monotonic()
    refresh_feed_entries(EventPage.objects.all())
    generator.report.seconds["feed entries"] = time.monotonic() - started
    # Collectivities written in bulk have no stored comparables
    # (members.comparables): chosen here, as their saves' tasks would.
    from members.comparables import rebuild as rebuild_comparables

    started = time.monotonic()
    rebuild_comparables()
    generator.report.seconds["comparables"] = time.monotonic() - started
    return generator.report
