import uuid

from django.db import migrations, models


def create_row(apps, schema_editor):
    IndexGeneration = apps.get_model("search", "IndexGeneration")
    IndexGeneration.objects.using(schema_editor.connection.alias).create(
        pk=1, token=uuid.uuid4().hex
    )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0007_sqlite_facet_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndexGeneration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("token", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
