"""The themes a new site starts with; editors manage them afterwards."""

from django.db import migrations

THEMES = [
    ("inclusion-numerique", "Inclusion numérique"),
    ("e-administration", "E-administration"),
    ("cybersecurite", "Cybersécurité"),
    ("sobriete-numerique", "Sobriété numérique"),
    ("donnees", "Données"),
    ("smart-city", "Smart city"),
    ("education-numerique", "Éducation numérique"),
    ("attractivite", "Attractivité"),
    ("mobilite", "Mobilité"),
    ("sante", "Santé"),
    ("tourisme", "Tourisme"),
    ("infrastructures", "Infrastructures"),
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("retex", "Theme")
    for slug, name in THEMES:
        Theme.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("retex", "0003_theme")]

    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
