"""Uploaded documents are checked by their content, not only their extension.

Wagtail checks a document's extension (`WAGTAILDOCS_EXTENSIONS`) and size
(`WAGTAILDOCS_MAX_UPLOAD_SIZE`); images are already checked by content by
Wagtail (Willow opens them and compares the format with the extension). This
adds the content check for documents, in every admin form that uploads one
(`WAGTAILDOCS_DOCUMENT_FORM_BASE`: the documents screens, the multiple upload
and the chooser's upload tab): an HTML page, an SVG or a program renamed
`rapport.pdf` is refused with a French message instead of being stored and
served with our origin.

The checks are cheap and read little: the first kilobytes for PDF and text,
the ZIP directory (and one small member) for office documents.
"""

import codecs
import zipfile

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm

HEAD_BYTES = 64 * 1024
_PDF_MAGIC = b"%PDF-"
_PDF_HEADER_WINDOW = 1024  # readers accept the header anywhere in the first KiB
# What the main part of an Office Open XML document is called, per extension.
_OOXML_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
_OPENDOCUMENT_TYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}
_TEXT_EXTENSIONS = {"txt", "csv"}
_MAX_CONTENT_TYPES_BYTES = 1024 * 1024


def _extension(name: str) -> str:
    base = name.replace("\\", "/").rpartition("/")[2]
    stem, dot, extension = base.rpartition(".")
    return extension.lower() if dot and stem else ""


def _read_head(file) -> bytes:
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return head


def _zip_problem(file, extension: str) -> str | None:
    not_this_kind = _("Ce fichier n'est pas un document .%(ext)s valide.") % {
        "ext": extension
    }
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if extension in _OOXML_PARTS:
                if _OOXML_PARTS[extension] not in names:
                    return not_this_kind
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size > _MAX_CONTENT_TYPES_BYTES:
                    return not_this_kind
                if b"macroEnabled" in archive.read(info):
                    return _(
                        "Les documents contenant des macros ne sont pas acceptés : "
                        "enregistrez-le sans macros."
                    )
            else:
                info = archive.getinfo("mimetype")
                if info.file_size > 200:
                    return not_this_kind
                if archive.read(info).strip() != _OPENDOCUMENT_TYPES[extension]:
                    return not_this_kind
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return not_this_kind
    finally:
        file.seek(0)
    return None


def _looks_binary(head: bytes) -> bool:
    """A text file has no NUL byte (unless it is UTF-16, as Excel's "texte
    Unicode" exports are) and is not a known binary format (an image, an
    archive, a program) given a text extension."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = head[: len(head) - len(head) % 2].decode("utf-16")
        except UnicodeDecodeError:
            return True
        return "\x00" in text
    return b"\x00" in head or filetype.guess(head) is not None


def document_content_problem(file, *, name: str) -> str | None:
    """Why the content of `file` is not what its name's extension says (French),
    or None when it is. Extensions not handled here are left to the extension
    check (`WAGTAILDOCS_EXTENSIONS`)."""
    extension = _extension(name)
    head = _read_head(file)
    if extension == "pdf":
        if _PDF_MAGIC not in head[:_PDF_HEADER_WINDOW]:
            return _("Ce fichier n'est pas un PDF valide.")
        return None
    if extension in _OOXML_PARTS or extension in _OPENDOCUMENT_TYPES:
        return _zip_problem(file, extension)
    if extension in _TEXT_EXTENSIONS and _looks_binary(head):
        return _("Ce fichier n'est pas un fichier texte (.%(ext)s).") % {
            "ext": extension
        }
    return None


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form, plus the content check above."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and "file" in self.changed_data:
            problem = document_content_problem(file, name=file.name)
            if problem:
                raise ValidationError(problem, code="invalid_document_content")
        return file
