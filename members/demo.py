"""Demo member collectivities for `seed_demo`: real places, invented people."""

from datetime import date

from members.models import CollectivityKind, CollectivityPage, MembershipStatus
from members.territories import Region
from retex.demo import upsert_page

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


def seed_collectivities(index, stats):
    for data in COLLECTIVITIES:
        values = {key: value for key, value in data.items() if key != "slug"}
        upsert_page(index, CollectivityPage, data["slug"], values, stats)
