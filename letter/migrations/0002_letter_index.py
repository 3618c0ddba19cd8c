"""Create /lettre/ (the letters' index page) under the home page, so the
contract URL exists on every database, as the other sections do
(retex/migrations/0002_page_tree.py)."""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _step(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
    return digits.rjust(4, "0")


def create_index(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    LetterIndexPage = apps.get_model("letter.LetterIndexPage")
    home = Page.objects.filter(depth=2).order_by("path").first()
    if home is None or LetterIndexPage.objects.exists():
        return
    if Page.objects.filter(depth=3, path__startswith=home.path, slug="lettre").exists():
        return  # An editor's own page already answers at /lettre/.
    children = Page.objects.filter(depth=3, path__startswith=home.path)
    last = children.order_by("-path").values_list("path", flat=True).first()
    number = int(last[-4:], 36) + 1 if last else 1
    content_type, _ = ContentType.objects.get_or_create(
        app_label="letter", model="letterindexpage"
    )
    LetterIndexPage.objects.create(
        title="La lettre du réseau",
        draft_title="La lettre du réseau",
        slug="lettre",
        content_type=content_type,
        path=home.path + _step(number),
        depth=3,
        numchild=0,
        url_path=f"{home.url_path}lettre/",
        locale_id=home.locale_id,
        live=True,
        intro="<p>Les nouvelles du réseau, ses ressources et ses rendez-vous, une fois par mois.</p>",
    )
    home.numchild = Page.objects.filter(depth=3, path__startswith=home.path).count()
    home.save(update_fields=["numchild"])


def remove_index(apps, schema_editor):
    apps.get_model("letter.LetterIndexPage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("letter", "0001_initial"),
        ("retex", "0002_page_tree"),
    ]

    operations = [migrations.RunPython(create_index, remove_index)]
