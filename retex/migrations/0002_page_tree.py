"""Replace Wagtail's placeholder page with Retex's page tree.

A new site must have its sections from the first `migrate`, before any demo
content: the home page and the index pages of resources, members and events. The
historical models cannot use treebeard's API, so paths are written by hand, as in
Wagtail's own project template.
"""

from django.db import migrations

HOME = ("retex", "homepage", "Accueil", "accueil", "00010001")
SECTIONS = [
    ("knowledge", "knowledgeindexpage", "Ressources", "ressources", "000100010001"),
    ("members", "memberindexpage", "Membres", "membres", "000100010002"),
    ("events", "eventindexpage", "Agenda", "evenements", "000100010003"),
]


def create_page_tree(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")

    # Wagtail's placeholder "Welcome" page and the site pointing at it.
    Page.objects.filter(
        depth=2, content_type__app_label="wagtailcore", content_type__model="page"
    ).delete()
    if Page.objects.filter(depth=2).exists():
        return  # A site that already has its own home page keeps it.

    locale = Locale.objects.order_by("pk").first()
    root = Page.objects.get(depth=1)

    def create(app_label, model, title, slug, path, url_path, numchild=0):
        content_type, _ = ContentType.objects.get_or_create(
            app_label=app_label, model=model
        )
        model_class = apps.get_model(app_label, model)
        return model_class.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=content_type,
            path=path,
            depth=len(path) // 4,
            numchild=numchild,
            url_path=url_path,
            locale=locale,
            live=True,
        )

    app_label, model, title, slug, path = HOME
    home = create(app_label, model, title, slug, path, f"/{slug}/", len(SECTIONS))
    for app_label, model, title, slug, path in SECTIONS:
        create(app_label, model, title, slug, path, f"/{HOME[3]}/{slug}/")
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])

    Site.objects.create(
        hostname="localhost", port=80, site_name="Retex", root_page=home,
        is_default_site=True,
    )


def remove_page_tree(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    Page.objects.filter(path__startswith=HOME[4]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("retex", "0001_initial"),
        ("members", "0002_pages"),
        ("knowledge", "0001_initial"),
        ("events", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_page_tree, remove_page_tree)]
