"""Fill the site with French demo content: pages, members, events, site settings.

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
- it never deletes anything: pages written by editors are left alone, and an index
  page an editor removed is created again under the home page.
"""

import copy
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.blocks import StreamValue

from events.models import EventIndexPage, EventKind, EventPage
from knowledge.models import ArticlePage, KnowledgeIndexPage
from members.models import (
    CollectivityKind,
    CollectivityPage,
    MemberIndexPage,
    MembershipStatus,
)
from members.territories import Region
from retex.models import HomePage, SiteSettings, StandardPage

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

# --- Articles ----------------------------------------------------------------------

ARTICLES = (
    {
        "slug": "conseillers-numeriques-lannion",
        "title": "Inclusion numérique : ce que les conseillers numériques ont changé "
        "à Lannion",
        "days_ago": 12,
        "lead": (
            "Permanences en mairie, ateliers en médiathèque, accompagnement des "
            "démarches en ligne : retour sur trois ans de médiation numérique dans "
            "une ville moyenne des Côtes-d'Armor."
        ),
        "body": (
            paragraph(
                "<p>Lancé en 2021 dans le cadre de France Relance, le dispositif "
                "Conseillers numériques a permis à de nombreuses collectivités de "
                "recruter des médiateurs chargés d'accompagner les habitants "
                "éloignés du numérique. À Lannion, deux conseillers se partagent "
                "les permanences entre la mairie, la médiathèque et les "
                "quartiers.</p>"
            ),
            heading("Aller vers les habitants"),
            paragraph(
                "<p>Plutôt que d'attendre le public, l'équipe a choisi de se "
                "déplacer : ateliers dans les résidences pour personnes âgées, "
                "présence au marché, permanences communes avec le centre communal "
                "d'action sociale.</p>"
            ),
            quote(
                "Les gens ne viennent pas pour apprendre l'informatique : ils "
                "viennent parce qu'ils doivent déclarer leurs revenus ou prendre un "
                "rendez-vous médical. C'est de là qu'il faut partir.",
                "Gwenaëlle Tanguy",
                "conseillère numérique",
            ),
            heading("Ce qui a marché, ce qui reste à faire"),
            paragraph(
                "<ul><li>des créneaux courts et sans rendez-vous ;</li>"
                "<li>un annuaire commun des lieux de médiation du territoire ;</li>"
                "<li>reste à pérenniser le financement des postes.</li></ul>"
            ),
            callout(
                "À retenir",
                "<p>Associer dès le départ le CCAS et les travailleurs sociaux "
                "permet d'orienter les habitants vers le bon interlocuteur.</p>",
                kind="tip",
            ),
        ),
    },
    {
        "slug": "cybersecurite-rancongiciel",
        "title": "Cybersécurité : préparer sa collectivité à une attaque par "
        "rançongiciel",
        "days_ago": 45,
        "lead": (
            "Les collectivités sont devenues des cibles régulières des "
            "rançongiciels. Sauvegardes, exercices de crise, sensibilisation des "
            "agents : les mesures qui font la différence le jour de l'attaque."
        ),
        "body": (
            paragraph(
                "<p>Un lundi matin, plus aucun poste ne démarre et un message "
                "réclame une rançon. Ce scénario, plusieurs collectivités membres "
                "l'ont vécu. Toutes disent la même chose : la préparation compte "
                "plus que les outils.</p>"
            ),
            heading("Des sauvegardes déconnectées et testées"),
            paragraph(
                "<p>Une sauvegarde accessible depuis le réseau sera chiffrée avec "
                "le reste. Gardez au moins une copie hors ligne et vérifiez "
                "régulièrement que la restauration fonctionne.</p>"
            ),
            heading("Un plan de continuité écrit à l'avance"),
            paragraph(
                "<p>Paie des agents, état civil, cantine : listez les services "
                "essentiels et la manière de les assurer sans informatique pendant "
                "plusieurs semaines.</p>"
            ),
            callout(
                "Ressources utiles",
                "<p>L'ANSSI publie des guides destinés aux collectivités et le "
                "dispositif Cybermalveillance.gouv.fr oriente les victimes vers des "
                "prestataires de proximité.</p>",
            ),
            quote(
                "Le plus dur n'a pas été technique : il a fallu expliquer aux "
                "habitants pourquoi la mairie ne pouvait plus délivrer un acte de "
                "naissance.",
                "Thierry Ménard",
                "directeur général des services",
            ),
        ),
    },
    {
        "slug": "sobriete-numerique-parc-informatique",
        "title": "Sobriété numérique : allonger la durée de vie du parc informatique",
        "days_ago": 90,
        "lead": (
            "La fabrication des équipements concentre l'essentiel de l'empreinte "
            "environnementale du numérique. Garder ses ordinateurs plus longtemps "
            "est le premier levier d'une stratégie numérique responsable."
        ),
        "body": (
            paragraph(
                "<p>La loi du 15 novembre 2021 visant à réduire l'empreinte "
                "environnementale du numérique (dite loi REEN) demande aux "
                "communes et intercommunalités de plus de 50 000 habitants de "
                "définir une stratégie numérique responsable.</p>"
            ),
            heading("Passer de quatre à sept ans"),
            paragraph(
                "<p>Plusieurs membres ont allongé le cycle de renouvellement de "
                "leurs postes de travail en remplaçant les disques par des SSD et "
                "en ajoutant de la mémoire, pour un coût bien inférieur à un "
                "ordinateur neuf.</p>"
            ),
            heading("Donner une seconde vie aux équipements"),
            paragraph(
                "<p>Les ordinateurs retirés du parc peuvent être reconditionnés "
                "et donnés à des associations ou à des familles accompagnées par "
                "les conseillers numériques.</p>"
            ),
            callout(
                "Attention",
                "<p>Avant tout don, les disques doivent être effacés de manière "
                "sûre : ils contiennent des données personnelles.</p>",
                kind="warning",
            ),
        ),
    },
    {
        "slug": "ouvrir-ses-donnees-petite-collectivite",
        "title": "Ouvrir ses données : par où commencer quand on est une petite "
        "collectivité",
        "days_ago": 150,
        "lead": (
            "Budget, délibérations, équipements publics : publier ses premiers jeux "
            "de données ne demande ni data scientist ni plateforme coûteuse."
        ),
        "body": (
            paragraph(
                "<p>Depuis la loi pour une République numérique de 2016, les "
                "collectivités de plus de 3 500 habitants et de plus de 50 agents "
                "doivent publier en ligne leurs principaux documents et données. "
                "Beaucoup ne savent pas par où commencer.</p>"
            ),
            heading("Commencer par trois jeux de données"),
            paragraph(
                "<ol><li>le budget primitif et le compte administratif ;</li>"
                "<li>la liste des délibérations ;</li><li>la localisation des "
                "équipements publics.</li></ol>"
            ),
            heading("S'appuyer sur les schémas communs"),
            paragraph(
                "<p>Utiliser les schémas de données partagés sur schema.data.gouv.fr "
                "rend vos fichiers comparables avec ceux des autres collectivités "
                "et réutilisables par les services de l'État.</p>"
            ),
            quote(
                "Notre premier jeu de données, c'était un simple tableur des "
                "horaires d'ouverture. Il est aujourd'hui repris par trois "
                "applications.",
                "Sophie Arnaud",
                "chargée de mission données",
            ),
        ),
    },
    {
        "slug": "france-services-accompagner-sans-faire-a-la-place",
        "title": "France services : accompagner sans faire à la place",
        "days_ago": 210,
        "lead": (
            "Dans les espaces France services, les agents aident chaque jour des "
            "usagers à réaliser leurs démarches en ligne. Où s'arrête "
            "l'accompagnement, où commence le « faire pour » ?"
        ),
        "body": (
            paragraph(
                "<p>Le réseau France services rassemble en un même lieu plusieurs "
                "services publics nationaux et locaux. Les intercommunalités "
                "rurales membres du réseau en portent une grande partie.</p>"
            ),
            heading("Trois niveaux d'accompagnement"),
            paragraph(
                "<ul><li>informer et orienter ;</li><li>faire avec l'usager, à son "
                "rythme ;</li><li>faire pour l'usager, avec son accord, quand il "
                "ne peut pas faire seul.</li></ul>"
            ),
            heading("Le mandat Aidants Connect"),
            paragraph(
                "<p>Le service public Aidants Connect permet à un aidant habilité "
                "de réaliser une démarche au nom d'un usager, dans un cadre "
                "sécurisé, sans que celui-ci ait à lui confier ses identifiants.</p>"
            ),
            callout(
                "Conseil",
                "<p>Formez tous les agents d'accueil, pas seulement les conseillers "
                "France services : l'usager pose souvent sa question au premier "
                "guichet venu.</p>",
                kind="tip",
            ),
        ),
    },
    {
        "slug": "feuille-de-route-numerique-en-six-mois",
        "title": "Écrire sa feuille de route numérique en six mois",
        "days_ago": 300,
        "lead": (
            "Diagnostic, priorités, calendrier, budget : la méthode suivie par une "
            "communauté de communes du Nord pour bâtir sa feuille de route "
            "numérique avec les élus et les agents."
        ),
        "body": (
            heading("Un diagnostic partagé"),
            paragraph(
                "<p>Le projet a commencé par un questionnaire adressé à tous les "
                "services et par des entretiens avec les maires des communes "
                "membres, pour recenser les outils, les besoins et les "
                "irritants.</p>"
            ),
            heading("Peu de priorités, bien financées"),
            paragraph(
                "<p>Plutôt qu'une liste de trente projets, la feuille de route "
                "retient cinq chantiers sur trois ans, chacun avec un élu référent, "
                "un chef de projet et un budget voté.</p>"
            ),
            quote(
                "La feuille de route a surtout servi à dire non : non aux projets "
                "qui ne servaient ni les habitants ni les agents.",
                "Hervé Delattre",
                "vice-président chargé du numérique",
            ),
            heading("Le calendrier type"),
            paragraph(
                "<ol><li>mois 1 et 2 : diagnostic ;</li><li>mois 3 et 4 : ateliers "
                "et choix des priorités ;</li><li>mois 5 : chiffrage ;</li><li>mois "
                "6 : délibération.</li></ol>"
            ),
        ),
    },
    {
        "slug": "tiers-lieux-mediation-numerique-rurale",
        "title": "Tiers-lieux : des lieux ressources pour la médiation numérique en "
        "milieu rural",
        "days_ago": 420,
        "lead": (
            "Espaces de travail partagé, fablabs, cafés associatifs : dans les "
            "territoires ruraux, les tiers-lieux deviennent des points d'appui pour "
            "l'inclusion numérique."
        ),
        "body": (
            paragraph(
                "<p>Un tiers-lieu n'est ni un service public ni un commerce : c'est "
                "un lieu ouvert, souvent associatif, où l'on vient travailler, "
                "apprendre ou fabriquer. Plusieurs collectivités membres ont choisi "
                "d'y installer des permanences de médiation numérique.</p>"
            ),
            heading("Un partenariat plutôt qu'une régie"),
            paragraph(
                "<p>La collectivité finance une partie des postes et met à "
                "disposition des locaux ; l'association qui anime le lieu garde "
                "son autonomie et son réseau de bénévoles.</p>"
            ),
            callout(
                "À savoir",
                "<p>Une convention d'objectifs pluriannuelle sécurise le "
                "partenariat et évite de renégocier chaque année.</p>",
            ),
        ),
    },
    {
        "slug": "accessibilite-numerique-schema-pluriannuel",
        "title": "Accessibilité numérique : publier son schéma pluriannuel",
        "days_ago": 530,
        "lead": (
            "Déclaration d'accessibilité, schéma pluriannuel, plan d'action annuel : "
            "les obligations des collectivités et une méthode pour les tenir sans y "
            "passer l'année."
        ),
        "body": (
            paragraph(
                "<p>Les collectivités doivent rendre leurs sites internet "
                "accessibles et publier une déclaration d'accessibilité ainsi "
                "qu'un schéma pluriannuel de mise en accessibilité. Le référentiel "
                "de référence est le RGAA.</p>"
            ),
            heading("Commencer par un audit"),
            paragraph(
                "<p>Un audit sur un échantillon représentatif de pages donne le "
                "taux de conformité et la liste des corrections à mener.</p>"
            ),
            heading("Former les contributeurs"),
            paragraph(
                "<p>La plupart des défauts viennent des contenus : titres mal "
                "hiérarchisés, images sans alternative, documents non balisés. "
                "Une demi-journée de formation des rédacteurs corrige une grande "
                "partie du problème.</p>"
            ),
            quote(
                "Depuis que nos rédacteurs choisissent le niveau de chaque titre, "
                "les lecteurs d'écran retrouvent enfin le plan de nos pages.",
                "Nadia Bensalem",
                "responsable du site internet",
            ),
        ),
    },
)

# --- Member collectivities ---------------------------------------------------------

COLLECTIVITIES = (
    {
        "slug": "ville-de-lannion",
        "title": "Ville de Lannion",
        "kind": CollectivityKind.COMMUNE,
        "region": Region.BRETAGNE,
        "population": 20300,
        "website": "https://www.lannion.bzh",
        "presentation": (
            "<p>Ville du Trégor, dans les Côtes-d'Armor, au cœur d'un bassin "
            "d'emploi tourné vers les télécommunications. Elle partage son "
            "expérience de médiation numérique de proximité.</p>"
        ),
        "membership_status": MembershipStatus.ACTIVE,
        "member_since": date(2019, 3, 14),
    },
    {
        "slug": "grand-poitiers",
        "title": "Grand Poitiers Communauté urbaine",
        "kind": CollectivityKind.CU,
        "region": Region.NOUVELLE_AQUITAINE,
        "population": 195000,
        "website": "https://www.grandpoitiers.fr",
        "presentation": (
            "<p>Communauté urbaine de la Vienne regroupant une quarantaine de "
            "communes. Elle a mutualisé son système d'information avec la ville "
            "centre et travaille à l'ouverture de ses données.</p>"
        ),
        "membership_status": MembershipStatus.ACTIVE,
        "member_since": date(2018, 11, 5),
    },
    {
        "slug": "departement-de-la-gironde",
        "title": "Département de la Gironde",
        "kind": CollectivityKind.DEPARTEMENT,
        "region": Region.NOUVELLE_AQUITAINE,
        "population": 1670000,
        "website": "https://www.gironde.fr",
        "presentation": (
            "<p>Le plus vaste département de France métropolitaine. Son action "
            "porte sur l'inclusion numérique des publics accompagnés par ses "
            "services sociaux.</p>"
        ),
        "membership_status": MembershipStatus.ACTIVE,
        "member_since": date(2020, 1, 20),
    },
    {
        "slug": "cc-pays-de-mormal",
        "title": "Communauté de communes du Pays de Mormal",
        "kind": CollectivityKind.CC,
        "region": Region.HAUTS_DE_FRANCE,
        "population": 48000,
        "website": "https://www.cc-paysdemormal.fr",
        "presentation": (
            "<p>Intercommunalité rurale du Nord, autour de la forêt de Mormal. "
            "Elle porte des espaces France services et a écrit sa feuille de route "
            "numérique avec ses communes membres.</p>"
        ),
        "membership_status": MembershipStatus.ACTIVE,
        "member_since": date(2021, 6, 1),
    },
    {
        "slug": "metropole-de-lyon",
        "title": "Métropole de Lyon",
        "kind": CollectivityKind.METROPOLE,
        "region": Region.AUVERGNE_RHONE_ALPES,
        "population": 1420000,
        "website": "https://www.grandlyon.com",
        "presentation": (
            "<p>Collectivité à statut particulier exerçant sur son territoire les "
            "compétences d'une métropole et d'un département. Pionnière de "
            "l'ouverture des données publiques.</p>"
        ),
        "membership_status": MembershipStatus.ACTIVE,
        "member_since": date(2018, 9, 12),
    },
    {
        "slug": "ville-de-mulhouse",
        "title": "Ville de Mulhouse",
        "kind": CollectivityKind.COMMUNE,
        "region": Region.GRAND_EST,
        "population": 105000,
        "website": "https://www.mulhouse.fr",
        "presentation": (
            "<p>Deuxième ville d'Alsace. Elle partage son retour d'expérience sur "
            "la sensibilisation des agents à la cybersécurité et sur la gestion "
            "d'une crise informatique.</p>"
        ),
        "membership_status": MembershipStatus.ACTIVE,
        "member_since": date(2019, 10, 3),
    },
    {
        "slug": "region-occitanie",
        "title": "Région Occitanie",
        "kind": CollectivityKind.REGION,
        "region": Region.OCCITANIE,
        "population": 6100000,
        "website": "https://www.laregion.fr",
        "presentation": (
            "<p>Région de treize départements, de la Méditerranée aux Pyrénées. "
            "Elle soutient le déploiement des tiers-lieux et de la médiation "
            "numérique sur son territoire.</p>"
        ),
        "membership_status": MembershipStatus.ACTIVE,
        "member_since": date(2020, 5, 18),
    },
    {
        "slug": "grand-annecy",
        "title": "Communauté d'agglomération du Grand Annecy",
        "kind": CollectivityKind.CA,
        "region": Region.AUVERGNE_RHONE_ALPES,
        "population": 210000,
        "website": "https://www.grandannecy.fr",
        "presentation": (
            "<p>Agglomération de Haute-Savoie regroupant trente-quatre communes. "
            "Elle s'est engagée dans une démarche de sobriété numérique et de "
            "reconditionnement de son parc informatique.</p>"
        ),
        "membership_status": MembershipStatus.ACTIVE,
        "member_since": date(2022, 2, 8),
    },
    {
        "slug": "ville-de-saint-malo",
        "title": "Ville de Saint-Malo",
        "kind": CollectivityKind.COMMUNE,
        "region": Region.BRETAGNE,
        "population": 47000,
        "website": "https://www.saint-malo.fr",
        "presentation": (
            "<p>Cité corsaire d'Ille-et-Vilaine. Son adhésion est en cours "
            "d'examen par le conseil d'administration.</p>"
        ),
        "membership_status": MembershipStatus.PENDING,
        "member_since": None,
    },
    {
        "slug": "departement-du-nord",
        "title": "Département du Nord",
        "kind": CollectivityKind.DEPARTEMENT,
        "region": Region.HAUTS_DE_FRANCE,
        "population": 2610000,
        "website": "https://lenord.fr",
        "presentation": (
            "<p>Département le plus peuplé de France. Il a partagé sa démarche "
            "d'accessibilité numérique de ses sites et téléservices.</p>"
        ),
        "membership_status": MembershipStatus.LAPSED,
        "member_since": date(2019, 1, 15),
    },
    {
        "slug": "brest-metropole",
        "title": "Brest métropole",
        "kind": CollectivityKind.METROPOLE,
        "region": Region.BRETAGNE,
        "population": 212000,
        "website": "https://www.brest.fr",
        "presentation": (
            "<p>Métropole du Finistère, engagée de longue date dans l'appropriation "
            "sociale du numérique et le soutien aux initiatives des habitants.</p>"
        ),
        "membership_status": MembershipStatus.ACTIVE,
        "member_since": date(2018, 9, 12),
    },
    {
        "slug": "cap-nord-martinique",
        "title": "Communauté d'agglomération du Pays Nord Martinique",
        "kind": CollectivityKind.CA,
        "region": Region.MARTINIQUE,
        "population": 97000,
        "website": "https://www.capnordmartinique.fr",
        "presentation": (
            "<p>Intercommunalité du nord de la Martinique. Elle souhaite rejoindre "
            "le réseau pour partager ses projets d'inclusion numérique dans les "
            "communes rurales.</p>"
        ),
        "membership_status": MembershipStatus.PENDING,
        "member_since": None,
    },
)

# --- Events ------------------------------------------------------------------------
# "day" is an offset from today (a weekend moves to the next Monday); "start" and
# "end" are local (Europe/Paris) times of the first and last day; "length_days" is
# given for events over several days.

EVENTS = (
    {
        "slug": "formation-ouverture-des-donnees",
        "title": "Formation : conduire un projet d'ouverture des données",
        "kind": EventKind.TRAINING,
        "day": -60,
        "start": (9, 30),
        "end": (12, 30),
        "online": False,
        "venue": "Hôtel de ville de Poitiers",
        "city": "Poitiers",
        "lead": (
            "Une matinée pour choisir ses premiers jeux de données, les publier "
            "selon les schémas communs et organiser leur mise à jour."
        ),
        "body": (
            heading("Programme"),
            paragraph(
                "<ul><li>les obligations de la loi pour une République "
                "numérique ;</li><li>choisir et préparer ses données ;</li>"
                "<li>publier et faire vivre un catalogue.</li></ul>"
            ),
            paragraph(
                "<p>Formation animée par l'équipe données de Grand Poitiers.</p>"
            ),
        ),
    },
    {
        "slug": "webinaire-strategie-numerique-responsable",
        "title": "Webinaire : écrire sa stratégie numérique responsable",
        "kind": EventKind.WEBINAR,
        "day": -20,
        "start": (11, 0),
        "end": (12, 0),
        "online": True,
        "venue": "",
        "city": "",
        "lead": (
            "Une heure pour comprendre ce que la loi REEN demande aux collectivités "
            "et découvrir la démarche du Grand Annecy."
        ),
        "body": (
            paragraph(
                "<p>Le webinaire alterne une présentation de vingt minutes et un "
                "temps d'échange avec les participants.</p>"
            ),
            callout(
                "Replay",
                "<p>L'enregistrement sera mis en ligne dans l'espace des membres.</p>",
            ),
        ),
    },
    {
        "slug": "table-ronde-elus-cybersecurite",
        "title": "Table ronde : les élus face à la cybersécurité",
        "kind": EventKind.ROUND_TABLE,
        "day": 5,
        "start": (14, 0),
        "end": (17, 0),
        "online": False,
        "venue": "Hôtel de ville de Mulhouse",
        "city": "Mulhouse",
        "lead": (
            "Élus et directeurs généraux témoignent : comment préparer sa "
            "collectivité, quelles décisions prendre le jour d'une attaque, comment "
            "communiquer avec les habitants."
        ),
        "body": (
            heading("Intervenants"),
            paragraph(
                "<p>Des élus et des directeurs de collectivités membres ayant "
                "traversé une attaque informatique, avec un représentant du "
                "centre de réponse aux incidents de la région.</p>"
            ),
            paragraph(
                "<p>La table ronde est suivie d'un temps d'échange informel.</p>"
            ),
        ),
    },
    {
        "slug": "webinaire-declaration-accessibilite",
        "title": "Webinaire : rédiger sa déclaration d'accessibilité",
        "kind": EventKind.WEBINAR,
        "day": 12,
        "start": (11, 0),
        "end": (12, 30),
        "online": True,
        "venue": "",
        "city": "",
        "lead": (
            "Ce que doit contenir une déclaration d'accessibilité, comment calculer "
            "son taux de conformité et bâtir son schéma pluriannuel."
        ),
        "body": (
            paragraph(
                "<p>Webinaire destiné aux responsables de sites internet et aux "
                "chargés de communication des collectivités membres.</p>"
            ),
        ),
    },
    {
        "slug": "formation-sensibiliser-agents-hameconnage",
        "title": "Formation : sensibiliser les agents au hameçonnage",
        "kind": EventKind.TRAINING,
        "day": 30,
        "start": (9, 30),
        "end": (12, 30),
        "online": False,
        "venue": "Hôtel de la Métropole de Lyon",
        "city": "Lyon",
        "lead": (
            "Concevoir une campagne de sensibilisation, organiser un faux "
            "hameçonnage et en tirer les leçons sans culpabiliser les agents."
        ),
        "body": (
            heading("Public"),
            paragraph(
                "<p>Responsables de la sécurité des systèmes d'information, "
                "directeurs des ressources humaines et chargés de formation.</p>"
            ),
            callout(
                "Places limitées",
                "<p>Vingt participants au maximum, deux par collectivité.</p>",
                kind="warning",
            ),
        ),
    },
    {
        "slug": "rencontre-bretagne-mediation-tiers-lieux",
        "title": "Rencontre régionale Bretagne : médiation numérique et tiers-lieux",
        "kind": EventKind.MEETING,
        "day": 45,
        "start": (9, 30),
        "end": (16, 30),
        "online": False,
        "venue": "Espace Sainte-Anne",
        "city": "Lannion",
        "lead": (
            "Une journée pour rencontrer les conseillers numériques, les "
            "animateurs de tiers-lieux et les élus bretons du réseau."
        ),
        "body": (
            heading("Au programme"),
            paragraph(
                "<ul><li>le matin : retours d'expérience de Lannion et de Brest "
                "métropole ;</li><li>l'après-midi : ateliers en petits "
                "groupes.</li></ul>"
            ),
            paragraph("<p>Le déjeuner est offert aux participants inscrits.</p>"),
        ),
    },
    {
        "slug": "webinaire-mutualiser-delegue-protection-donnees",
        "title": "Webinaire : mutualiser un délégué à la protection des données",
        "kind": EventKind.WEBINAR,
        "day": 75,
        "start": (14, 0),
        "end": (15, 30),
        "online": True,
        "venue": "",
        "city": "",
        "lead": (
            "Centre de gestion, intercommunalité, syndicat informatique : les "
            "formules pour partager un délégué à la protection des données entre "
            "petites communes."
        ),
        "body": (
            paragraph(
                "<p>Avec le témoignage de la communauté de communes du Pays de "
                "Mormal, qui met un délégué à disposition de ses communes.</p>"
            ),
        ),
    },
    {
        "slug": "congres-annuel-reseau-retex",
        "title": "Congrès annuel du Réseau Retex",
        "kind": EventKind.CONGRESS,
        "day": 120,
        "length_days": 2,
        "start": (9, 0),
        "end": (17, 0),
        "online": False,
        "venue": "Palais des congrès de Bordeaux",
        "city": "Bordeaux",
        "lead": (
            "Deux jours de conférences, d'ateliers et de rencontres entre les "
            "collectivités membres, et l'assemblée générale de l'association."
        ),
        "body": (
            heading("Premier jour"),
            paragraph(
                "<p>Séance plénière d'ouverture, puis ateliers thématiques : "
                "inclusion, cybersécurité, données, sobriété.</p>"
            ),
            heading("Second jour"),
            paragraph(
                "<p>Visites de projets, remise des prix de l'innovation publique "
                "locale et assemblée générale de l'association.</p>"
            ),
            quote(
                "Le congrès, c'est là qu'on trouve la collectivité qui a déjà "
                "résolu notre problème.",
                "Claire Dumontet",
                "vice-présidente du Réseau Retex",
            ),
        ),
    },
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


def apply_fields(obj, values):
    """Set the wanted values on obj and tell whether anything differed."""
    changed = False
    for name, value in values.items():
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


def seed_articles(index, stats):
    today = timezone.localdate()
    for data in ARTICLES:
        values = {
            "title": data["title"],
            "lead": data["lead"],
            "publication_date": today - timedelta(days=data["days_ago"]),
            "body": data["body"],
        }
        upsert_page(index, ArticlePage, data["slug"], values, stats)


def seed_collectivities(index, stats):
    for data in COLLECTIVITIES:
        values = {key: value for key, value in data.items() if key != "slug"}
        upsert_page(index, CollectivityPage, data["slug"], values, stats)


def event_day(days):
    """Today + days, moved to the following Monday when it falls on a weekend."""
    day = timezone.localdate() + timedelta(days=days)
    if day.weekday() >= 5:
        day += timedelta(days=7 - day.weekday())
    return day


def local_datetime(day, hour_minute):
    """A Paris wall-clock time on that day, whatever the DST offset that day."""
    return datetime.combine(
        day, time(*hour_minute), tzinfo=timezone.get_current_timezone()
    )


def seed_events(index, stats):
    for data in EVENTS:
        first_day = event_day(data["day"])
        last_day = first_day + timedelta(days=data.get("length_days", 1) - 1)
        values = {
            "title": data["title"],
            "kind": data["kind"],
            "lead": data["lead"],
            "start": local_datetime(first_day, data["start"]),
            "end": local_datetime(last_day, data["end"]),
            "online": data["online"],
            "venue": data["venue"],
            "city": data["city"],
            "body": data["body"],
        }
        upsert_page(index, EventPage, data["slug"], values, stats)


class Command(BaseCommand):
    help = (
        "Create or update French demo content: standard pages, articles, member "
        "collectivities, events and footer settings. Safe to run again."
    )

    def handle(self, *args, **options):
        stats = Stats()
        with transaction.atomic():
            home = get_home()
            seed_home(home, stats)
            indexes = seed_indexes(home, stats)
            standard_pages = seed_standard_pages(home, stats)
            settings_changed = seed_site_settings(standard_pages)
            seed_articles(indexes[KnowledgeIndexPage], stats)
            seed_collectivities(indexes[MemberIndexPage], stats)
            seed_events(indexes[EventIndexPage], stats)

        for name, counts in stats.by_model.items():
            details = ", ".join(f"{n} {action}" for action, n in counts.items())
            self.stdout.write(f"  {name}: {details}")
        self.stdout.write(
            f"  site settings: {'updated' if settings_changed else 'unchanged'}"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content: {stats.created} pages created, {stats.updated} "
                f"updated, {stats.unchanged} unchanged."
            )
        )
