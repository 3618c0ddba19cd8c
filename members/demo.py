"""Demo member collectivities and people for `seed_demo`: real places, invented people.

Collectivities are real: each names its territory in the administrative referential
(INSEE code of a commune, department or region; SIREN of an EPCI), and its official
figures (codes, population, department, region, member communes) come from there
when `load_territories` has been run. Without the referential, the figures written
here (copied from it) are used instead. Websites and email domains are the real
ones; presentations, themes, dates and every person are invented.

People are demo accounts with a verified address, attached to their collectivity
without any notification (rows written directly, then the "Membres" group and the
representatives' permissions synchronised). With `DEBUG` on they all share one
demo password, generated once into `VAR_DIR/demo_users_password`; with `DEBUG` off
new accounts get an unusable password.

Idempotent like the rest of `seed_demo` (see `retex/demo.py`): pages are looked up
by slug, people by email address, and rows are only written when they differ.
"""

import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.core.management.base import CommandError
from django.utils import timezone

from members.affiliation import sync_member_group
from members.models import (
    OPEN_AFFILIATION_STATUSES,
    Affiliation,
    AffiliationRole,
    AffiliationStatus,
    CollectivityKind,
    CollectivityPage,
    MembershipStatus,
    PersonStatus,
    User,
)
from members.permissions import representatives_group, sync_representative_permissions
from members.referential import profile_values
from members.territories import Region
from retex.demo import upsert_page
from retex.models import Theme
from territories.models import Region as TerritoryRegion

ACTIVE = MembershipStatus.ACTIVE
PENDING = MembershipStatus.PENDING
LAPSED = MembershipStatus.LAPSED

# --- Member collectivities ---------------------------------------------------------
# "territory" is (kind, code) in the referential (`territories` app). The official
# figures beside it (kind, siren, insee_code, region, department, population,
# commune_count) are the referential's, used when it is not loaded. "contacts" are
# contacts who have no demo account; people flagged "contact" below come first.

COLLECTIVITIES = (
    {
        "slug": "ville-de-lannion",
        "title": "Ville de Lannion",
        "territory": ("commune", "22113"),
        "kind": CollectivityKind.COMMUNE,
        "siren": "212201131",
        "insee_code": "22113",
        "region": Region.BRETAGNE,
        "department": "22",
        "population": 20315,
        "website": "https://www.lannion.bzh",
        "email_domains": ("lannion.bzh",),
        "presentation": (
            "<p>Ville du Trégor, dans les Côtes-d'Armor, au cœur d'un bassin "
            "d'emploi tourné vers les télécommunications. Elle partage son "
            "expérience de médiation numérique de proximité : permanences de "
            "conseillers numériques à la mairie, à la médiathèque et hors les "
            "murs.</p>"
        ),
        "themes": ("inclusion-numerique", "e-administration"),
        "roadmap_date": date(2021, 6, 28),
        "membership_status": ACTIVE,
        "member_since": date(2019, 3, 14),
    },
    {
        "slug": "grand-poitiers",
        "title": "Grand Poitiers Communauté urbaine",
        "territory": ("epci", "200069854"),
        "kind": CollectivityKind.CU,
        "siren": "200069854",
        "region": Region.NOUVELLE_AQUITAINE,
        "department": "86",
        "population": 196849,
        "commune_count": 40,
        "website": "https://www.grandpoitiers.fr",
        "email_domains": ("grandpoitiers.fr",),
        "presentation": (
            "<p>Communauté urbaine de la Vienne regroupant quarante communes. Elle a "
            "mutualisé son système d'information avec la ville centre et travaille "
            "à l'ouverture de ses données. Ses équipes documentent chaque étape "
            "pour les collectivités qui envisagent la même démarche.</p>"
        ),
        "themes": ("donnees", "e-administration", "inclusion-numerique"),
        "roadmap_date": date(2020, 12, 17),
        "membership_status": ACTIVE,
        "member_since": date(2018, 11, 5),
    },
    {
        "slug": "departement-de-la-gironde",
        "title": "Département de la Gironde",
        "territory": ("department", "33"),
        "kind": CollectivityKind.DEPARTEMENT,
        "insee_code": "33",
        "region": Region.NOUVELLE_AQUITAINE,
        "department": "33",
        "population": 1690493,
        "website": "https://www.gironde.fr",
        "email_domains": ("gironde.fr",),
        "presentation": (
            "<p>Le plus vaste département de France métropolitaine. Son action "
            "porte sur l'inclusion numérique des publics accompagnés par ses "
            "services sociaux et sur un numérique plus responsable dans ses "
            "propres services.</p>"
        ),
        "themes": ("inclusion-numerique", "sobriete-numerique"),
        "roadmap_date": date(2019, 11, 25),
        "membership_status": ACTIVE,
        "member_since": date(2020, 1, 20),
    },
    {
        "slug": "cc-pays-de-mormal",
        "title": "Communauté de communes du Pays de Mormal",
        "territory": ("epci", "200043321"),
        "kind": CollectivityKind.CC,
        "siren": "200043321",
        "region": Region.HAUTS_DE_FRANCE,
        "department": "59",
        "population": 48132,
        "commune_count": 52,
        "website": "https://www.cc-paysdemormal.fr",
        "email_domains": ("cc-paysdemormal.fr",),
        "presentation": (
            "<p>Intercommunalité rurale du Nord, autour de la forêt de Mormal. "
            "Elle porte des espaces France services et un tiers-lieu numérique, et "
            "a écrit sa feuille de route numérique avec ses communes membres.</p>"
        ),
        "themes": ("inclusion-numerique", "e-administration", "attractivite"),
        "roadmap_date": date(2022, 3, 24),
        "membership_status": ACTIVE,
        "member_since": date(2021, 6, 1),
    },
    {
        "slug": "metropole-de-lyon",
        "title": "Métropole de Lyon",
        "territory": ("epci", "200046977"),
        "kind": CollectivityKind.METROPOLE,
        "siren": "200046977",
        "region": Region.AUVERGNE_RHONE_ALPES,
        "department": "69",
        "population": 1433613,
        "commune_count": 58,
        "website": "https://www.grandlyon.com",
        "email_domains": ("grandlyon.com",),
        "presentation": (
            "<p>Collectivité à statut particulier exerçant sur son territoire les "
            "compétences d'une métropole et d'un département. Pionnière de "
            "l'ouverture des données publiques, elle anime une plateforme de "
            "données partagée avec les communes et les acteurs du territoire.</p>"
        ),
        "themes": ("donnees", "smart-city", "mobilite"),
        "roadmap_date": date(2021, 10, 11),
        "membership_status": ACTIVE,
        "member_since": date(2018, 9, 12),
    },
    {
        "slug": "ville-de-mulhouse",
        "title": "Ville de Mulhouse",
        "territory": ("commune", "68224"),
        "kind": CollectivityKind.COMMUNE,
        "siren": "216802249",
        "insee_code": "68224",
        "region": Region.GRAND_EST,
        "department": "68",
        "population": 104978,
        "website": "https://www.mulhouse.fr",
        "email_domains": ("mulhouse.fr",),
        "presentation": (
            "<p>Deuxième ville d'Alsace. Elle partage son retour d'expérience sur "
            "la sensibilisation des agents à la cybersécurité et sur la gestion "
            "d'une crise informatique, exercices de crise compris.</p>"
        ),
        "themes": ("cybersecurite", "infrastructures"),
        "membership_status": ACTIVE,
        "member_since": date(2019, 10, 3),
    },
    {
        "slug": "region-occitanie",
        "title": "Région Occitanie",
        "territory": ("region", "76"),
        "kind": CollectivityKind.REGION,
        "insee_code": "76",
        "region": Region.OCCITANIE,
        "population": 6124653,
        "website": "https://www.laregion.fr",
        "email_domains": ("laregion.fr",),
        "presentation": (
            "<p>Région de treize départements, de la Méditerranée aux Pyrénées. "
            "Elle soutient le déploiement des tiers-lieux et de la médiation "
            "numérique sur son territoire, et cofinance le très haut débit dans "
            "les zones rurales.</p>"
        ),
        "themes": ("inclusion-numerique", "attractivite", "infrastructures"),
        "roadmap_date": date(2021, 4, 15),
        "membership_status": ACTIVE,
        "member_since": date(2020, 5, 18),
        "contacts": (
            {
                "name": "Mathilde Roques",
                "function": "cheffe du service tiers-lieux et usages numériques",
                "email": "mathilde.roques@laregion.fr",
                "phone": "02 61 91 18 07",
            },
        ),
    },
    {
        "slug": "grand-annecy",
        "title": "Communauté d'agglomération du Grand Annecy",
        "territory": ("epci", "200066793"),
        "kind": CollectivityKind.CA,
        "siren": "200066793",
        "region": Region.AUVERGNE_RHONE_ALPES,
        "department": "74",
        "population": 211259,
        "commune_count": 34,
        "website": "https://www.grandannecy.fr",
        "email_domains": ("grandannecy.fr",),
        "presentation": (
            "<p>Agglomération de Haute-Savoie regroupant trente-quatre communes. "
            "Elle s'est engagée dans une démarche de sobriété numérique et de "
            "reconditionnement de son parc informatique, qu'elle propose "
            "aujourd'hui aux communes membres.</p>"
        ),
        "themes": ("sobriete-numerique", "infrastructures"),
        "roadmap_date": date(2023, 2, 9),
        "membership_status": ACTIVE,
        "member_since": date(2022, 2, 8),
    },
    {
        "slug": "ville-de-saint-malo",
        "title": "Ville de Saint-Malo",
        "territory": ("commune", "35288"),
        "kind": CollectivityKind.COMMUNE,
        "siren": "213502883",
        "insee_code": "35288",
        "region": Region.BRETAGNE,
        "department": "35",
        "population": 47439,
        "website": "https://www.saint-malo.fr",
        "email_domains": ("saint-malo.fr",),
        "presentation": (
            "<p>Cité corsaire d'Ille-et-Vilaine. Elle souhaite partager son "
            "travail sur les démarches en ligne et l'accueil des habitants. Son "
            "adhésion est en cours d'examen par le conseil d'administration.</p>"
        ),
        "themes": ("e-administration", "tourisme"),
        "membership_status": PENDING,
        "member_since": None,
    },
    {
        "slug": "departement-du-nord",
        "title": "Département du Nord",
        "territory": ("department", "59"),
        "kind": CollectivityKind.DEPARTEMENT,
        "insee_code": "59",
        "region": Region.HAUTS_DE_FRANCE,
        "department": "59",
        "population": 2615635,
        "website": "https://lenord.fr",
        "email_domains": ("lenord.fr",),
        "presentation": (
            "<p>Département le plus peuplé de France. Il a partagé sa démarche "
            "d'accessibilité numérique de ses sites et téléservices. Son adhésion "
            "n'a pas été renouvelée cette année.</p>"
        ),
        "themes": ("e-administration", "inclusion-numerique"),
        "membership_status": LAPSED,
        "member_since": date(2019, 1, 15),
    },
    {
        "slug": "brest-metropole",
        "title": "Brest métropole",
        "territory": ("epci", "242900314"),
        "kind": CollectivityKind.METROPOLE,
        "siren": "242900314",
        "region": Region.BRETAGNE,
        "department": "29",
        "population": 213403,
        "commune_count": 8,
        "website": "https://www.brest.fr",
        "email_domains": ("brest-metropole.fr",),
        "presentation": (
            "<p>Métropole du Finistère, engagée de longue date dans l'appropriation "
            "sociale du numérique et le soutien aux initiatives des habitants. Ses "
            "points d'accès publics à internet sont animés avec les associations "
            "de quartier.</p>"
        ),
        "themes": ("inclusion-numerique", "education-numerique", "donnees"),
        "roadmap_date": date(2020, 9, 24),
        "membership_status": ACTIVE,
        "member_since": date(2018, 9, 12),
    },
    {
        "slug": "cap-nord-martinique",
        "title": "Communauté d'agglomération du Pays Nord Martinique",
        "territory": ("epci", "200041788"),
        "kind": CollectivityKind.CA,
        "siren": "200041788",
        "region": Region.MARTINIQUE,
        "department": "972",
        "population": 95658,
        "commune_count": 18,
        "website": "https://www.capnordmartinique.fr",
        "email_domains": ("capnordmartinique.fr",),
        "presentation": (
            "<p>Intercommunalité du nord de la Martinique, de la montagne Pelée à "
            "la presqu'île de la Caravelle. Elle souhaite rejoindre le réseau pour "
            "partager ses projets d'inclusion numérique dans les communes "
            "rurales.</p>"
        ),
        "themes": ("inclusion-numerique", "tourisme"),
        "membership_status": PENDING,
        "member_since": None,
    },
    {
        "slug": "ville-de-grenoble",
        "title": "Ville de Grenoble",
        "territory": ("commune", "38185"),
        "kind": CollectivityKind.COMMUNE,
        "siren": "213801855",
        "insee_code": "38185",
        "region": Region.AUVERGNE_RHONE_ALPES,
        "department": "38",
        "population": 156140,
        "website": "https://www.grenoble.fr",
        "email_domains": ("grenoble.fr",),
        "presentation": (
            "<p>Ville-centre de l'agglomération grenobloise. Elle a fait des "
            "logiciels libres et de la sobriété numérique des axes de sa politique "
            "informatique, et associe les habitants à la conception de ses "
            "services en ligne.</p>"
        ),
        "themes": ("sobriete-numerique", "e-administration", "donnees"),
        "membership_status": ACTIVE,
        "member_since": date(2021, 1, 18),
    },
    {
        "slug": "ville-de-saint-denis-la-reunion",
        "title": "Ville de Saint-Denis (La Réunion)",
        "territory": ("commune", "97411"),
        "kind": CollectivityKind.COMMUNE,
        "siren": "219740115",
        "insee_code": "97411",
        "region": Region.REUNION,
        "department": "974",
        "population": 155634,
        "website": "https://www.saintdenis.re",
        "email_domains": ("saintdenis.re",),
        "presentation": (
            "<p>Chef-lieu de La Réunion et première ville des outre-mer. Elle "
            "déploie des maisons de services de proximité dans ses quartiers et "
            "forme ses agents d'accueil à l'accompagnement aux démarches en "
            "ligne.</p>"
        ),
        "themes": ("inclusion-numerique", "e-administration"),
        "roadmap_date": date(2022, 7, 6),
        "membership_status": ACTIVE,
        "member_since": date(2021, 9, 27),
    },
    {
        "slug": "ville-de-loos-en-gohelle",
        "title": "Ville de Loos-en-Gohelle",
        "territory": ("commune", "62528"),
        "kind": CollectivityKind.COMMUNE,
        "siren": "216205286",
        "insee_code": "62528",
        "region": Region.HAUTS_DE_FRANCE,
        "department": "62",
        "population": 6799,
        "website": "https://www.loos-en-gohelle.fr",
        "email_domains": ("loos-en-gohelle.fr",),
        "presentation": (
            "<p>Ancienne commune minière du Pas-de-Calais, connue pour sa démarche "
            "de transition. Elle équipe ses écoles avec du matériel reconditionné "
            "et associe les habitants aux choix numériques de la commune.</p>"
        ),
        "themes": ("sobriete-numerique", "education-numerique"),
        "membership_status": ACTIVE,
        "member_since": date(2022, 5, 16),
    },
    {
        "slug": "ville-d-ajaccio",
        "title": "Ville d'Ajaccio",
        "territory": ("commune", "2A004"),
        "kind": CollectivityKind.COMMUNE,
        "siren": "212000046",
        "insee_code": "2A004",
        "region": Region.CORSE,
        "department": "2A",
        "population": 76320,
        "website": "https://www.ajaccio.fr",
        "email_domains": ("ajaccio.fr",),
        "presentation": (
            "<p>Préfecture de la Corse-du-Sud et première ville de l'île. Elle "
            "modernise son système d'information et renforce sa sécurité après un "
            "audit mené avec l'appui d'un centre de réponse aux incidents.</p>"
        ),
        "themes": ("cybersecurite", "tourisme"),
        "membership_status": ACTIVE,
        "member_since": date(2023, 3, 2),
    },
    {
        "slug": "ville-d-issy-les-moulineaux",
        "title": "Ville d'Issy-les-Moulineaux",
        "territory": ("commune", "92040"),
        "kind": CollectivityKind.COMMUNE,
        "siren": "219200409",
        "insee_code": "92040",
        "region": Region.ILE_DE_FRANCE,
        "department": "92",
        "population": 67669,
        "website": "https://www.issy.com",
        "email_domains": ("issy.com",),
        "presentation": (
            "<p>Ville des Hauts-de-Seine engagée très tôt dans les services en "
            "ligne et la participation citoyenne numérique. Elle partage ses "
            "expérimentations de ville intelligente et leur évaluation.</p>"
        ),
        "themes": ("smart-city", "e-administration", "donnees"),
        "roadmap_date": date(2020, 2, 3),
        "membership_status": ACTIVE,
        "member_since": date(2018, 10, 1),
    },
    {
        "slug": "commune-de-langouet",
        "title": "Commune de Langouët",
        "territory": ("commune", "35146"),
        "kind": CollectivityKind.COMMUNE,
        "siren": "213501463",
        "insee_code": "35146",
        "region": Region.BRETAGNE,
        "department": "35",
        "population": 604,
        "website": "https://www.langouet.fr",
        "email_domains": ("langouet.fr",),
        "presentation": (
            "<p>Commune rurale de six cents habitants au nord de Rennes. Sans "
            "service informatique, elle s'appuie sur son intercommunalité et sur "
            "les outils mutualisés de la région, et témoigne de ce qu'une petite "
            "mairie peut faire avec peu de moyens.</p>"
        ),
        "themes": ("e-administration",),
        "membership_status": ACTIVE,
        "member_since": date(2023, 9, 11),
    },
    {
        "slug": "cc-du-thouarsais",
        "title": "Communauté de communes du Thouarsais",
        "territory": ("epci", "247900798"),
        "kind": CollectivityKind.CC,
        "siren": "247900798",
        "region": Region.NOUVELLE_AQUITAINE,
        "department": "79",
        "population": 35369,
        "commune_count": 24,
        "website": "https://www.thouars-communaute.fr",
        "email_domains": ("thouars-communaute.fr",),
        "presentation": (
            "<p>Intercommunalité du nord des Deux-Sèvres, pionnière de la "
            "transition énergétique. Elle a mutualisé avec ses communes un service "
            "informatique et une délégation à la protection des données.</p>"
        ),
        "themes": ("infrastructures", "sobriete-numerique"),
        "roadmap_date": date(2022, 11, 8),
        "membership_status": ACTIVE,
        "member_since": date(2020, 10, 19),
    },
    {
        "slug": "cc-du-grand-chambord",
        "title": "Communauté de communes du Grand Chambord",
        "territory": ("epci", "244100798"),
        "kind": CollectivityKind.CC,
        "siren": "244100798",
        "region": Region.CENTRE_VAL_DE_LOIRE,
        "department": "41",
        "population": 20640,
        "commune_count": 16,
        "website": "https://www.grandchambord.fr",
        "email_domains": ("grandchambord.fr",),
        "presentation": (
            "<p>Seize communes de Loir-et-Cher autour du domaine de Chambord. "
            "L'intercommunalité a recruté des conseillers numériques itinérants "
            "et travaille à l'accueil numérique des visiteurs du territoire.</p>"
        ),
        "themes": ("inclusion-numerique", "tourisme"),
        "membership_status": ACTIVE,
        "member_since": date(2024, 1, 22),
    },
    {
        "slug": "lannion-tregor-communaute",
        "title": "Lannion-Trégor Communauté",
        "territory": ("epci", "200065928"),
        "kind": CollectivityKind.CA,
        "siren": "200065928",
        "region": Region.BRETAGNE,
        "department": "22",
        "population": 100877,
        "commune_count": 57,
        "website": "https://www.lannion-tregor.com",
        "email_domains": ("lannion-tregor.com",),
        "presentation": (
            "<p>Agglomération de cinquante-sept communes du Trégor. Elle héberge "
            "les applications métiers de ses communes et les accompagne dans leur "
            "cybersécurité, avec un plan de sauvegarde commun.</p>"
        ),
        "themes": ("cybersecurite", "infrastructures", "e-administration"),
        "roadmap_date": date(2021, 12, 14),
        "membership_status": ACTIVE,
        "member_since": date(2019, 6, 3),
    },
    {
        "slug": "cinor",
        "title": "Communauté intercommunale du Nord de La Réunion (CINOR)",
        "territory": ("epci", "249740119"),
        "kind": CollectivityKind.CA,
        "siren": "249740119",
        "region": Region.REUNION,
        "department": "974",
        "population": 216588,
        "commune_count": 3,
        "website": "https://www.cinor.fr",
        "email_domains": ("cinor.fr",),
        "presentation": (
            "<p>Agglomération de Saint-Denis, Sainte-Marie et Sainte-Suzanne. Elle "
            "accompagne la transformation numérique des entreprises de sa "
            "technopole et met ses transports en commun en données ouvertes.</p>"
        ),
        "themes": ("mobilite", "donnees", "attractivite"),
        "membership_status": ACTIVE,
        "member_since": date(2022, 10, 4),
    },
    {
        "slug": "angers-loire-metropole",
        "title": "Angers Loire Métropole",
        "territory": ("epci", "244900015"),
        "kind": CollectivityKind.CU,
        "siren": "244900015",
        "region": Region.PAYS_DE_LA_LOIRE,
        "department": "49",
        "population": 308806,
        "commune_count": 29,
        "website": "https://www.angersloiremetropole.fr",
        "email_domains": ("angersloiremetropole.fr",),
        "presentation": (
            "<p>Communauté urbaine de vingt-neuf communes en Maine-et-Loire. Elle "
            "mène un grand projet de territoire intelligent : éclairage public, "
            "arrosage et gestion des déchets pilotés par les données.</p>"
        ),
        "themes": ("smart-city", "donnees", "sobriete-numerique"),
        "roadmap_date": date(2019, 5, 20),
        "membership_status": ACTIVE,
        "member_since": date(2019, 2, 11),
    },
    {
        "slug": "metropole-nice-cote-d-azur",
        "title": "Métropole Nice Côte d'Azur",
        "territory": ("epci", "200030195"),
        "kind": CollectivityKind.METROPOLE,
        "siren": "200030195",
        "region": Region.PACA,
        "department": "06",
        "population": 568596,
        "commune_count": 51,
        "website": "https://www.nicecotedazur.org",
        "email_domains": ("nicecotedazur.org",),
        "presentation": (
            "<p>Métropole de cinquante et une communes, du littoral aux vallées "
            "alpines. Elle partage son expérience des capteurs urbains et de la "
            "gestion de crise, et les précautions prises pour protéger les données "
            "personnelles.</p>"
        ),
        "themes": ("smart-city", "cybersecurite", "mobilite"),
        "membership_status": ACTIVE,
        "member_since": date(2020, 3, 9),
    },
    {
        "slug": "metropole-rouen-normandie",
        "title": "Métropole Rouen Normandie",
        "territory": ("epci", "200023414"),
        "kind": CollectivityKind.METROPOLE,
        "siren": "200023414",
        "region": Region.NORMANDIE,
        "department": "76",
        "population": 500703,
        "commune_count": 71,
        "website": "https://www.metropole-rouen-normandie.fr",
        "email_domains": ("metropole-rouen-normandie.fr",),
        "presentation": (
            "<p>Métropole de soixante et onze communes le long de la Seine. Elle a "
            "adopté un plan de sobriété numérique et mutualise ses marchés de "
            "matériel avec les communes qui le souhaitent.</p>"
        ),
        "themes": ("sobriete-numerique", "infrastructures"),
        "roadmap_date": date(2022, 6, 27),
        "membership_status": ACTIVE,
        "member_since": date(2021, 3, 22),
    },
    {
        "slug": "departement-de-loire-atlantique",
        "title": "Département de Loire-Atlantique",
        "territory": ("department", "44"),
        "kind": CollectivityKind.DEPARTEMENT,
        "insee_code": "44",
        "region": Region.PAYS_DE_LA_LOIRE,
        "department": "44",
        "population": 1487570,
        "website": "https://www.loire-atlantique.fr",
        "email_domains": ("loire-atlantique.fr",),
        "presentation": (
            "<p>Département de l'estuaire de la Loire. Il coordonne un réseau "
            "départemental de lieux de médiation numérique et publie ses données "
            "sur un portail partagé avec les communes.</p>"
        ),
        "themes": ("inclusion-numerique", "donnees"),
        "roadmap_date": date(2021, 2, 1),
        "membership_status": ACTIVE,
        "member_since": date(2019, 4, 8),
    },
    {
        "slug": "region-normandie",
        "title": "Région Normandie",
        "territory": ("region", "28"),
        "kind": CollectivityKind.REGION,
        "insee_code": "28",
        "region": Region.NORMANDIE,
        "population": 3345842,
        "website": "https://www.normandie.fr",
        "email_domains": ("normandie.fr",),
        "presentation": (
            "<p>Région de cinq départements, de la Manche à l'Eure. Elle équipe "
            "les lycéens en ordinateurs portables et finance la formation des "
            "enseignants aux usages pédagogiques du numérique.</p>"
        ),
        "themes": ("education-numerique", "infrastructures"),
        "membership_status": ACTIVE,
        "member_since": date(2022, 9, 5),
    },
    {
        "slug": "region-guadeloupe",
        "title": "Région Guadeloupe",
        "territory": ("region", "01"),
        "kind": CollectivityKind.REGION,
        "insee_code": "01",
        "region": Region.GUADELOUPE,
        "population": 384160,
        "website": "https://www.regionguadeloupe.fr",
        "email_domains": ("regionguadeloupe.fr",),
        "presentation": (
            "<p>Région monodépartementale de l'archipel guadeloupéen. Elle pilote "
            "le déploiement de la fibre optique, y compris dans les îles du Sud, "
            "et soutient la création d'entreprises du numérique.</p>"
        ),
        "themes": ("infrastructures", "attractivite"),
        "membership_status": ACTIVE,
        "member_since": date(2023, 6, 19),
    },
    {
        "slug": "region-bourgogne-franche-comte",
        "title": "Région Bourgogne-Franche-Comté",
        "territory": ("region", "27"),
        "kind": CollectivityKind.REGION,
        "insee_code": "27",
        "region": Region.BOURGOGNE_FRANCHE_COMTE,
        "population": 2802670,
        "website": "https://www.bourgognefranchecomte.fr",
        "email_domains": ("bourgognefranchecomte.fr",),
        "presentation": (
            "<p>Région de huit départements, à dominante rurale. Sa stratégie "
            "numérique associe les intercommunalités au déploiement des tiers-lieux "
            "et à la mutualisation d'outils pour les petites communes.</p>"
        ),
        "themes": ("attractivite", "inclusion-numerique", "e-administration"),
        "roadmap_date": date(2022, 4, 8),
        "membership_status": ACTIVE,
        "member_since": date(2020, 11, 30),
    },
    {
        "slug": "megalis-bretagne",
        "title": "Mégalis Bretagne",
        "territory": None,  # A syndicat mixte: not in the referential.
        "kind": CollectivityKind.OTHER,
        "siren": "253514491",
        "region": Region.BRETAGNE,
        "website": "https://www.megalis.bretagne.bzh",
        "email_domains": ("megalis.bretagne.bzh",),
        "presentation": (
            "<p>Syndicat mixte de coopération territoriale qui réunit la Région, "
            "les quatre départements et les intercommunalités bretonnes. Il "
            "déploie la fibre optique et propose aux collectivités des services "
            "numériques mutualisés : marchés publics, télétransmission, "
            "signature électronique.</p>"
        ),
        "themes": ("infrastructures", "e-administration", "cybersecurite"),
        "membership_status": ACTIVE,
        "member_since": date(2018, 9, 12),
    },
)

# --- People ------------------------------------------------------------------------
# Invented people. Approved people with an address at their collectivity's domain
# were attached automatically; those with a personal address (example.org) were
# approved by the association. Exactly one request is waiting for a decision.

REPRESENTATIVE = AffiliationRole.REPRESENTATIVE
MEMBER = AffiliationRole.MEMBER
ELECTED = PersonStatus.ELECTED
AGENT = PersonStatus.AGENT

PEOPLE = (
    {
        "email": "gaelle.le-floch@lannion.bzh",
        "first_name": "Gaëlle",
        "last_name": "Le Floch",
        "status": ELECTED,
        "function": "adjointe au maire chargée du numérique et de la citoyenneté",
        "phone": "02 61 91 20 14",
        "collectivity": "ville-de-lannion",
        "role": REPRESENTATIVE,
        "joined": date(2019, 3, 20),
    },
    {
        "email": "erwan.le-goff@lannion.bzh",
        "first_name": "Erwan",
        "last_name": "Le Goff",
        "status": AGENT,
        "function": "conseiller numérique",
        "phone": "02 61 91 20 37",
        "collectivity": "ville-de-lannion",
        "contact": True,
        "joined": date(2021, 11, 8),
    },
    {
        "email": "olivier.brunet@grandpoitiers.fr",
        "first_name": "Olivier",
        "last_name": "Brunet",
        "status": AGENT,
        "function": "directeur des systèmes d'information mutualisé",
        "phone": "01 99 00 31 52",
        "collectivity": "grand-poitiers",
        "role": REPRESENTATIVE,
        "joined": date(2018, 11, 12),
    },
    {
        "email": "emilie.rousseau@grandpoitiers.fr",
        "first_name": "Émilie",
        "last_name": "Rousseau",
        "status": AGENT,
        "function": "cheffe de projet inclusion numérique",
        "phone": "02 61 91 27 90",
        "collectivity": "grand-poitiers",
        "contact": True,
        "joined": date(2020, 2, 3),
    },
    {
        "email": "sandrine.lafargue@gironde.fr",
        "first_name": "Sandrine",
        "last_name": "Lafargue",
        "status": AGENT,
        "function": "cheffe de projet inclusion numérique",
        "phone": "01 99 00 44 26",
        "collectivity": "departement-de-la-gironde",
        "role": REPRESENTATIVE,
        "joined": date(2020, 1, 27),
    },
    {
        "email": "thomas.lescure@gironde.fr",
        "first_name": "Thomas",
        "last_name": "Lescure",
        "status": AGENT,
        "function": "chef de projet numérique responsable",
        "phone": "02 61 91 43 18",
        "collectivity": "departement-de-la-gironde",
        "contact": True,
        "joined": date(2021, 5, 17),
    },
    {
        "email": "aurelie.desmarets@cc-paysdemormal.fr",
        "first_name": "Aurélie",
        "last_name": "Desmarets",
        "status": AGENT,
        "function": "chargée de mission tiers-lieu et inclusion numérique",
        "phone": "01 99 00 27 41",
        "collectivity": "cc-pays-de-mormal",
        "role": REPRESENTATIVE,
        "joined": date(2021, 6, 7),
    },
    {
        "email": "jean-marc.delattre@cc-paysdemormal.fr",
        "first_name": "Jean-Marc",
        "last_name": "Delattre",
        "status": ELECTED,
        "function": "vice-président délégué au numérique et aux France services",
        "phone": "01 99 00 27 05",
        "collectivity": "cc-pays-de-mormal",
        "role": REPRESENTATIVE,
        "joined": date(2021, 6, 14),
    },
    {
        "email": "karim.benali@grandlyon.com",
        "first_name": "Karim",
        "last_name": "Benali",
        "status": AGENT,
        "function": "chef de projet données ouvertes",
        "phone": "01 99 00 58 62",
        "collectivity": "metropole-de-lyon",
        "role": REPRESENTATIVE,
        "joined": date(2018, 9, 20),
    },
    {
        "email": "helene.morel@grandlyon.com",
        "first_name": "Hélène",
        "last_name": "Morel",
        "status": ELECTED,
        "function": "vice-présidente déléguée au numérique",
        "phone": "01 99 00 58 10",
        "collectivity": "metropole-de-lyon",
        "role": REPRESENTATIVE,
        "joined": date(2020, 9, 14),
    },
    {
        "email": "nicolas.riehl@mulhouse.fr",
        "first_name": "Nicolas",
        "last_name": "Riehl",
        "status": AGENT,
        "function": "responsable de la sécurité des systèmes d'information",
        "phone": "01 99 00 73 05",
        "collectivity": "ville-de-mulhouse",
        "role": REPRESENTATIVE,
        "joined": date(2019, 10, 10),
    },
    {
        "email": "sophie.koenig@mulhouse.fr",
        "first_name": "Sophie",
        "last_name": "Koenig",
        "status": AGENT,
        "function": "directrice générale adjointe des services",
        "phone": "01 99 00 73 48",
        "collectivity": "ville-de-mulhouse",
        "joined": date(2022, 1, 10),
    },
    {
        "email": "laure.castan@laregion.fr",
        "first_name": "Laure",
        "last_name": "Castan",
        "status": AGENT,
        "function": "directrice de l'aménagement et des usages numériques",
        "phone": "02 61 91 18 62",
        "collectivity": "region-occitanie",
        "role": REPRESENTATIVE,
        "joined": date(2020, 5, 25),
    },
    {
        "email": "benoit.mugnier@grandannecy.fr",
        "first_name": "Benoît",
        "last_name": "Mugnier",
        "status": AGENT,
        "function": "directeur des systèmes d'information",
        "phone": "01 99 00 64 19",
        "collectivity": "grand-annecy",
        "role": REPRESENTATIVE,
        "joined": date(2022, 2, 14),
    },
    {
        "email": "maelle.briand@saint-malo.fr",
        "first_name": "Maëlle",
        "last_name": "Briand",
        "status": AGENT,
        "function": "chargée de mission transformation numérique",
        "phone": "02 61 91 35 76",
        "collectivity": "ville-de-saint-malo",
        "contact": True,
        "joined": date(2025, 1, 13),
    },
    {
        "email": "francis.vandewalle@lenord.fr",
        "first_name": "Francis",
        "last_name": "Vandewalle",
        "status": AGENT,
        "function": "référent accessibilité numérique",
        "phone": "01 99 00 59 23",
        "collectivity": "departement-du-nord",
        "contact": True,
        "joined": date(2019, 1, 21),
    },
    {
        "email": "anne-laure.quemener@brest-metropole.fr",
        "first_name": "Anne-Laure",
        "last_name": "Quéméner",
        "status": ELECTED,
        "function": "vice-présidente déléguée au numérique",
        "phone": "02 61 91 29 03",
        "collectivity": "brest-metropole",
        "role": REPRESENTATIVE,
        "joined": date(2018, 9, 18),
    },
    {
        "email": "yann.kerherve@brest-metropole.fr",
        "first_name": "Yann",
        "last_name": "Kerhervé",
        "status": AGENT,
        "function": "chargé de mission appropriation sociale du numérique",
        "phone": "02 61 91 29 41",
        "collectivity": "brest-metropole",
        "contact": True,
        "joined": date(2019, 4, 1),
    },
    {
        "email": "josiane.merine@capnordmartinique.fr",
        "first_name": "Josiane",
        "last_name": "Mérine",
        "status": AGENT,
        "function": "directrice générale des services",
        "phone": "01 99 00 97 21",
        "collectivity": "cap-nord-martinique",
        "contact": True,
        "joined": date(2025, 2, 3),
    },
    {
        "email": "camille.fabre@grenoble.fr",
        "first_name": "Camille",
        "last_name": "Fabre",
        "status": ELECTED,
        "function": "adjointe au numérique et aux données ouvertes",
        "phone": "01 99 00 38 15",
        "collectivity": "ville-de-grenoble",
        "role": REPRESENTATIVE,
        "joined": date(2021, 1, 25),
    },
    {
        "email": "jean-claude.payet@saintdenis.re",
        "first_name": "Jean-Claude",
        "last_name": "Payet",
        "status": AGENT,
        "function": "directeur des systèmes d'information",
        "phone": "02 61 91 97 40",
        "collectivity": "ville-de-saint-denis-la-reunion",
        "role": REPRESENTATIVE,
        "joined": date(2021, 10, 4),
    },
    {
        "email": "marion.lefebvre@loos-en-gohelle.fr",
        "first_name": "Marion",
        "last_name": "Lefebvre",
        "status": AGENT,
        "function": "directrice générale des services",
        "phone": "01 99 00 62 28",
        "collectivity": "ville-de-loos-en-gohelle",
        "role": REPRESENTATIVE,
        "joined": date(2022, 5, 23),
    },
    {
        "email": "patrick.delval@example.org",
        "first_name": "Patrick",
        "last_name": "Delval",
        "status": ELECTED,
        "function": "conseiller municipal délégué à la transition numérique",
        "phone": "",
        "collectivity": "ville-de-loos-en-gohelle",
        "joined": date(2022, 6, 2),
    },
    {
        "email": "paul-antoine.santoni@ajaccio.fr",
        "first_name": "Paul-Antoine",
        "last_name": "Santoni",
        "status": AGENT,
        "function": "directeur du numérique",
        "phone": "01 99 00 20 04",
        "collectivity": "ville-d-ajaccio",
        "role": REPRESENTATIVE,
        "joined": date(2023, 3, 9),
    },
    {
        "email": "cecile.vasseur@issy.com",
        "first_name": "Cécile",
        "last_name": "Vasseur",
        "status": AGENT,
        "function": "directrice de la relation aux usagers",
        "phone": "01 99 00 92 40",
        "collectivity": "ville-d-issy-les-moulineaux",
        "role": REPRESENTATIVE,
        "joined": date(2018, 10, 8),
    },
    {
        "email": "mathieu.gautier@issy.com",
        "first_name": "Mathieu",
        "last_name": "Gautier",
        "status": AGENT,
        "function": "chef de projet ville intelligente",
        "phone": "01 99 00 92 77",
        "collectivity": "ville-d-issy-les-moulineaux",
        "contact": True,
        "joined": date(2020, 6, 15),
    },
    {
        "email": "jeanne.rouault@example.org",
        "first_name": "Jeanne",
        "last_name": "Rouault",
        "status": ELECTED,
        "function": "maire",
        "phone": "02 61 91 35 14",
        "collectivity": "commune-de-langouet",
        "role": REPRESENTATIVE,
        "joined": date(2023, 9, 18),
    },
    {
        "email": "stephane.girard@thouars-communaute.fr",
        "first_name": "Stéphane",
        "last_name": "Girard",
        "status": ELECTED,
        "function": "vice-président délégué au numérique et aux mobilités",
        "phone": "02 61 91 79 12",
        "collectivity": "cc-du-thouarsais",
        "role": REPRESENTATIVE,
        "joined": date(2020, 10, 26),
    },
    {
        "email": "nathalie.besnard@grandchambord.fr",
        "first_name": "Nathalie",
        "last_name": "Besnard",
        "status": AGENT,
        "function": "directrice générale des services",
        "phone": "02 61 91 41 33",
        "collectivity": "cc-du-grand-chambord",
        "role": REPRESENTATIVE,
        "joined": date(2024, 1, 29),
    },
    {
        "email": "yannick.morvan@example.org",
        "first_name": "Yannick",
        "last_name": "Morvan",
        "status": AGENT,
        "function": "conseiller numérique itinérant",
        "phone": "02 61 91 41 58",
        "collectivity": "cc-du-grand-chambord",
        "affiliation": AffiliationStatus.PENDING,
        "contact": False,
        "message": (
            "Bonjour, je viens d'être recruté comme conseiller numérique itinérant "
            "par la communauté de communes et je n'ai pas encore d'adresse "
            "professionnelle. Merci de valider mon rattachement."
        ),
        "requested_days_ago": 2,
    },
    {
        "email": "ronan.le-bihan@lannion-tregor.com",
        "first_name": "Ronan",
        "last_name": "Le Bihan",
        "status": AGENT,
        "function": "directeur des systèmes d'information",
        "phone": "02 61 91 22 06",
        "collectivity": "lannion-tregor-communaute",
        "role": REPRESENTATIVE,
        "joined": date(2019, 6, 10),
    },
    {
        "email": "soazig.guillou@lannion-tregor.com",
        "first_name": "Soazig",
        "last_name": "Guillou",
        "status": AGENT,
        "function": "chargée de mission inclusion numérique",
        "phone": "02 61 91 22 49",
        "collectivity": "lannion-tregor-communaute",
        "contact": True,
        "joined": date(2021, 3, 1),
    },
    {
        "email": "marie-josee.grondin@cinor.fr",
        "first_name": "Marie-Josée",
        "last_name": "Grondin",
        "status": AGENT,
        "function": "cheffe de projet transformation numérique",
        "phone": "01 99 00 97 45",
        "collectivity": "cinor",
        "role": REPRESENTATIVE,
        "joined": date(2022, 10, 11),
    },
    {
        "email": "florent.chauvin@angersloiremetropole.fr",
        "first_name": "Florent",
        "last_name": "Chauvin",
        "status": AGENT,
        "function": "directeur de projet territoire intelligent",
        "phone": "02 61 91 49 07",
        "collectivity": "angers-loire-metropole",
        "role": REPRESENTATIVE,
        "joined": date(2019, 2, 18),
    },
    {
        "email": "claire.bouvet@angersloiremetropole.fr",
        "first_name": "Claire",
        "last_name": "Bouvet",
        "status": AGENT,
        "function": "déléguée à la protection des données",
        "phone": "02 61 91 49 63",
        "collectivity": "angers-loire-metropole",
        "joined": date(2021, 9, 6),
    },
    {
        "email": "julie.ferrero@nicecotedazur.org",
        "first_name": "Julie",
        "last_name": "Ferrero",
        "status": AGENT,
        "function": "directrice de la transformation numérique",
        "phone": "01 99 00 60 36",
        "collectivity": "metropole-nice-cote-d-azur",
        "role": REPRESENTATIVE,
        "joined": date(2020, 3, 16),
    },
    {
        "email": "antoine.lemarchand@metropole-rouen-normandie.fr",
        "first_name": "Antoine",
        "last_name": "Lemarchand",
        "status": ELECTED,
        "function": "vice-président délégué au numérique",
        "phone": "01 99 00 76 11",
        "collectivity": "metropole-rouen-normandie",
        "role": REPRESENTATIVE,
        "joined": date(2021, 3, 29),
    },
    {
        "email": "elodie.duval@metropole-rouen-normandie.fr",
        "first_name": "Élodie",
        "last_name": "Duval",
        "status": AGENT,
        "function": "chargée de mission sobriété numérique",
        "phone": "01 99 00 76 54",
        "collectivity": "metropole-rouen-normandie",
        "contact": True,
        "joined": date(2022, 7, 4),
    },
    {
        "email": "gwenaelle.riviere@loire-atlantique.fr",
        "first_name": "Gwenaëlle",
        "last_name": "Rivière",
        "status": AGENT,
        "function": "cheffe du service inclusion numérique",
        "phone": "02 61 91 44 25",
        "collectivity": "departement-de-loire-atlantique",
        "role": REPRESENTATIVE,
        "joined": date(2019, 4, 15),
    },
    {
        "email": "francois.lecoq@normandie.fr",
        "first_name": "François",
        "last_name": "Lecoq",
        "status": AGENT,
        "function": "directeur du numérique éducatif",
        "phone": "01 99 00 14 70",
        "collectivity": "region-normandie",
        "role": REPRESENTATIVE,
        "joined": date(2022, 9, 12),
    },
    {
        "email": "sandrine.jalton@regionguadeloupe.fr",
        "first_name": "Sandrine",
        "last_name": "Jalton",
        "status": AGENT,
        "function": "directrice des systèmes d'information",
        "phone": "01 99 00 97 18",
        "collectivity": "region-guadeloupe",
        "role": REPRESENTATIVE,
        "joined": date(2023, 6, 26),
    },
    {
        "email": "virginie.perrot@bourgognefranchecomte.fr",
        "first_name": "Virginie",
        "last_name": "Perrot",
        "status": ELECTED,
        "function": "vice-présidente déléguée au numérique et aux tiers-lieux",
        "phone": "01 99 00 21 39",
        "collectivity": "region-bourgogne-franche-comte",
        "role": REPRESENTATIVE,
        "joined": date(2020, 12, 7),
    },
    {
        "email": "loic.tanguy@megalis.bretagne.bzh",
        "first_name": "Loïc",
        "last_name": "Tanguy",
        "status": AGENT,
        "function": "responsable des services numériques mutualisés",
        "phone": "02 61 91 35 02",
        "collectivity": "megalis-bretagne",
        "role": REPRESENTATIVE,
        "joined": date(2018, 9, 24),
    },
)

# Printed by `seed_demo` as an example login (DEBUG only).
EXAMPLE_LOGIN = "gaelle.le-floch@lannion.bzh"
PASSWORD_FILE_NAME = "demo_users_password"  # noqa: S105 (a file name)


# --- Collectivities ----------------------------------------------------------------


def referential_loaded() -> bool:
    """Whether `load_territories` has been run on this database."""
    return TerritoryRegion.objects.exists()


def official_values(data, *, use_referential):
    """Identity fields: the referential's when it knows the territory, else ours."""
    values = {
        "kind": data["kind"],
        "siren": data.get("siren", ""),
        "insee_code": data.get("insee_code", ""),
        "region": data["region"],
        "department": data.get("department", ""),
        "population": data.get("population"),
        "commune_count": data.get("commune_count"),
        "member_communes": "",
    }
    territory = data.get("territory")
    if use_referential and territory:
        found = profile_values(*territory)
        if found is not None:
            found.pop("title")  # Ours reads better: "Ville de ...", "Département de".
            values.update(found)
    return values


def person_contact(person):
    return {
        "name": f"{person['first_name']} {person['last_name']}",
        "function": person["function"],
        "email": person["email"],
        "phone": person["phone"],
    }


def is_contact(person):
    return person.get("contact", person.get("role") == REPRESENTATIVE)


def collectivity_values(data, *, themes, use_referential):
    people_contacts = [
        person_contact(person)
        for person in PEOPLE
        if person["collectivity"] == data["slug"] and is_contact(person)
    ]
    try:
        theme_list = [themes[slug] for slug in data["themes"]]
    except KeyError as error:
        raise CommandError(
            f"No theme with the slug {error.args[0]!r}: run the migrations first."
        ) from None
    return {
        "title": data["title"],
        **official_values(data, use_referential=use_referential),
        "website": data["website"],
        "presentation": data["presentation"],
        "roadmap_adopted": data.get("roadmap_date") is not None,
        "roadmap_date": data.get("roadmap_date"),
        "themes": theme_list,
        "email_domains": "\n".join(data["email_domains"]),
        "membership_status": data["membership_status"],
        "member_since": data["member_since"],
        "contacts": [*people_contacts, *data.get("contacts", ())],
    }


def seed_collectivities(index, stats):
    """Create or update the member profiles; return them by slug."""
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    use_referential = referential_loaded()
    pages = {}
    for data in COLLECTIVITIES:
        values = collectivity_values(
            data, themes=themes, use_referential=use_referential
        )
        pages[data["slug"]] = upsert_page(
            index, CollectivityPage, data["slug"], values, stats
        )
    return pages


# --- People ------------------------------------------------------------------------


@dataclass
class DemoLogin:
    """How to log in as a demo person, printed by `seed_demo` (DEBUG only)."""

    password_file: Path
    email: str


def demo_password() -> tuple[str, Path]:
    """The demo people's password, generated once and kept under `VAR_DIR`.

    Not a secret worth the name (a local demo), but never committed either.
    """
    password_file = Path(settings.VAR_DIR) / PASSWORD_FILE_NAME
    if password_file.exists():
        password = password_file.read_text(encoding="utf-8").strip()
        if password:
            return password, password_file
    password = secrets.token_urlsafe(12)
    password_file.parent.mkdir(parents=True, exist_ok=True)
    password_file.write_text(password, encoding="utf-8")
    password_file.chmod(0o600)
    return password, password_file


def shared_password_hash(password, users) -> str:
    """One hash of the demo password, shared by every demo account.

    Hashing is slow on purpose (a few tenths of a second), so checking each
    account's password on every run would cost seconds. Every demo account gets
    the same encoded hash instead: an existing one is reused when it is still
    that of the demo password (checked once), so a rerun writes nothing.
    """
    hashes = Counter(user.password for user in users if user.has_usable_password())
    for encoded, _count in hashes.most_common():
        try:
            hasher = identify_hasher(encoded)
        except ValueError:
            continue
        if not hasher.must_update(encoded) and check_password(password, encoded):
            return encoded
    return make_password(password)


def _aware(day, hour=9, minute=30):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _joined(person):
    """When the person asked to join: a date, or a few days ago for a pending one."""
    if "joined" in person:
        return person["joined"]
    return timezone.localdate() - timedelta(days=person["requested_days_ago"])


def _upsert_user(person, user, password_hash, stats):
    values = {
        "first_name": person["first_name"],
        "last_name": person["last_name"],
        "status": person["status"],
        "function_title": person["function"],
        "phone": person["phone"],
        "is_active": True,
    }
    if user is None:
        user = User(
            email=person["email"], date_joined=_aware(_joined(person), 9, 0), **values
        )
        # Without DEBUG, nobody gets a known password: an unusable one instead.
        user.password = password_hash or make_password(None)
        user.save()
        stats.count(User, "created")
        return user
    changed = False
    for name, value in values.items():
        if getattr(user, name) != value:
            setattr(user, name, value)
            changed = True
    if password_hash and user.password != password_hash:
        user.password = password_hash
        changed = True
    if changed:
        user.save()
        stats.count(User, "updated")
    else:
        stats.count(User, "unchanged")
    return user


def _upsert_email_address(user, addresses, stats):
    """A verified, primary address: allauth lets nobody in without one."""
    address = next(
        (a for a in addresses if a.email.lower() == user.email.lower()), None
    )
    if address is not None and address.verified and address.primary:
        stats.count(EmailAddress, "unchanged")
        return
    others = EmailAddress.objects.filter(user=user, primary=True)
    if address is None:
        others.update(primary=False)
        EmailAddress.objects.create(
            user=user, email=user.email, verified=True, primary=True
        )
        stats.count(EmailAddress, "created")
        return
    others.exclude(pk=address.pk).update(primary=False)
    address.verified = address.primary = True
    address.save(update_fields=["verified", "primary"])
    stats.count(EmailAddress, "updated")


def _upsert_affiliation(person, user, collectivity, current, stats):
    """The person's open affiliation, written directly: nobody is notified."""
    status = person.get("affiliation", AffiliationStatus.APPROVED)
    role = person.get("role", MEMBER)
    message = person.get("message", "")
    now = timezone.now()
    if current is not None and current.collectivity_id != collectivity.pk:
        # Attached elsewhere since (in the demo): back to the demo's collectivity.
        current.status = AffiliationStatus.ENDED
        current.decided_at = now
        current.save(update_fields=["status", "decided_at"])
        current = None
    if current is None:
        affiliation = Affiliation.objects.create(
            user=user,
            collectivity=collectivity,
            status=status,
            role=role,
            message=message,
        )
        # `requested_at` is set on creation (auto_now_add): date it afterwards.
        if status == AffiliationStatus.PENDING:
            requested = _aware(_joined(person), 10, 15)
            decided = None
        else:
            requested = _aware(person["joined"])
            automatic = person["email"].rsplit("@", 1)[1] in (
                collectivity.email_domain_list
            )
            decided = requested if automatic else requested + timedelta(days=1)
        Affiliation.objects.filter(pk=affiliation.pk).update(
            requested_at=requested, decided_at=decided
        )
        stats.count(Affiliation, "created")
        return
    changed = False
    for name, value in (("status", status), ("role", role), ("message", message)):
        if getattr(current, name) != value:
            setattr(current, name, value)
            changed = True
    if changed:
        if status == AffiliationStatus.PENDING:
            current.decided_at = current.decided_by = None
        elif current.decided_at is None:
            current.decided_at = now
        current.save()
        stats.count(Affiliation, "updated")
    else:
        stats.count(Affiliation, "unchanged")


def seed_people(stats, *, with_passwords=None):
    """Create or update the demo people, their addresses and affiliations.

    With passwords (by default when DEBUG is on), every demo account gets the demo
    password and a `DemoLogin` is returned; otherwise new accounts get an unusable
    password, existing ones keep theirs, and None is returned.
    """
    if with_passwords is None:
        with_passwords = settings.DEBUG
    collectivities = {
        page.slug: page
        for page in CollectivityPage.objects.filter(
            slug__in={person["collectivity"] for person in PEOPLE}
        )
    }
    emails = [person["email"] for person in PEOPLE]
    users = {user.email: user for user in User.objects.filter(email__in=emails)}

    login = None
    password_hash = None
    if with_passwords:
        password, password_file = demo_password()
        password_hash = shared_password_hash(password, users.values())
        login = DemoLogin(password_file=password_file, email=EXAMPLE_LOGIN)

    addresses = {}
    for address in EmailAddress.objects.filter(user__in=users.values()):
        addresses.setdefault(address.user_id, []).append(address)
    open_affiliations = {
        affiliation.user_id: affiliation
        for affiliation in Affiliation.objects.filter(
            user__in=users.values(), status__in=OPEN_AFFILIATION_STATUSES
        )
    }

    seeded = []
    for person in PEOPLE:
        collectivity = collectivities.get(person["collectivity"])
        if collectivity is None:
            raise CommandError(
                f"No collectivity with the slug {person['collectivity']!r}: seed "
                "the collectivities first."
            )
        user = _upsert_user(person, users.get(person["email"]), password_hash, stats)
        _upsert_email_address(user, addresses.get(user.pk, []), stats)
        _upsert_affiliation(
            person, user, collectivity, open_affiliations.get(user.pk), stats
        )
        seeded.append(user)

    # Derived state, recomputed from the affiliations (both only write what differs).
    for collectivity in collectivities.values():
        has_representatives = any(
            person.get("role") == REPRESENTATIVE
            for person in PEOPLE
            if person["collectivity"] == collectivity.slug
        )
        if has_representatives or representatives_group(collectivity) is not None:
            sync_representative_permissions(collectivity)
    for user in seeded:
        sync_member_group(user)
    return login
