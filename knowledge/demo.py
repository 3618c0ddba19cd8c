"""Demo knowledge pages for `seed_demo`: articles, interviews and practices.

Real places, invented people. Themes and related collectivities are given by slug;
the collectivities must be seeded first. One article is members-only.
"""

from datetime import timedelta

from django.core.management.base import CommandError
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
    callout,
    heading,
    paragraph,
    quote,
    restrict_to_members,
    upsert_page,
)
from retex.models import Theme

# --- Articles ----------------------------------------------------------------------

ARTICLES = (
    {
        "slug": "conseillers-numeriques-lannion",
        "title": "Inclusion numérique : ce que les conseillers numériques ont changé "
        "à Lannion",
        "days_ago": 12,
        "themes": ("inclusion-numerique",),
        "collectivities": ("ville-de-lannion",),
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
        "themes": ("cybersecurite",),
        "collectivities": ("ville-de-mulhouse",),
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
        "themes": ("sobriete-numerique", "infrastructures"),
        "collectivities": ("grand-annecy",),
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
        "themes": ("donnees", "e-administration"),
        "collectivities": ("grand-poitiers",),
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
        "themes": ("inclusion-numerique", "e-administration"),
        "collectivities": ("cc-pays-de-mormal",),
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
        "themes": ("e-administration",),
        "collectivities": ("cc-pays-de-mormal",),
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
        "themes": ("inclusion-numerique", "attractivite"),
        "collectivities": ("region-occitanie",),
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
        "themes": ("e-administration", "inclusion-numerique"),
        "collectivities": ("departement-du-nord",),
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
    {
        # The one members-only page of the demo (see `seed_knowledge`).
        "slug": "seminaire-des-dsi-compte-rendu",
        "title": "Retour sur le séminaire des DSI : compte rendu réservé aux membres",
        "days_ago": 30,
        "themes": ("cybersecurite", "infrastructures", "e-administration"),
        "collectivities": (
            "grand-poitiers",
            "ville-de-mulhouse",
            "brest-metropole",
            "grand-annecy",
        ),
        "members_only": True,
        "lead": (
            "Une trentaine de directrices et directeurs des systèmes d'information "
            "se sont retrouvés deux jours à Poitiers. Prix des marchés, incidents "
            "de sécurité, recrutements : des échanges francs, partagés entre "
            "membres seulement."
        ),
        "body": (
            paragraph(
                "<p>Le séminaire annuel des DSI du réseau s'est tenu à Poitiers, "
                "accueilli par la direction du numérique mutualisée de Grand "
                "Poitiers. Comme chaque année, la règle de Chatham House "
                "s'appliquait : les propos sont rapportés sans être attribués, et "
                "ce compte rendu n'est accessible qu'aux membres du réseau.</p>"
            ),
            heading("Logiciels métier : des hausses de prix difficiles à absorber"),
            paragraph(
                "<p>Plusieurs collectivités ont constaté des hausses de 15 à 40 % "
                "de leurs contrats de maintenance lors du passage de leurs éditeurs "
                "à l'abonnement en ligne. Les participants ont comparé leurs prix : "
                "pour un même logiciel de gestion financière, le coût annuel par "
                "utilisateur varie du simple au triple d'une collectivité à "
                "l'autre, à périmètre comparable.</p>"
            ),
            paragraph(
                "<ul><li>négocier dès l'attribution du marché une clause qui "
                "plafonne les révisions de prix ;</li><li>comparer les conditions "
                "des centrales d'achat avec celles d'un marché propre avant d'y "
                "recourir ;</li><li>exiger dans le contrat la réversibilité des "
                "données, et en connaître le prix.</li></ul>"
            ),
            heading("Incidents de sécurité : ce qui n'a pas été rendu public"),
            paragraph(
                "<p>Quatre collectivités ont détaillé des incidents survenus dans "
                "l'année : deux compromissions de messagerie ayant servi à des "
                "fraudes au changement de coordonnées bancaires, une intrusion par "
                "l'accès de télémaintenance d'un prestataire et le chiffrement "
                "partiel de serveurs, circonscrit en quelques heures grâce à la "
                "segmentation du réseau. Dans trois cas sur quatre, le point "
                "d'entrée était un compte sans double authentification.</p>"
            ),
            callout(
                "Mesure immédiate recommandée",
                "<p>Recenser les accès distants des prestataires, les fermer par "
                "défaut et ne les ouvrir qu'à la demande, pour une durée limitée "
                "et avec une double authentification.</p>",
                kind="warning",
            ),
            heading("Recruter et garder les compétences"),
            paragraph(
                "<p>Tous les participants ont au moins un poste vacant, le plus "
                "souvent en sécurité ou en administration des systèmes. Pistes "
                "évoquées : partager un responsable de la sécurité entre plusieurs "
                "collectivités, recourir à l'apprentissage et mettre en avant le "
                "sens du service public plutôt que le salaire, sur lequel les "
                "collectivités ne peuvent pas s'aligner.</p>"
            ),
            quote(
                "On ne gagnera pas la bataille des salaires. On peut gagner celle "
                "de l'intérêt du travail et de la stabilité des équipes.",
                "Un participant",
                "directeur des systèmes d'information d'une agglomération",
            ),
            heading("Les suites"),
            paragraph(
                "<ol><li>un groupement de commandes pour des audits de sécurité, "
                "coordonné par Grand Poitiers ;</li><li>un tableau partagé des prix "
                "des principaux logiciels métier, alimenté par les membres "
                "volontaires ;</li><li>le prochain séminaire, à Brest, consacré à "
                "la sobriété des salles serveurs.</li></ol>"
            ),
        ),
    },
)


# --- Interviews --------------------------------------------------------------------


def qa(question, answer_html):
    return {
        "type": "question_answer",
        "value": {"question": question, "answer": answer_html},
    }


INTERVIEWS = (
    {
        "slug": "entretien-gaelle-le-floch-lannion",
        "title": "Gaëlle Le Floch : « La médiation numérique, c'est d'abord de "
        "l'accueil »",
        "days_ago": 20,
        "themes": ("inclusion-numerique", "e-administration"),
        "collectivities": ("ville-de-lannion",),
        "lead": (
            "Adjointe au maire de Lannion chargée du numérique et de la "
            "citoyenneté, Gaëlle Le Floch revient sur trois ans de médiation "
            "numérique de proximité et sur la manière de pérenniser les postes de "
            "conseillers numériques."
        ),
        "interviewer": "Claire Dumont, Réseau Retex",
        "interviewees": (
            {
                "name": "Gaëlle Le Floch",
                "function": "adjointe au maire chargée du numérique et de la "
                "citoyenneté",
                "collectivity": "ville-de-lannion",
            },
        ),
        "body": (
            qa(
                "Pourquoi la ville a-t-elle fait de la médiation numérique une "
                "priorité ?",
                "<p>Parce que nous voyions arriver à l'accueil de la mairie des "
                "habitants en difficulté avec des démarches qui ne relevaient même "
                "pas de la commune : prime d'activité, carte grise, dossier de "
                "retraite. Nos agents faisaient de leur mieux, sans formation ni "
                "temps dédié. Nous avons préféré organiser cet accompagnement "
                "plutôt que de le subir.</p>",
            ),
            qa(
                "Comment avez-vous organisé les permanences ?",
                "<p>Les deux conseillers numériques tiennent des permanences à la "
                "mairie, à la médiathèque et au centre social, avec ou sans "
                "rendez-vous. Ils vont aussi là où sont les gens : au marché, dans "
                "les résidences autonomie, auprès des associations de quartier. "
                "Environ un tiers des accompagnements se font désormais hors les "
                "murs.</p>",
            ),
            qa(
                "Qui sont les personnes accompagnées ?",
                "<p>Pas seulement des personnes âgées, contrairement à l'idée "
                "reçue. Nous recevons beaucoup de jeunes adultes très à l'aise avec "
                "leur téléphone mais perdus devant un formulaire administratif, et "
                "des personnes qui maîtrisent mal le français. Le point commun est "
                "souvent une période de fragilité : une séparation, une perte "
                "d'emploi, un déménagement.</p>",
            ),
            qa(
                "Le financement de l'État diminue. Comment pérennisez-vous les "
                "postes ?",
                "<p>Nous avons inscrit un poste au budget de la ville et nous "
                "cherchons à cofinancer le second avec l'agglomération et le centre "
                "communal d'action sociale. C'est un choix politique assumé : un "
                "conseiller numérique coûte moins cher que les dossiers mal remplis "
                "et les droits non réclamés. Nous partageons aussi nos supports "
                "d'ateliers avec les communes voisines, qui n'ont pas les moyens de "
                "recruter.</p>",
            ),
            qa(
                "Quel conseil donneriez-vous à une commune qui se lance ?",
                "<p>Former les agents d'accueil avant même de recruter, car ce sont "
                "eux qui orientent les habitants. Et mesurer, même simplement : le "
                "nombre de personnes accompagnées et le type de démarches suffisent "
                "à convaincre un conseil municipal.</p>",
            ),
        ),
    },
    {
        "slug": "entretien-anne-laure-quemener-brest",
        "title": "Anne-Laure Quéméner : « Le numérique doit rester l'affaire des "
        "habitants »",
        "days_ago": 65,
        "themes": ("inclusion-numerique", "education-numerique"),
        "collectivities": ("brest-metropole",),
        "lead": (
            "Vice-présidente de Brest métropole déléguée au numérique, Anne-Laure "
            "Quéméner explique comment la métropole soutient depuis vingt ans les "
            "initiatives des habitants et des associations plutôt que de tout "
            "faire elle-même."
        ),
        "interviewer": "Julien Ferrand, Réseau Retex",
        "interviewees": (
            {
                "name": "Anne-Laure Quéméner",
                "function": "vice-présidente déléguée au numérique",
                "collectivity": "brest-metropole",
            },
        ),
        "body": (
            qa(
                "Brest parle d'« appropriation sociale » du numérique. Qu'est-ce "
                "que cela recouvre ?",
                "<p>L'idée est simple : le numérique n'est pas qu'une affaire "
                "d'équipements ou de services en ligne, c'est un outil que les "
                "habitants doivent pouvoir s'approprier pour leurs propres projets. "
                "La collectivité ne fait pas à leur place ; elle donne des moyens, "
                "des lieux et de la reconnaissance aux associations, aux écoles et "
                "aux centres sociaux qui s'en emparent.</p>",
            ),
            qa(
                "Concrètement, quels sont vos leviers ?",
                "<p>Un réseau de points d'accès public à internet installés chez "
                "des partenaires : maisons de quartier, bibliothèques, "
                "associations. Chaque année, un appel à projets soutient des "
                "initiatives d'habitants, de l'atelier de réparation d'ordinateurs "
                "au journal de quartier en ligne. Les montants sont modestes, "
                "souvent quelques milliers d'euros, mais ils rendent possibles des "
                "projets qui n'auraient jamais vu le jour.</p>",
            ),
            qa(
                "Comment évaluez-vous une politique aussi diffuse ?",
                "<p>C'est la vraie difficulté. Nous suivons quelques indicateurs, "
                "comme le nombre de lieux, de projets soutenus et de personnes "
                "accueillies, mais l'essentiel est qualitatif. Une fois par an, les "
                "porteurs de projets racontent ce qu'ils ont fait, réussi ou raté : "
                "les élus y apprennent bien plus que dans un tableau de bord.</p>",
            ),
            qa(
                "Les huit communes de la métropole sont-elles toutes engagées de "
                "la même manière ?",
                "<p>Non, et ce n'est pas un problème. La ville-centre a des "
                "quartiers prioritaires, les communes périurbaines davantage de "
                "personnes âgées isolées. Nous mettons les outils en commun et "
                "chaque commune choisit ce qu'elle en fait.</p>",
            ),
            qa(
                "Que diriez-vous à une collectivité qui hésite à financer des "
                "associations plutôt que ses propres services ?",
                "<p>Que les associations touchent des publics que nous ne verrons "
                "jamais au guichet. Une subvention de fonctionnement stable sur "
                "trois ans vaut mieux qu'un appel à projets annuel qui épuise les "
                "bénévoles. La confiance se construit dans la durée, et elle se "
                "perd très vite quand les financements deviennent "
                "imprévisibles.</p>",
            ),
        ),
    },
    {
        "slug": "entretien-olivier-brunet-grand-poitiers",
        "title": "Olivier Brunet : « Mutualiser le système d'information, c'est "
        "d'abord une affaire de confiance »",
        "days_ago": 120,
        "themes": ("e-administration", "infrastructures", "cybersecurite"),
        "collectivities": ("grand-poitiers",),
        "lead": (
            "Directeur des systèmes d'information mutualisé de Grand Poitiers et de "
            "la Ville de Poitiers, Olivier Brunet tire le bilan de la fusion des "
            "services informatiques de la communauté urbaine et de sa "
            "ville-centre."
        ),
        "interviewer": "Claire Dumont, Réseau Retex",
        "interviewees": (
            {
                "name": "Olivier Brunet",
                "function": "directeur des systèmes d'information mutualisé",
                "collectivity": "grand-poitiers",
            },
        ),
        "body": (
            qa(
                "Pourquoi avoir mutualisé les services informatiques de la ville "
                "et de la communauté urbaine ?",
                "<p>Les deux collectivités partageaient déjà des bâtiments, des "
                "agents et une partie de leurs logiciels : maintenir deux équipes, "
                "deux réseaux et deux contrats pour chaque outil n'avait plus de "
                "sens. La mutualisation a aussi permis de constituer une équipe "
                "assez grande pour avoir de vrais spécialistes, en sécurité ou en "
                "données, ce qu'aucune des deux n'aurait pu s'offrir seule.</p>",
            ),
            qa(
                "Comment les communes membres en bénéficient-elles ?",
                "<p>Une vingtaine de communes adhèrent à un service commun qui leur "
                "fournit le poste de travail, la messagerie, la téléphonie et "
                "l'assistance. Elles paient selon un barème par poste, révisé "
                "chaque année en conférence des maires. Pour une petite commune, "
                "c'est l'assurance d'avoir des sauvegardes et des mises à jour de "
                "sécurité qu'elle n'aurait jamais gérées seule.</p>",
            ),
            qa(
                "Quelles difficultés avez-vous rencontrées ?",
                "<p>La principale a été humaine : harmoniser les métiers, les "
                "horaires et les régimes indemnitaires de deux équipes qui avaient "
                "leurs habitudes. Il a aussi fallu inventer une clé de répartition "
                "des coûts que chacun juge équitable, et la réexpliquer à chaque "
                "mandat. Techniquement, la fusion des annuaires et des messageries "
                "a pris dix-huit mois, deux fois plus que prévu.</p>",
            ),
            qa(
                "La cybersécurité a-t-elle changé la donne ?",
                "<p>Complètement. Un système d'information mutualisé est une cible "
                "plus intéressante, et une attaque toucherait des dizaines de "
                "communes d'un coup. Nous avons généralisé la double "
                "authentification, cloisonné le réseau par collectivité et nous "
                "organisons un exercice de crise par an avec les élus. Ce budget "
                "n'est plus discuté : chacun a en tête des collectivités paralysées "
                "pendant des semaines.</p>",
            ),
            qa(
                "Et la sobriété numérique ?",
                "<p>Nous avons porté à sept ans la durée d'usage des postes de "
                "travail et nous reconditionnons ceux qui sortent du parc pour les "
                "associations du territoire. Un parc plus grand aide : on récupère "
                "des pièces et on standardise les modèles. Le prochain chantier est "
                "la consommation électrique de nos salles serveurs.</p>",
            ),
            qa(
                "Recommanderiez-vous la démarche ?",
                "<p>Oui, à condition de ne pas la présenter comme une source "
                "d'économies immédiates : les premières années coûtent plus cher, "
                "le gain vient ensuite, en qualité de service et en sécurité. Et il "
                "faut une gouvernance où les communes ont réellement leur mot à "
                "dire, sinon la confiance s'érode.</p>",
            ),
        ),
    },
    {
        "slug": "entretien-inclusion-numerique-gironde-saint-symphorien",
        "title": "Inclusion numérique en milieu rural : le Département et la "
        "commune, chacun son rôle",
        "days_ago": 240,
        "themes": ("inclusion-numerique", "e-administration"),
        "collectivities": ("departement-de-la-gironde",),
        "lead": (
            "Sandrine Lafargue pilote l'inclusion numérique au Département de la "
            "Gironde ; Michel Dubernet est maire de Saint-Symphorien, commune "
            "rurale du sud du département. Ils racontent comment ils se répartissent "
            "le travail."
        ),
        "interviewer": "Julien Ferrand, Réseau Retex",
        "interviewees": (
            {
                "name": "Sandrine Lafargue",
                "function": "cheffe de projet inclusion numérique",
                "collectivity": "departement-de-la-gironde",
            },
            {
                "name": "Michel Dubernet",
                "function": "maire",
                "collectivity_name": "Commune de Saint-Symphorien (Gironde)",
            },
        ),
        "body": (
            qa(
                "Sandrine Lafargue, pourquoi un département s'occupe-t-il "
                "d'inclusion numérique ?",
                "<p><b>Sandrine Lafargue :</b> Parce que les personnes que nous "
                "accompagnons au titre de l'action sociale, allocataires du RSA, "
                "personnes âgées, personnes en situation de handicap, sont les "
                "premières touchées par la dématérialisation. Quand une démarche en "
                "ligne n'aboutit pas, c'est un droit qui n'est pas ouvert. Le "
                "Département coordonne donc les acteurs du territoire et finance "
                "une partie de l'accompagnement.</p>",
            ),
            qa(
                "Michel Dubernet, que voyez-vous depuis la mairie ?",
                "<p><b>Michel Dubernet :</b> Des habitants qui arrivent avec un "
                "courrier de leur caisse de retraite ou leur avis d'imposition et "
                "qui ne savent pas par où commencer. Beaucoup n'ont pas "
                "d'ordinateur, et la connexion reste médiocre dans certains "
                "hameaux. Notre secrétaire de mairie les aidait, mais ce n'est ni "
                "son métier ni son rôle, et elle n'en a pas le temps.</p>",
            ),
            qa(
                "Comment vous êtes-vous organisés ?",
                "<p><b>Sandrine Lafargue :</b> Un conseiller numérique "
                "départemental tient une permanence deux demi-journées par mois "
                "dans la salle du conseil, avec un ordinateur et une connexion "
                "fournis par la commune. Les rendez-vous se prennent à l'accueil de "
                "la mairie. Entre deux permanences, la secrétaire de mairie oriente "
                "vers l'espace France services le plus proche.</p>",
            ),
            qa(
                "Qu'est-ce qui a le mieux fonctionné ?",
                "<p><b>Michel Dubernet :</b> Le bouche-à-oreille. Les premières "
                "permanences étaient presque vides ; au bout de trois mois, elles "
                "étaient complètes. Les gens font confiance à quelqu'un qu'ils "
                "voient régulièrement, dans un lieu qu'ils connaissent. Le club des "
                "aînés relaie aussi l'information mieux que n'importe quelle "
                "affiche.</p>",
            ),
            qa(
                "Votre commune n'est pas membre du réseau. Qu'attendez-vous de ces "
                "échanges ?",
                "<p><b>Michel Dubernet :</b> Savoir ce que font les autres petites "
                "communes, tout simplement. Nous n'avons ni service informatique ni "
                "chargé de mission : quand nous lançons quelque chose, c'est "
                "souvent à tâtons. Pouvoir appeler un maire qui a déjà essuyé les "
                "plâtres fait gagner un temps considérable.</p>",
            ),
            qa(
                "Quelles sont les prochaines étapes ?",
                "<p><b>Sandrine Lafargue :</b> Nous voulons former les secrétaires "
                "de mairie volontaires à l'orientation, pour qu'aucun habitant ne "
                "reparte sans solution. Nous travaillons aussi avec les "
                "intercommunalités pour que les permanences ne reposent pas sur un "
                "seul poste financé par le Département : si ce poste disparaît, "
                "tout le dispositif s'arrête.</p>",
            ),
        ),
    },
)


# --- Practices ---------------------------------------------------------------------

PRACTICES = (
    {
        "slug": "tiers-lieu-numerique-pays-de-mormal",
        "title": "Un tiers-lieu numérique dans une ancienne école du Pays de Mormal",
        "days_ago": 75,
        "themes": ("inclusion-numerique", "attractivite", "education-numerique"),
        "collectivities": ("cc-pays-de-mormal", "departement-du-nord"),
        "lead": (
            "Coworking, fablab, médiation numérique et espace France services sous "
            "un même toit : comment une intercommunalité rurale a transformé une "
            "école désaffectée en lieu ressource pour ses habitants."
        ),
        "collectivity": "cc-pays-de-mormal",
        "status": PracticeStatus.ONGOING,
        "start_year": 2022,
        "budget_range": BudgetRange.FROM_200K,
        "partners": (
            "Région Hauts-de-France, Agence nationale de la cohésion des "
            "territoires (programme Fabriques de territoire), Banque des "
            "Territoires, Département du Nord, association Les Ateliers du Bocage "
            "(gestion du lieu), mission locale, collèges du territoire"
        ),
        "context": (
            "<p>La communauté de communes du Pays de Mormal regroupe des communes "
            "rurales autour de la forêt de Mormal, dans l'Avesnois. Le diagnostic "
            "de sa feuille de route numérique a fait apparaître trois besoins : un "
            "accompagnement aux démarches en ligne, des espaces de travail pour les "
            "indépendants et les télétravailleurs, et un lieu d'apprentissage pour "
            "les jeunes. Une école primaire de Landrecies, vide depuis un "
            "regroupement scolaire, offrait 600 m² disponibles.</p>"
        ),
        "objectives": (
            "<ul><li>offrir à moins de vingt minutes de chaque habitant un lieu "
            "d'accompagnement aux usages numériques ;</li><li>proposer un espace de "
            "travail partagé aux télétravailleurs et aux indépendants ;</li><li>"
            "initier les jeunes à la fabrication numérique : impression 3D, "
            "découpe laser, électronique ;</li><li>confier l'animation du lieu à "
            "une association plutôt que de le gérer en régie.</li></ul>"
        ),
        "actions": (
            "<ol><li>étude de programmation et trois réunions publiques de "
            "concertation ;</li><li>réhabilitation du rez-de-chaussée "
            "(accessibilité, réseau, chauffage) et appel à manifestation d'intérêt "
            "pour la gestion du lieu ;</li><li>ouverture avec douze postes de "
            "coworking, un fablab et deux bureaux de permanence ;</li><li>"
            "labellisation de l'espace France services, puis lancement d'un bus "
            "numérique qui dessert les communes les plus éloignées.</li></ol>"
        ),
        "results": (
            "<p>Après deux ans de fonctionnement, le lieu accueille en moyenne 450 "
            "personnes par mois. Les conseillers numériques y ont réalisé plus de "
            "3 000 accompagnements, dont la moitié pour des démarches "
            "administratives. Le coworking compte une quinzaine d'abonnés "
            "réguliers, moins que prévu ; le fablab, lui, a dépassé les attentes "
            "grâce aux ateliers menés avec les collèges.</p>"
        ),
        "lessons": (
            "<ul><li>Le gestionnaire associatif a donné au lieu une vie que la "
            "collectivité n'aurait pas su créer, mais la convention doit fixer "
            "précisément qui paie quoi : le chauffage et la maintenance ont donné "
            "lieu à des discussions tendues la première année.</li><li>Le "
            "coworking seul n'est pas un modèle économique en milieu rural ; c'est "
            "la combinaison des usages qui fait venir le public.</li><li>Le bus "
            "numérique touche des habitants qui ne viendraient jamais au "
            "tiers-lieu : il aurait dû être prévu dès le départ.</li></ul>"
        ),
        "contact_name": "Aurélie Desmarets",
        "contact_function": "chargée de mission tiers-lieu et inclusion numérique",
        "contact_email": "aurelie.desmarets@cc-paysdemormal.example",
        "contact_phone": "01 99 00 27 41",
    },
    {
        "slug": "plan-sobriete-numerique-gironde",
        "title": "Un plan de sobriété numérique pour les services du Département "
        "de la Gironde",
        "days_ago": 25,
        "themes": ("sobriete-numerique", "infrastructures"),
        "collectivities": ("departement-de-la-gironde",),
        "lead": (
            "Des milliers de postes de travail, deux salles serveurs, des dizaines "
            "de téléservices : le Département a mesuré l'empreinte "
            "environnementale de son numérique avant d'écrire un plan d'action sur "
            "cinq ans."
        ),
        "collectivity": "departement-de-la-gironde",
        "status": PracticeStatus.PLANNED,
        "start_year": 2026,
        "budget_range": BudgetRange.FROM_50K,
        "partners": (
            "ADEME Nouvelle-Aquitaine, Institut du numérique responsable, "
            "structures de reconditionnement de l'économie sociale et solidaire, "
            "direction de la commande publique"
        ),
        "context": (
            "<p>La loi du 15 novembre 2021 visant à réduire l'empreinte "
            "environnementale du numérique impose aux départements de définir une "
            "stratégie numérique responsable. Le Département de la Gironde, dont "
            "les agents travaillent sur plus de deux cents sites, n'avait mené "
            "jusqu'ici que des actions isolées : impression recto verso par défaut, "
            "extinction des postes la nuit. Les élus ont souhaité une démarche "
            "d'ensemble, fondée sur des mesures plutôt que sur des intuitions.</p>"
        ),
        "objectives": (
            "<ul><li>réduire de 30 % en cinq ans les émissions de gaz à effet de "
            "serre liées au numérique de la collectivité ;</li><li>porter de cinq "
            "à huit ans la durée d'usage des ordinateurs portables ;</li><li>"
            "intégrer des critères environnementaux à tous les marchés "
            "informatiques ;</li><li>alléger les sites et les téléservices "
            "départementaux.</li></ul>"
        ),
        "actions": (
            "<ol><li>inventaire complet du parc (postes, écrans, imprimantes, "
            "téléphones, serveurs) et calcul de son empreinte ;</li><li>ateliers "
            "avec chaque direction pour repérer les usages superflus : doubles "
            "écrans systématiques, documents stockés en plusieurs exemplaires, "
            "imprimantes individuelles ;</li><li>rédaction du plan, qui sera "
            "présenté en séance plénière ;</li><li>préparation d'un marché de "
            "reconditionnement comportant une clause d'insertion.</li></ol>"
        ),
        "results": (
            "<p>Le diagnostic, seule étape achevée à ce jour, montre que la "
            "fabrication des équipements représente près de 80 % de l'empreinte "
            "carbone du numérique départemental, loin devant l'électricité "
            "consommée. Les imprimantes individuelles sont deux fois plus "
            "nombreuses que nécessaire, et un tiers des fichiers stockés n'a pas "
            "été ouvert depuis trois ans. Ces chiffres ont convaincu les directions "
            "plus sûrement que les discours.</p>"
        ),
        "lessons": (
            "<ul><li>Commencer par mesurer : sans inventaire fiable, impossible de "
            "fixer des objectifs crédibles ni d'en suivre l'atteinte.</li><li>"
            "Associer la commande publique dès le départ, car l'essentiel des "
            "leviers passe par les marchés.</li><li>Ne pas culpabiliser les "
            "agents : le poids d'un courriel est anecdotique à côté de la durée de "
            "vie des équipements.</li></ul>"
        ),
        "contact_name": "Thomas Lescure",
        "contact_function": "chef de projet numérique responsable, direction des "
        "systèmes d'information",
        "contact_email": "thomas.lescure@gironde.example",
        "contact_phone": "02 61 91 43 18",
    },
    {
        "slug": "portail-donnees-ouvertes-metropole-de-lyon",
        "title": "Refondre son portail de données ouvertes et publier les données "
        "de mobilité en temps réel",
        "days_ago": 160,
        "themes": ("donnees", "mobilite", "smart-city"),
        "collectivities": ("metropole-de-lyon",),
        "lead": (
            "Un catalogue trié, une API unique et des données de circulation "
            "mises à jour en continu : comment la Métropole de Lyon a refondu son "
            "portail de données ouvertes en partant des besoins de ses "
            "réutilisateurs."
        ),
        "collectivity": "metropole-de-lyon",
        "status": PracticeStatus.ONGOING,
        "start_year": 2023,
        "budget_range": BudgetRange.FROM_200K,
        "partners": (
            "SYTRAL Mobilités, communes de la Métropole, transport.data.gouv.fr, "
            "associations, entreprises et laboratoires de recherche réutilisateurs"
        ),
        "context": (
            "<p>Pionnière de l'ouverture des données publiques, la Métropole de "
            "Lyon publie ses données depuis le début des années 2010. Au fil du "
            "temps, le portail avait accumulé des jeux de données hétérogènes, "
            "parfois obsolètes, et plusieurs modes d'accès qui décourageaient les "
            "développeurs. Les réutilisateurs réclamaient surtout des données de "
            "mobilité fiables et actualisées.</p>"
        ),
        "objectives": (
            "<ul><li>faire le tri dans le catalogue et désigner un responsable "
            "pour chaque jeu de données ;</li><li>offrir un point d'accès unique "
            "par API, documenté et stable ;</li><li>publier en temps réel la "
            "circulation, le stationnement et la disponibilité des vélos en libre "
            "service ;</li><li>aligner les jeux de données sur les schémas "
            "nationaux.</li></ul>"
        ),
        "actions": (
            "<ol><li>audit du catalogue : un quart des jeux de données, non mis à "
            "jour depuis plus de trois ans, a été archivé ou repris ;</li><li>"
            "désignation de référents « données » dans chaque direction, formés à "
            "la qualité et aux licences ;</li><li>ateliers trimestriels avec les "
            "réutilisateurs pour choisir les publications prioritaires ;</li><li>"
            "mise en service d'une API unique et d'une page publique de "
            "disponibilité ;</li><li>publication des données de mobilité avec "
            "SYTRAL Mobilités, reprises par transport.data.gouv.fr.</li></ol>"
        ),
        "results": (
            "<p>Les appels à l'API ont triplé en dix-huit mois. Une cinquantaine "
            "d'applications et de services réutilisent les données de mobilité, "
            "des calculateurs d'itinéraires aux travaux de recherche sur la "
            "qualité de l'air. En interne, les directions se servent désormais du "
            "portail pour échanger des données entre elles, ce qui n'était pas un "
            "objectif de départ.</p>"
        ),
        "lessons": (
            "<ul><li>Un jeu de données sans responsable identifié finit toujours "
            "par devenir obsolète.</li><li>Les réutilisateurs préfèrent peu de "
            "données fiables à beaucoup de données approximatives.</li><li>Le "
            "temps réel impose l'exploitation d'un service critique : astreintes, "
            "supervision, engagement de disponibilité.</li></ul>"
        ),
        "contact_name": "Karim Benali",
        "contact_function": "chef de projet données ouvertes",
        "contact_email": "karim.benali@grandlyon.example",
        "contact_phone": "01 99 00 58 62",
    },
    {
        "slug": "exercice-crise-rancongiciel-mulhouse",
        "title": "Un exercice de crise rançongiciel grandeur nature à la mairie",
        "days_ago": 50,
        "themes": ("cybersecurite",),
        "collectivities": ("ville-de-mulhouse",),
        "lead": (
            "Un samedi matin, élus, direction générale et services supports ont "
            "simulé une attaque par rançongiciel. Quatre heures d'exercice qui ont "
            "révélé des failles bien plus organisationnelles que techniques."
        ),
        "collectivity": "ville-de-mulhouse",
        "status": PracticeStatus.DONE,
        "start_year": 2025,
        "budget_range": BudgetRange.UNDER_10K,
        "partners": (
            "ANSSI (guide « Organiser un exercice de gestion de crise cyber »), "
            "CSIRT régional, préfecture du Haut-Rhin, assureur de la collectivité"
        ),
        "context": (
            "<p>Plusieurs collectivités ont été paralysées par des rançongiciels "
            "ces dernières années. La Ville de Mulhouse disposait de sauvegardes et "
            "d'un plan de reprise informatique, mais sa cellule de crise n'avait "
            "jamais été réunie pour un incident cyber. La direction générale a "
            "demandé un exercice pour vérifier que l'organisation tiendrait.</p>"
        ),
        "objectives": (
            "<ul><li>tester la chaîne d'alerte et la constitution de la cellule de "
            "crise ;</li><li>vérifier que les services essentiels peuvent "
            "fonctionner en mode dégradé pendant plusieurs jours ;</li><li>"
            "entraîner les élus à la communication de crise et à la décision face "
            "à une demande de rançon ;</li><li>repérer les dépendances cachées aux "
            "outils numériques.</li></ul>"
        ),
        "actions": (
            "<ol><li>trois mois de préparation par un petit groupe (systèmes "
            "d'information, direction générale, communication) ;</li><li>un "
            "scénario progressif : messagerie hors service, puis serveurs "
            "chiffrés, puis fuite de données revendiquée ;</li><li>quatre heures "
            "d'exercice avec une vingtaine de participants et des observateurs du "
            "CSIRT régional ;</li><li>un retour à chaud le jour même, puis un "
            "retour à froid trois semaines plus tard, conclu par un plan "
            "d'action.</li></ol>"
        ),
        "results": (
            "<p>L'exercice a mis au jour des faiblesses que personne n'avait "
            "vues : l'annuaire de la cellule de crise n'existait qu'en version "
            "numérique, le contrat d'assurance cyber était introuvable hors du "
            "réseau et personne ne savait qui devait notifier la CNIL. Les "
            "deux tiers des dix-sept mesures du plan d'action ont été réalisées en "
            "six mois, dont un classeur de crise imprimé et des téléphones de "
            "secours.</p>"
        ),
        "lessons": (
            "<ul><li>Associer les élus dès la préparation : leur présence a donné "
            "du poids aux conclusions.</li><li>Choisir un scénario réaliste mais "
            "pas catastrophiste : il s'agit d'apprendre, pas de mettre les "
            "participants en échec.</li><li>Le retour à froid compte plus que "
            "l'exercice lui-même ; sans plan d'action suivi, l'effort est "
            "perdu.</li><li>Recommencer chaque année avec un autre scénario, en "
            "associant les services opérationnels.</li></ul>"
        ),
        "contact_name": "Nicolas Riehl",
        "contact_function": "responsable de la sécurité des systèmes d'information",
        "contact_email": "nicolas.riehl@mulhouse.example",
        "contact_phone": "01 99 00 73 05",
    },
    {
        "slug": "visio-guichets-france-services-grand-poitiers",
        "title": "Des bornes de visio-guichet France services dans les mairies "
        "rurales : un projet abandonné",
        "days_ago": 190,
        "themes": ("inclusion-numerique", "e-administration"),
        "collectivities": ("grand-poitiers",),
        "lead": (
            "Équiper les mairies rurales de bornes de visioconférence reliées à "
            "l'espace France services devait rapprocher les services publics des "
            "habitants. Dix-huit mois plus tard, la communauté urbaine y a mis "
            "fin. Retour sans fard sur un échec."
        ),
        "collectivity": "grand-poitiers",
        "status": PracticeStatus.ABANDONED,
        "start_year": 2022,
        "budget_range": BudgetRange.FROM_50K,
        "partners": (
            "Préfecture de la Vienne, réseau France services (ANCT), CAF de la "
            "Vienne, CPAM de la Vienne, France Travail, communes volontaires"
        ),
        "context": (
            "<p>Grand Poitiers compte une quarantaine de communes, dont beaucoup "
            "de petites communes rurales éloignées des espaces France services. "
            "Pour éviter des déplacements aux habitants, la communauté urbaine a "
            "proposé aux communes volontaires d'installer dans leur mairie une "
            "borne de visio-guichet : un écran, une caméra, un scanner et une "
            "imprimante pour un rendez-vous à distance avec un agent France "
            "services ou un partenaire.</p>"
        ),
        "objectives": (
            "<ul><li>offrir dans chaque commune volontaire un accès à distance aux "
            "services publics ;</li><li>désengorger l'accueil de l'espace France "
            "services ;</li><li>permettre à la CAF, à la CPAM et à France Travail "
            "de tenir des rendez-vous dans les communes sans y envoyer "
            "d'agent.</li></ul>"
        ),
        "actions": (
            "<ol><li>achat et installation de huit bornes dans des communes de "
            "moins de 2 000 habitants ;</li><li>formation des secrétaires de "
            "mairie à l'accueil des usagers et au lancement des rendez-vous ;"
            "</li><li>agenda partagé avec l'espace France services ;</li><li>"
            "communication dans les bulletins municipaux et par affichage.</li>"
            "</ol>"
        ),
        "results": (
            "<p>En dix-huit mois, les huit bornes ont servi à 212 rendez-vous au "
            "total, soit moins de deux par borne et par mois. Seuls deux "
            "partenaires sur cinq se sont connectés au dispositif, et les "
            "secrétaires de mairie y passaient un temps qui n'avait pas été prévu. "
            "Les bornes ont été retirées ; la moitié du budget de fonctionnement "
            "finance désormais un conseiller numérique itinérant qui tient des "
            "permanences dans douze communes.</p>"
        ),
        "lessons": (
            "<ul><li>Nous avons acheté le matériel avant de vérifier la demande : "
            "une enquête auprès des habitants aurait montré qu'ils attendaient une "
            "personne, pas un écran.</li><li>Les publics les plus éloignés du "
            "numérique sont aussi ceux que la visioconférence met le plus mal à "
            "l'aise, surtout pour des démarches sensibles où il faut montrer des "
            "documents.</li><li>Un dispositif qui repose sur des partenaires "
            "exige leur engagement écrit avant le lancement ; plusieurs n'avaient "
            "ni les créneaux ni l'équipement.</li><li>La charge reportée sur les "
            "secrétaires de mairie doit être reconnue et compensée.</li><li>Arrêter "
            "un projet n'est pas un échec politique quand on le dit clairement et "
            "qu'on réaffecte les moyens : les maires ont plutôt salué la "
            "décision.</li></ul>"
        ),
        "contact_name": "Émilie Rousseau",
        "contact_function": "cheffe de projet inclusion numérique",
        "contact_email": "emilie.rousseau@grandpoitiers.example",
        "contact_phone": "02 61 91 27 90",
    },
)

PRACTICE_FIELDS = (
    "status",
    "start_year",
    "budget_range",
    "partners",
    *PracticePage.SECTIONS,
    "contact_name",
    "contact_function",
    "contact_email",
    "contact_phone",
)


# --- Logic -------------------------------------------------------------------------


class Lookup:
    """Themes and member collectivities by slug, fetched once."""

    def __init__(self):
        self.themes = {theme.slug: theme for theme in Theme.objects.all()}
        self.collectivities = {
            page.slug: page for page in CollectivityPage.objects.all()
        }

    def get(self, objects, slug, what):
        try:
            return objects[slug]
        except KeyError:
            raise CommandError(
                f"No {what} with the slug {slug!r}: run the migrations and seed the "
                "collectivities before the knowledge pages."
            ) from None

    def theme_list(self, slugs):
        return [self.get(self.themes, slug, "theme") for slug in slugs]

    def collectivity(self, slug):
        return self.get(self.collectivities, slug, "collectivity")

    def collectivity_list(self, slugs):
        return [self.collectivity(slug) for slug in slugs]


def common_values(data, lookup):
    """The fields every knowledge page has."""
    return {
        "title": data["title"],
        "lead": data["lead"],
        "publication_date": timezone.localdate() - timedelta(days=data["days_ago"]),
        "body": data.get("body", ()),
        "themes": lookup.theme_list(data["themes"]),
        "related_collectivities": lookup.collectivity_list(data["collectivities"]),
    }


def seed_articles(index, stats, lookup=None):
    """Upsert the articles; return the members-only ones."""
    lookup = lookup or Lookup()
    members_only = []
    for data in ARTICLES:
        page = upsert_page(
            index, ArticlePage, data["slug"], common_values(data, lookup), stats
        )
        if data.get("members_only"):
            members_only.append(page)
    return members_only


def seed_interviews(index, stats, lookup=None):
    lookup = lookup or Lookup()
    for data in INTERVIEWS:
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
    for data in PRACTICES:
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
