"""Shared helpers of `seed_demo`, and the site-wide demo pages and footer.

The command is idempotent, so it can be run on every fresh database and again after
each deploy of a demo site:

- every page it manages has a fixed slug and is looked up by that slug under its
  parent; it is created when missing and updated in place otherwise, so a rerun
  never adds a page;
- a page is only re-published when one of its fields actually differs from the
  wanted value (StreamFields are compared block by block, without their random
  ids), so a rerun on the same day creates no revision at all;
- dates are offsets from today rather than random values: a rerun on the same day
  changes nothing, a rerun on a later day moves the dates by the same amount;
- many-to-many values (themes...) are compared as sets of primary keys, and child
  objects (interviewees...) field by field, so they are only rewritten, and the
  page re-published, when they differ;
- it never deletes anything: pages written by editors are left alone, and an index
  page an editor removed is created again under the home page.
"""

import copy
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist
from django.core.management.base import CommandError
from django.db.models import Model
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.blocks import StreamValue
from wagtail.models import PageViewRestriction

from events.models import EventIndexPage
from knowledge.models import KnowledgeIndexPage
from members.models import MemberIndexPage
from retex.models import HomePage, SiteSettings, StandardPage
from retex.visibility import MEMBERS_GROUP

# --- Body blocks -------------------------------------------------------------------
# Raw StreamField data: a list of {"type": ..., "value": ...} dictionaries.


def heading(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


def paragraph(html):
    return {"type": "paragraph", "value": html}


def quote(text, author="", role=""):
    return {"type": "quote", "value": {"quote": text, "author": author, "role": role}}


def callout(title, html, kind="info"):
    return {"type": "callout", "value": {"kind": kind, "title": title, "text": html}}


# --- Home page and index pages -----------------------------------------------------

HOME = {
    "hero_title": "Les collectivités partagent leur expérience du numérique",
    "hero_text": (
        "Communes, intercommunalités, départements et régions : le Réseau Retex "
        "met en commun les retours d'expérience de ses membres sur l'inclusion "
        "numérique, la cybersécurité, la sobriété, les données et les services "
        "publics en ligne. Qui a déjà fait cela ? Posez la question au réseau."
    ),
}

# (model, title, slug, intro): the same titles and slugs as migration 0002.
INDEX_PAGES = (
    (
        KnowledgeIndexPage,
        "Ressources",
        "ressources",
        "<p>Analyses, retours d'expérience et bonnes pratiques rédigés par "
        "l'équipe du réseau avec les agents et les élus des collectivités "
        "membres.</p>",
    ),
    (
        MemberIndexPage,
        "Membres",
        "membres",
        "<p>Les collectivités adhérentes au Réseau Retex, de la commune rurale à "
        "la région. Chaque fiche présente la collectivité et ses projets "
        "numériques.</p>",
    ),
    (
        EventIndexPage,
        "Agenda",
        "evenements",
        "<p>Formations, tables rondes, webinaires et rencontres régionales : les "
        "rendez-vous du réseau, ouverts aux agents et aux élus des collectivités "
        "membres.</p>",
    ),
)

# --- Standard pages under the home page --------------------------------------------

STANDARD_PAGES = (
    {
        "slug": "a-propos",
        "title": "À propos",
        "lead": (
            "Le Réseau Retex est une association de collectivités territoriales "
            "qui partagent leurs retours d'expérience sur la transition numérique "
            "de l'action publique locale."
        ),
        "body": (
            heading("Une association de collectivités, pour les collectivités"),
            paragraph(
                "<p>Créé par une poignée de villes et d'intercommunalités qui "
                "voulaient cesser de réinventer chacune les mêmes solutions, le "
                "réseau rassemble aujourd'hui des communes, des intercommunalités, "
                "des départements et des régions de toute la France, outre-mer "
                "compris.</p>"
            ),
            paragraph(
                "<p>Son principe est simple : <b>une collectivité qui a mené un "
                "projet en raconte le déroulé, les réussites et les erreurs</b>, "
                "pour que la suivante aille plus vite et dépense mieux l'argent "
                "public.</p>"
            ),
            heading("Ce que le réseau propose"),
            paragraph(
                "<ul><li>une base de ressources : analyses, fiches pratiques, "
                "entretiens ;</li><li>un annuaire des collectivités membres et de "
                "leurs projets ;</li><li>un agenda de formations, de webinaires et "
                "de rencontres régionales ;</li><li>un congrès annuel.</li></ul>"
            ),
            quote(
                "Nous avons gagné six mois sur notre schéma de cybersécurité en "
                "reprenant la démarche d'une agglomération voisine, appels "
                "d'offres compris.",
                "Martine Lefeuvre",
                "directrice des systèmes d'information d'une collectivité membre",
            ),
            heading("Gouvernance"),
            paragraph(
                "<p>L'association est administrée par un conseil composé d'élus et "
                "de représentants des collectivités membres, renouvelé par moitié "
                "chaque année lors de l'assemblée générale. Les cotisations sont "
                "calculées selon la population de la collectivité.</p>"
            ),
            callout(
                "Adhérer au réseau",
                "<p>Toute collectivité territoriale ou groupement de collectivités "
                "peut adhérer. Écrivez-nous à "
                '<a href="mailto:adhesion@reseau-retex.example">'
                "adhesion@reseau-retex.example</a>.</p>",
            ),
        ),
    },
    {
        "slug": "mentions-legales",
        "title": "Mentions légales",
        "lead": (
            "Informations sur l'éditeur du site, son directeur de la publication "
            "et son hébergement."
        ),
        "body": (
            heading("Éditeur"),
            paragraph(
                "<p>Réseau Retex, association régie par la loi du 1er juillet "
                "1901.<br>8 rue de l'Innovation publique, 86000 Poitiers.<br>"
                "Courriel : contact@reseau-retex.example</p>"
            ),
            heading("Directeur de la publication"),
            paragraph("<p>Bernard Castagné, président de l'association.</p>"),
            heading("Hébergement"),
            paragraph(
                "<p>Le site est hébergé en France par un prestataire retenu après "
                "mise en concurrence. Ses coordonnées sont communiquées sur "
                "simple demande.</p>"
            ),
            heading("Propriété intellectuelle"),
            paragraph(
                "<p>Sauf mention contraire, les contenus rédigés par le réseau sont "
                "publiés sous licence ouverte Etalab 2.0 : vous pouvez les "
                "réutiliser librement en citant leur source. Les retours "
                "d'expérience restent la propriété des collectivités qui les ont "
                "partagés.</p>"
            ),
        ),
    },
    {
        "slug": "accessibilite",
        "title": "Accessibilité",
        "lead": (
            "Déclaration d'accessibilité du site du Réseau Retex : le site est "
            "partiellement conforme au référentiel général d'amélioration de "
            "l'accessibilité (RGAA)."
        ),
        "body": (
            paragraph(
                "<p>Le Réseau Retex s'engage à rendre son site internet accessible "
                "conformément à l'article 47 de la loi n° 2005-102 du 11 février "
                "2005.</p>"
            ),
            heading("État de conformité"),
            paragraph(
                "<p>Le site du Réseau Retex est <b>partiellement conforme</b> avec "
                "le RGAA version 4.1.2, en raison des non-conformités énumérées "
                "ci-dessous.</p>"
            ),
            heading("Résultats des tests"),
            paragraph(
                "<p>L'audit interne réalisé sur un échantillon de quinze pages "
                "révèle que 78 % des critères du RGAA sont respectés.</p>"
            ),
            heading("Contenus non accessibles"),
            paragraph(
                "<ul><li>certains documents PDF anciens ne sont pas balisés ;</li>"
                "<li>les vidéos des webinaires passés n'ont pas toutes de "
                "sous-titres ;</li><li>quelques contrastes de couleurs sont "
                "insuffisants sur les étiquettes.</li></ul>"
            ),
            callout(
                "Retour d'information et contact",
                "<p>Si vous n'arrivez pas à accéder à un contenu, écrivez à "
                '<a href="mailto:accessibilite@reseau-retex.example">'
                "accessibilite@reseau-retex.example</a> : nous vous le ferons "
                "parvenir sous une forme accessible.</p>",
            ),
            heading("Voies de recours"),
            paragraph(
                "<p>Si vous nous avez signalé un défaut d'accessibilité sans "
                "obtenir de réponse satisfaisante, vous pouvez saisir le Défenseur "
                "des droits, par son formulaire en ligne ou par courrier "
                "(Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX "
                "07).</p>"
            ),
        ),
    },
    {
        "slug": "donnees-personnelles",
        "title": "Données personnelles",
        "lead": (
            "Quelles données le Réseau Retex collecte, pourquoi, combien de temps "
            "il les garde et comment exercer vos droits."
        ),
        "body": (
            heading("Données collectées"),
            paragraph(
                "<p>Le réseau ne collecte que les données nécessaires à son "
                "activité : nom, adresse électronique, collectivité et fonction des "
                "personnes qui créent un compte ou s'inscrivent à un "
                "événement.</p>"
            ),
            heading("Finalités et base légale"),
            paragraph(
                "<p>Ces données servent à gérer les comptes des membres, les "
                "inscriptions aux événements et l'envoi de la lettre "
                "d'information. Elles ne sont ni vendues ni cédées.</p>"
            ),
            heading("Durée de conservation"),
            paragraph(
                "<p>Les données d'un compte sont supprimées trois ans après la "
                "dernière connexion ; celles d'une inscription à un événement, un "
                "an après celui-ci.</p>"
            ),
            heading("Cookies"),
            paragraph(
                "<p>Le site n'utilise que les cookies strictement nécessaires à "
                "son fonctionnement (session et protection des formulaires). "
                "Aucun cookie de mesure d'audience ni de publicité n'est "
                "déposé.</p>"
            ),
            callout(
                "Exercer vos droits",
                "<p>Vous pouvez accéder à vos données, les rectifier ou en demander "
                "l'effacement auprès de notre délégué à la protection des données : "
                '<a href="mailto:dpo@reseau-retex.example">'
                "dpo@reseau-retex.example</a>. Vous pouvez aussi adresser une "
                "réclamation à la CNIL.</p>",
            ),
        ),
    },
)

# --- Site settings -----------------------------------------------------------------

SITE_SETTINGS = {
    "association_name": "Réseau Retex",
    "footer_text": (
        "<p>Le réseau des collectivités territoriales qui partagent leur "
        "expérience de la transition numérique.</p>"
    ),
    "contact_email": "contact@reseau-retex.example",
    "contact_phone": "01 99 00 12 34",
    "postal_address": "Réseau Retex\n8 rue de l'Innovation publique\n86000 Poitiers",
}

# (label, slug of a standard page under the home page)
FOOTER_LINKS = (
    ("À propos", "a-propos"),
    ("Mentions légales", "mentions-legales"),
    ("Accessibilité : partiellement conforme", "accessibilite"),
    ("Données personnelles", "donnees-personnelles"),
)


# --- Logic -------------------------------------------------------------------------


@dataclass
class Stats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_model: dict = field(default_factory=dict)

    def count(self, model, action):
        setattr(self, action, getattr(self, action) + 1)
        counts = self.by_model.setdefault(model.__name__, {})
        counts[action] = counts.get(action, 0) + 1


def comparable(obj, name):
    """A field's value in a form that compares equal when the content is the same.

    StreamField blocks get a new random id each time they are assigned, so they are
    compared by block type and stored value only.
    """
    value = getattr(obj, name)
    if isinstance(value, StreamValue):
        return [
            (child.block_type, child.block.get_prep_value(child.value))
            for child in value
        ]
    return value


def _model_field(obj, name):
    try:
        return obj._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _pk(value):
    return value.pk if isinstance(value, Model) else value


def _apply_many_to_many(obj, name, model_field, wanted):
    """Set a ParentalManyToManyField from objects or primary keys.

    Compared as sets of primary keys; the new value stays in memory (modelcluster)
    until the page is saved, which a revision's publication does.
    """
    wanted_pks = {_pk(value) for value in wanted}
    if obj.pk is None and name not in getattr(obj, "_cluster_related_objects", {}):
        current_pks = set()  # An unsaved object has no relation in the database.
    else:
        current_pks = {related.pk for related in getattr(obj, name).all()}
    if current_pks == wanted_pks:
        return False
    objects = list(model_field.related_model.objects.filter(pk__in=wanted_pks))
    if len(objects) != len(wanted_pks):
        raise CommandError(f"{name}: some of {sorted(wanted_pks)} do not exist.")
    setattr(obj, name, objects)
    return True


def _apply_children(obj, name, relation, wanted):
    """Replace the child objects of a ParentalKey relation (e.g. interviewees).

    `wanted` is a list of dicts of field values, in order; the sort order of
    orderable children follows it. The children are compared field by field
    (foreign keys by primary key) and only replaced when one differs, so that a
    rerun neither rewrites them nor re-publishes the page.
    """
    model = relation.related_model
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f is not relation.field
    ]
    orderable = any(f.name == "sort_order" for f in fields)
    children = [
        model(**({"sort_order": i} if orderable else {}), **values)
        for i, values in enumerate(wanted)
    ]

    def rows(objects):
        return [[getattr(o, f.attname) for f in fields] for o in objects]

    if obj.pk is None and name not in getattr(obj, "_cluster_related_objects", {}):
        current = []  # An unsaved object has no children in the database.
    else:
        current = list(getattr(obj, name).all())
    if rows(current) == rows(children):
        return False
    setattr(obj, name, children)
    return True


def apply_fields(obj, values):
    """Set the wanted values on obj and tell whether anything differed.

    Besides plain fields and StreamField raw data, a value may be given for a
    ParentalManyToManyField (a list of objects or primary keys) or for a child
    relation of a ParentalKey (a list of dicts of the children's field values).
    """
    changed = False
    for name, value in values.items():
        model_field = _model_field(obj, name)
        if isinstance(model_field, ParentalManyToManyField):
            changed |= _apply_many_to_many(obj, name, model_field, value)
            continue
        if model_field is not None and model_field.one_to_many:
            if not isinstance(model_field.field, ParentalKey):
                raise CommandError(f"{name}: only ParentalKey children can be set.")
            changed |= _apply_children(obj, name, model_field, value)
            continue
        previous = getattr(obj, name)
        before = comparable(obj, name)
        if isinstance(value, tuple | list):
            # StreamField raw data: Wagtail adds ids to it in place, keep ours intact.
            value = copy.deepcopy(list(value))
        setattr(obj, name, value)
        if comparable(obj, name) == before:
            setattr(obj, name, previous)  # Keep the stored block ids.
        else:
            changed = True
    return changed


def publish(page):
    page.save_revision().publish()


def upsert_page(parent, model, slug, values, stats):
    """Create the page with this slug under parent, or update it, and publish it."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is None:
        page = model(slug=slug, live=False)
        apply_fields(page, values)
        parent.add_child(instance=page)
        publish(page)
        stats.count(model, "created")
        return page
    page = existing.specific
    if not isinstance(page, model):
        raise CommandError(
            f"{page.url_path} is a {type(page).__name__}, not a {model.__name__}: "
            "rename its slug or delete it, then run the command again."
        )
    if apply_fields(page, values) or not page.live:
        publish(page)
        stats.count(model, "updated")
    else:
        stats.count(model, "unchanged")
    return page


def restrict_to_members(page):
    """Make page members-only: a view restriction to the "Membres" group.

    Reuses the page's group restriction when it has one (adding the group to it if
    needed), so that a rerun never adds a second restriction. Returns whether
    anything was created or changed.
    """
    group, _ = Group.objects.get_or_create(name=MEMBERS_GROUP)
    restriction = PageViewRestriction.objects.filter(
        page=page, restriction_type=PageViewRestriction.GROUPS
    ).first()
    changed = False
    if restriction is None:
        restriction = PageViewRestriction(
            page=page, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.save()
        changed = True
    if not restriction.groups.filter(pk=group.pk).exists():
        restriction.groups.add(group)
        changed = True
    return changed


def get_home():
    home = HomePage.objects.first()
    if home is None:
        raise CommandError("No home page: run `manage.py migrate` first.")
    return home


def seed_home(home, stats):
    if apply_fields(home, HOME):
        publish(home)
        stats.count(HomePage, "updated")
    else:
        stats.count(HomePage, "unchanged")


def seed_indexes(home, stats):
    """Return the index pages by model, creating any an editor has deleted."""
    indexes = {}
    for model, title, slug, intro in INDEX_PAGES:
        page = model.objects.first()  # max_count = 1, always under the home page.
        if page is None:
            page = upsert_page(
                home, model, slug, {"title": title, "intro": intro}, stats
            )
        elif apply_fields(page, {"intro": intro}) or not page.live:
            publish(page)
            stats.count(model, "updated")
        else:
            stats.count(model, "unchanged")
        indexes[model] = page
    return indexes


def seed_standard_pages(home, stats):
    pages = {}
    for data in STANDARD_PAGES:
        values = {"title": data["title"], "lead": data["lead"], "body": data["body"]}
        pages[data["slug"]] = upsert_page(
            home, StandardPage, data["slug"], values, stats
        )
    return pages


def seed_site_settings(standard_pages):
    """Fill the footer settings; return whether they changed."""
    site_settings = SiteSettings.load()
    links = [
        {
            "type": "link",
            "value": {"label": label, "page": standard_pages[slug].pk, "url": ""},
        }
        for label, slug in FOOTER_LINKS
    ]
    if not apply_fields(site_settings, {**SITE_SETTINGS, "footer_links": links}):
        return False
    site_settings.full_clean()
    site_settings.save()
    return True
