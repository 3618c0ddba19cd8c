"""Uploaded images and documents are checked by content and size, in French."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from tests.factories import UserFactory, give_mfa

pytestmark = pytest.mark.django_db

Document = get_document_model()
Image = get_image_model()

HTML = (
    b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
)
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.domain)</script></svg>"
)


def png_bytes(size=(4, 4)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "navy").save(buffer, "PNG")
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = zip_bytes(
    {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
        "word/document.xml": b"<w:document/>",
    }
)
DOCM_AS_DOCX = zip_bytes(
    {
        "[Content_Types].xml": (
            b'<Types><Override ContentType="application/vnd.ms-word.document.'
            b'macroEnabled.main+xml"/></Types>'
        ),
        "word/document.xml": b"<w:document/>",
        "word/vbaProject.bin": b"\x00macro",
    }
)
ODT = zip_bytes(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}
)


@pytest.fixture
def editor(client):
    user = give_mfa(UserFactory(is_staff=True, is_superuser=True))
    client.force_login(user)
    return user


def add_document(client, name: str, content: bytes):
    return client.post(
        "/admin/documents/add/",
        {
            "title": "Pièce jointe",
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("feuille-de-route.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF"),
        ("plan.docx", DOCX),
        ("plan.odt", ODT),
        ("budget.csv", "commune;budget\nRennes;12 000 €\n".encode()),
        ("notes.txt", "Compte rendu du comité numérique".encode("utf-16")),
    ],
)
def test_real_documents_are_accepted(client, editor, name, content):
    response = add_document(client, name, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Document.objects.filter(title="Pièce jointe").count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rapport.pdf", HTML, "Ce fichier n&#x27;est pas un PDF valide."),
        ("rapport.docx", b"%PDF-1.7 not a zip", "n&#x27;est pas un document .docx"),
        ("rapport.docx", ODT, "n&#x27;est pas un document .docx"),
        ("rapport.odt", DOCX, "n&#x27;est pas un document .odt"),
        ("macros.docx", DOCM_AS_DOCX, "contenant des macros ne sont pas accept"),
        ("notes.txt", png_bytes(), "n&#x27;est pas un fichier texte"),
        ("export.csv", b"a;b\x00\x01\x02", "n&#x27;est pas un fichier texte"),
        ("page.html", HTML, "extension"),
        ("logo.svg", SVG, "extension"),
    ],
)
def test_disguised_or_dangerous_documents_are_refused_in_french(
    client, editor, name, content, message
):
    response = add_document(client, name, content)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert Document.objects.count() == 0


def test_the_multiple_upload_checks_content_too(client, editor):
    response = client.post(
        "/admin/documents/multiple/add/",
        {"files[]": SimpleUploadedFile("rapport.pdf", HTML)},
    )
    data = json.loads(response.content)
    assert data["success"] is False
    assert Document.objects.count() == 0


def test_documents_over_the_size_limit_are_refused(client, editor, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    response = add_document(client, "gros.pdf", b"%PDF-1.7\n" + b"0" * 2048)
    assert response.status_code == 200
    assert "Ce fichier est trop gros" in response.content.decode()
    assert Document.objects.count() == 0


def add_image(client, name: str, content: bytes, url="/admin/images/add/", prefix=""):
    return client.post(
        url,
        {
            f"{prefix}title": "Logo",
            f"{prefix}file": SimpleUploadedFile(name, content),
            f"{prefix}collection": Collection.get_first_root_node().pk,
        },
    )


def test_a_real_image_is_accepted(client, editor):
    response = add_image(client, "logo.png", png_bytes())
    assert response.status_code == 302
    assert Image.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # Not an image at all, under an image extension.
        ("logo.png", HTML, "Téléversez une image valide"),
        # An image, but not of the format its extension says.
        ("logo.jpg", png_bytes(), "L&#x27;extension de fichier ne correspond pas"),
        # SVG can carry scripts: not accepted.
        ("logo.svg", SVG, "Format d&#x27;image non supporté"),
    ],
)
def test_disguised_or_dangerous_images_are_refused_in_french(
    client, editor, name, content, message
):
    response = add_image(client, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Image.objects.count() == 0


def test_the_image_chooser_upload_used_for_logos_checks_content(client, editor):
    response = add_image(
        client,
        "logo.png",
        HTML,
        url="/admin/images/chooser/create/",
        prefix="image-chooser-upload-",
    )
    assert "Téléversez une image valide" in json.loads(response.content)["htmlFragment"]
    assert Image.objects.count() == 0


def test_images_over_the_size_or_pixel_limits_are_refused(client, editor, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100
    response = add_image(client, "logo.png", png_bytes((64, 64)))
    assert "Ce fichier est trop gros" in response.content.decode()
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 100
    response = add_image(client, "logo.png", png_bytes((64, 64)))
    assert "Ce fichier a un trop grand nombre de pixels" in response.content.decode()
    assert Image.objects.count() == 0


def test_production_settings_refuse_svg_and_html_uploads(settings):
    for setting in ("WAGTAILIMAGES_EXTENSIONS", "WAGTAILDOCS_EXTENSIONS"):
        assert "svg" not in getattr(settings, setting)
        assert "html" not in getattr(settings, setting)
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert settings.WAGTAILDOCS_DOCUMENT_FORM_BASE == "knowledge.uploads.DocumentForm"
