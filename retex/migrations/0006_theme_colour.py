"""Themes get a colour: the existing ones cycle through the palette in creation
order (a stable rule: the same themes get the same colours on every database);
editors change it where themes are edited."""

from django.db import migrations, models

import retex.models

# The palette's order when this migration was written (retex.models.ThemeColour).
PALETTE = [
    "blue",
    "green",
    "purple",
    "orange",
    "raspberry",
    "teal",
    "ochre",
    "slate",
]
CHOICES = [
    ("blue", "Bleu"),
    ("green", "Vert"),
    ("purple", "Violet"),
    ("orange", "Orange"),
    ("raspberry", "Framboise"),
    ("teal", "Sarcelle"),
    ("ochre", "Ocre"),
    ("slate", "Ardoise"),
]
HELP_TEXT = (
    "Couleur des étiquettes du thème sur les cartes, les pages et les filtres. "
    "Le nom du thème est toujours écrit."
)


def colour_themes(apps, schema_editor):
    Theme = apps.get_model("retex", "Theme")
    for number, theme in enumerate(Theme.objects.order_by("pk")):
        theme.colour = PALETTE[number % len(PALETTE)]
        theme.save(update_fields=["colour"])


class Migration(migrations.Migration):
    dependencies = [("retex", "0005_figure_block")]

    operations = [
        migrations.AddField(
            model_name="theme",
            name="colour",
            field=models.CharField(
                choices=CHOICES,
                default="blue",
                help_text=HELP_TEXT,
                max_length=20,
                verbose_name="couleur",
            ),
        ),
        migrations.RunPython(colour_themes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="theme",
            name="colour",
            field=models.CharField(
                choices=CHOICES,
                default=retex.models.next_theme_colour,
                help_text=HELP_TEXT,
                max_length=20,
                verbose_name="couleur",
            ),
        ),
    ]
