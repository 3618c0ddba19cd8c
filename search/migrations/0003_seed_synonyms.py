"""Synonyms of the field to start with, and the editors' rights on search.

Editors (and moderators) may edit synonyms and read the search statistics.
Idempotent: an existing synonym or permission is left as it is. Reversing keeps
the synonyms, which editors may have changed since.
"""

from django.db import migrations

SYNONYMS = [
    "EPCI, intercommunalité",
    "démat, dématérialisation",
    "DSI, direction des systèmes d'information, directeur des systèmes d'information",
    "RGPD, règlement général sur la protection des données, "
    "protection des données personnelles",
    "DPO, DPD, délégué à la protection des données",
    "CNIL, Commission nationale de l'informatique et des libertés",
    "tiers-lieu, coworking",
    "conseiller numérique, CNFS",
    "France services, maison France services, MSAP, maison de services au public",
    "SIG, système d'information géographique",
    "open data, opendata, données ouvertes",
    "cybersécurité, sécurité informatique",
    "inclusion numérique, médiation numérique",
    "sobriété numérique, numérique responsable",
    "ENT, espace numérique de travail",
    "GRC, gestion de la relation citoyen",
    "GRU, gestion de la relation usager",
    "wifi, wi-fi",
]

EDITOR_GROUPS = ["Éditeurs", "Modérateurs"]
PERMISSIONS = {
    "synonym": [
        ("add", "synonyme"),
        ("change", "synonyme"),
        ("delete", "synonyme"),
        ("view", "synonyme"),
    ],
    "searchquerystat": [("view", "statistique de recherche")],
}


def forwards(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for terms in SYNONYMS:
        Synonym.objects.get_or_create(terms=terms)

    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = []
    for model, actions in PERMISSIONS.items():
        content_type, _ = ContentType.objects.get_or_create(
            app_label="search", model=model
        )
        for action, verbose_name in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {verbose_name}"},
            )
            permissions.append(permission)
    for group in Group.objects.filter(name__in=EDITOR_GROUPS):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_full_text_index"),
        ("members", "0003_members_group"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
