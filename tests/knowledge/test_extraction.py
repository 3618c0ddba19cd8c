"""Text extracted from uploaded documents so that the search finds what is inside.

Every document here is a real file built in the test: a PDF written object by
object, Word/OpenDocument/PowerPoint packages zipped part by part, a workbook
saved by openpyxl. Uploads come from editors and member representatives, so
damaged and hostile files are tested as carefully as good ones.
"""

import io
import logging
import random
import struct
import time
import zipfile
from xml.sax.saxutils import escape

import openpyxl
import pytest
from django.core.files import File
from pypdf import PdfReader, PdfWriter

from knowledge import extraction
from knowledge.extraction import SUPPORTED_EXTENSIONS, extract_text

ROADMAP = "Feuille de route numérique : inclusion et cybersécurité"


def extract(data: bytes, filename: str, **kwargs) -> str:
    return extract_text(io.BytesIO(data), filename=filename, **kwargs)


@pytest.fixture
def warnings_logged(caplog):
    """The warnings the extraction logged, as plain messages."""
    caplog.set_level(logging.WARNING, logger="knowledge.extraction")

    def messages() -> list[str]:
        return [
            record.getMessage()
            for record in caplog.records
            if record.name == "knowledge.extraction"
        ]

    return messages


# --- Building real documents -----------------------------------------------------


def make_pdf(*pages: str) -> bytes:
    """A PDF with one page per argument, each line drawn in Helvetica with the
    WinAnsi encoding (so "é" is the byte 0xE9), and a correct xref table."""
    font = (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
        b"/Encoding /WinAnsiEncoding >>"
    )
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", font]
    kids = []
    for text in pages:
        operators = [b"BT", b"/F1 12 Tf", b"16 TL", b"72 770 Td"]
        for line in text.split("\n"):
            raw = line.encode("cp1252")
            raw = (
                raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
            )
            operators.append(b"(%s) Tj T*" % raw)
        operators.append(b"ET")
        content = b"\n".join(operators)
        page_number = len(objects) + 1
        kids.append(b"%d 0 R" % page_number)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>"
            % (page_number + 1)
        )
        objects.append(
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
        )
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(kids),
        len(kids),
    )
    pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)


def encrypt_pdf(pdf: bytes, *, user_password: str, algorithm: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(
        user_password=user_password, owner_password="owner", algorithm=algorithm
    )
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def make_zip(parts: dict[str, str | bytes]) -> bytes:
    """A ZIP with the parts in order; an OpenDocument "mimetype" is stored
    uncompressed, as the standard requires."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            method = zipfile.ZIP_STORED if name == "mimetype" else None
            archive.writestr(name, content, compress_type=method)
    return output.getvalue()


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org'
    '/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)


def paragraph(*runs: str) -> str:
    """A Word paragraph; each argument is a run, as Word splits text at every
    change of formatting or spell-check mark."""
    return (
        "<w:p>"
        + "".join(
            f'<w:r><w:t xml:space="preserve">{escape(run)}</w:t></w:r>' for run in runs
        )
        + "</w:p>"
    )


def word_document(body: str, *, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    )


def make_docx(body: str, *, prolog: str = "") -> bytes:
    return make_zip(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": ROOT_RELS,
            "word/document.xml": word_document(body, prolog=prolog),
        }
    )


ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)


def make_open_document(kind: str, body: str) -> bytes:
    """An OpenDocument package: `kind` is "text", "spreadsheet" or
    "presentation", `body` the content of office:body."""
    mimetype = f"application/vnd.oasis.opendocument.{kind}"
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
        'manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" '
        f'manifest:media-type="{mimetype}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>'
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-content {ODF_NAMESPACES} office:version="1.3">'
        f"<office:body>{body}</office:body></office:document-content>"
    )
    return make_zip(
        {
            "mimetype": mimetype,
            "META-INF/manifest.xml": manifest,
            "content.xml": content,
        }
    )


def slide(*paragraphs: str, padding: int = 0) -> str:
    """A PowerPoint slide with one text box; `padding` adds that many bytes of
    whitespace, to make large slides."""
    body = "".join(f"<a:p><a:r><a:t>{escape(p)}</a:t></a:r></a:p>" for p in paragraphs)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
        "<p:cSld><p:spTree><p:sp><p:txBody><a:bodyPr/>"
        f"{body}</p:txBody></p:sp>{' ' * padding}</p:spTree></p:cSld></p:sld>"
    )


def make_pptx(slides: dict[int, str]) -> bytes:
    return make_zip(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "ppt/presentation.xml": "<p:presentation/>",
            **{f"ppt/slides/slide{n}.xml": xml for n, xml in slides.items()},
        }
    )


def make_xlsx(sheets: dict[str, list[list]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- PDF -------------------------------------------------------------------------


def test_the_words_inside_an_uploaded_roadmap_pdf_are_extracted():
    pdf = make_pdf(
        f"{ROADMAP}\nAxe 1 (2025) : médiation à l\u2019école",
        "Annexe : budget détaillé",
    )

    text = extract(pdf, "feuille-de-route.pdf")

    assert text == (
        f"{ROADMAP}\nAxe 1 (2025) : médiation à l\u2019école\n\n"
        "Annexe : budget détaillé"
    )


def test_a_pdf_opened_from_disk_as_a_django_file_is_read(tmp_path):
    path = tmp_path / "roadmap.pdf"
    path.write_bytes(make_pdf(ROADMAP))

    with path.open("rb") as handle:
        text = extract_text(File(handle), filename=handle.name)

    assert text == ROADMAP


def test_the_extension_is_recognised_whatever_its_case():
    assert extract(make_pdf(ROADMAP), "FEUILLE-DE-ROUTE.PDF") == ROADMAP


def test_a_file_already_read_by_the_upload_is_read_again_from_its_start():
    upload = io.BytesIO(make_pdf(ROADMAP))
    upload.read()

    assert extract_text(upload, filename="roadmap.pdf") == ROADMAP


def test_a_corrupt_pdf_gives_no_text_and_does_not_crash(warnings_logged):
    garbage = b"%PDF-1.7\n" + bytes(
        random.Random(1).randrange(256) for _ in range(4000)
    )

    assert extract(garbage, "corrompu.pdf") == ""
    assert "corrompu.pdf" in warnings_logged()[0]


def test_a_truncated_pdf_does_not_crash(warnings_logged):
    pdf = make_pdf(ROADMAP, "Deuxième page")

    assert extract(pdf[: len(pdf) // 2], "coupe.pdf") == ""
    assert "coupe.pdf" in warnings_logged()[0]


def test_a_file_named_pdf_that_is_not_a_pdf_gives_no_text(warnings_logged):
    html = b"<html><body>Ceci est une page web</body></html>"

    assert extract(html, "rapport.pdf") == ""
    assert "not a PDF" in warnings_logged()[0]


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_a_password_protected_pdf_gives_no_text(algorithm, warnings_logged):
    pdf = encrypt_pdf(make_pdf(ROADMAP), user_password="secret", algorithm=algorithm)

    assert extract(pdf, "confidentiel.pdf") == ""
    assert "password" in warnings_logged()[0]


def test_a_pdf_locked_only_against_copying_is_still_read():
    # An owner password alone restricts printing or copying; anyone can open it.
    pdf = encrypt_pdf(make_pdf(ROADMAP), user_password="", algorithm="AES-128")

    assert extract(pdf, "verrouille.pdf") == ROADMAP


def test_a_long_pdf_stops_being_read_once_there_is_enough_text():
    pdf = make_pdf(*(f"Page {n} : {ROADMAP}" for n in range(1, 41)))

    text = extract(pdf, "long.pdf", max_chars=100)

    assert len(text) <= 100
    assert text.startswith(f"Page 1 : {ROADMAP}")


def test_only_the_first_pages_of_a_huge_pdf_are_read(monkeypatch, warnings_logged):
    monkeypatch.setattr(extraction, "MAX_PDF_PAGES", 2)
    pdf = make_pdf("Page un", "Page deux", "Page trois")

    assert extract(pdf, "annuaire.pdf") == "Page un\n\nPage deux"
    assert "first 2 of 3 pages" in warnings_logged()[0]


# --- Word ------------------------------------------------------------------------


def test_the_paragraphs_of_a_word_document_are_extracted():
    body = (
        paragraph("Feuille de route ", "numérique")
        + paragraph("Axe 1", "")
        + "<w:p><w:r><w:t>Inclusion</w:t><w:tab/><w:t>et</w:t><w:br/>"
        "<w:t>cyber</w:t></w:r><w:r><w:t>sécurité</w:t></w:r></w:p>"
        # A deleted revision is not part of the document any more.
         + '<w:p><w:del w:id="1" w:author="A"><w:r><w:delText>Texte supprimé'
        "</w:delText></w:r></w:del><w:r><w:t>Texte gardé</w:t></w:r></w:p>"
        + "<w:tbl><w:tr><w:tc>"
        + paragraph("Budget : 12 500 € & plus")
        + "</w:tc></w:tr></w:tbl>"
        + "<w:sectPr/>"
    )

    text = extract(make_docx(body), "feuille-de-route.docx")

    assert text == (
        "Feuille de route numérique\nAxe 1\nInclusion et\ncybersécurité\n"
        "Texte gardé\nBudget : 12 500 € & plus"
    )


def test_a_zip_that_is_not_a_word_document_gives_no_text(warnings_logged):
    archive = make_zip({"notes.txt": "Ceci n'est pas un document Word"})

    assert extract(archive, "notes.docx") == ""
    assert "not a Word document" in warnings_logged()[0]
    assert "notes.docx" in warnings_logged()[0]


def test_a_file_named_docx_that_is_not_a_zip_gives_no_text(warnings_logged):
    assert extract(b"Juste du texte", "faux.docx") == ""
    assert "not a ZIP archive" in warnings_logged()[0]


def test_a_password_protected_word_document_gives_no_text(warnings_logged):
    # Office encrypts a document by wrapping it in an OLE container.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000)

    assert extract(ole, "protege.docx") == ""
    assert warnings_logged()


def test_a_truncated_word_document_does_not_crash(warnings_logged):
    docx = make_docx(paragraph(ROADMAP) * 200)

    assert extract(docx[: len(docx) // 2], "coupe.docx") == ""
    assert "coupe.docx" in warnings_logged()[0]


def test_a_word_document_with_broken_xml_keeps_the_paragraphs_before_the_damage(
    warnings_logged,
):
    docx = make_zip(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "word/document.xml": word_document(paragraph(ROADMAP) + "<w:p><w:r>"),
        }
    )

    assert extract(docx, "abime.docx") == ROADMAP
    assert "incomplete" in warnings_logged()[0]


# --- ZIP bombs and XML attacks ---------------------------------------------------


def test_a_zip_bomb_is_refused_before_being_inflated(warnings_logged):
    # 60 MB of spaces compress to about 60 kB.
    document = word_document(paragraph(ROADMAP) + " " * (60 * 1024 * 1024))
    docx = make_docx("")
    with zipfile.ZipFile(io.BytesIO(docx)) as original:
        parts = {name: original.read(name) for name in original.namelist()}
    parts["word/document.xml"] = document
    bomb = make_zip(parts)
    assert len(bomb) < 200_000

    assert extract(bomb, "bombe.docx") == ""
    assert "ZIP bomb" in warnings_logged()[0]


def test_a_zip_member_that_understates_its_size_is_not_inflated_further(
    warnings_logged,
):
    docx = make_docx(" " * 1_000_000 + paragraph("Texte après le premier kilo-octet"))
    # Claim, in the central directory, that word/document.xml inflates to 1 kB.
    name = b"word/document.xml"
    entry = docx.rindex(b"PK\x01\x02", 0, docx.rindex(name))
    lying = docx[: entry + 24] + struct.pack("<I", 1000) + docx[entry + 28 :]
    with zipfile.ZipFile(io.BytesIO(lying)) as archive:
        assert archive.getinfo("word/document.xml").file_size == 1000

    assert extract(lying, "menteur.docx") == ""
    assert "menteur.docx" in warnings_logged()[0]


def test_all_the_members_of_a_document_share_one_size_budget(warnings_logged):
    # Six slides of 9 MB each: the first five fit in the 50 MB budget.
    megabytes = 9 * 1024 * 1024
    pptx = make_pptx(
        {n: slide(f"Diapositive {n}", padding=megabytes) for n in range(1, 7)}
    )

    text = extract(pptx, "lourd.pptx")

    assert text.split("\n\n") == [f"Diapositive {n}" for n in range(1, 6)]
    assert "ZIP bomb" in warnings_logged()[0]


def test_a_workbook_zip_bomb_is_refused_before_openpyxl_opens_it(warnings_logged):
    workbook = make_xlsx({"Budget": [["Montant", 12500]]})
    with zipfile.ZipFile(io.BytesIO(workbook)) as original:
        parts = {name: original.read(name) for name in original.namelist()}
    parts["xl/media/image1.png"] = bytes(60 * 1024 * 1024)

    assert extract(make_zip(parts), "bombe.xlsx") == ""
    assert "ZIP bomb" in warnings_logged()[0]


BILLION_LAUGHS = (
    "<!DOCTYPE w:document ["
    '<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
    '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
    '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
    '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
    '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">'
    "]>"
)


def test_an_entity_expansion_attack_is_refused(warnings_logged):
    docx = make_docx("<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", prolog=BILLION_LAUGHS)

    assert extract(docx, "rires.docx") == ""
    assert "DTDForbidden" in warnings_logged()[0]


def test_an_external_entity_cannot_pull_a_server_file_into_the_index(
    tmp_path, warnings_logged
):
    secret = tmp_path / "secret.txt"
    secret.write_text("mot de passe de la base")
    prolog = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    docx = make_docx("<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", prolog=prolog)

    assert extract(docx, "xxe.docx") == ""
    assert warnings_logged()


# --- OpenDocument ----------------------------------------------------------------


def test_the_text_of_an_opendocument_text_is_extracted():
    body = (
        "<office:text>"
        # Deleted text is kept in a tracked-changes block: not part of the text.
        '<text:tracked-changes><text:changed-region text:id="c1"><text:deletion>'
        "<text:p>Texte supprimé</text:p>"
        "</text:deletion></text:changed-region></text:tracked-changes>"
        '<text:h text:outline-level="1">Feuille de route numérique</text:h>'
        '<text:p>Axe 1<text:tab/>inclusion<text:s text:c="4"/>numérique'
        "<text:line-break/>Axe 2 : <text:span>cyber</text:span>sécurité</text:p>"
        "<text:p>Avant <office:annotation><dc:creator>Relecteur</dc:creator>"
        "<text:p>Commentaire privé</text:p></office:annotation>après</text:p>"
        "<text:list><text:list-item><text:p>Point &amp; suite</text:p>"
        "</text:list-item></text:list>"
        "</office:text>"
    )

    text = extract(make_open_document("text", body), "feuille.odt")

    assert text == (
        "Feuille de route numérique\nAxe 1 inclusion numérique\n"
        "Axe 2 : cybersécurité\nAvant après\nPoint & suite"
    )


def test_the_cells_of_an_opendocument_spreadsheet_are_extracted():
    body = (
        '<office:spreadsheet><table:table table:name="Budget">'
        "<table:table-row><table:table-cell><text:p>Action</text:p></table:table-cell>"
        "<table:table-cell><text:p>Montant</text:p></table:table-cell></table:table-row>"
        "<table:table-row><table:table-cell><text:p>Cybersécurité</text:p>"
        '</table:table-cell><table:table-cell office:value-type="float" '
        'office:value="12500"><text:p>12 500</text:p></table:table-cell>'
        "</table:table-row></table:table></office:spreadsheet>"
    )

    text = extract(make_open_document("spreadsheet", body), "budget.ods")

    assert text == "Action\nMontant\nCybersécurité\n12 500"


def test_the_slides_of_an_opendocument_presentation_are_extracted():
    body = (
        "<office:presentation>"
        '<draw:page draw:name="p1"><draw:frame><draw:text-box>'
        "<text:p>Feuille de route</text:p></draw:text-box></draw:frame></draw:page>"
        '<draw:page draw:name="p2"><draw:frame><draw:text-box>'
        "<text:p>Inclusion numérique</text:p></draw:text-box></draw:frame></draw:page>"
        "</office:presentation>"
    )

    text = extract(make_open_document("presentation", body), "atelier.odp")

    assert text == "Feuille de route\nInclusion numérique"


def test_a_zip_with_a_foreign_mimetype_is_not_read_as_opendocument(
    warnings_logged,
):
    archive = make_zip({"mimetype": "application/epub+zip", "content.xml": "<a/>"})

    assert extract(archive, "livre.odt") == ""
    assert "not an OpenDocument file" in warnings_logged()[0]


# --- PowerPoint and Excel --------------------------------------------------------


def test_the_text_of_each_slide_is_extracted_in_slide_order():
    pptx = make_pptx(
        {
            10: slide("Conclusion"),
            1: slide("Feuille de route numérique", "Atelier du 12 mars"),
            2: slide("Inclusion & cybersécurité"),
        }
    )

    text = extract(pptx, "atelier.pptx")

    assert text == (
        "Feuille de route numérique\nAtelier du 12 mars\n\n"
        "Inclusion & cybersécurité\n\nConclusion"
    )


def test_a_zip_without_slides_is_not_a_presentation(warnings_logged):
    archive = make_zip({"[Content_Types].xml": CONTENT_TYPES})

    assert extract(archive, "vide.pptx") == ""
    assert "no slides" in warnings_logged()[0]


def test_the_sheet_names_and_cell_values_of_a_workbook_are_extracted():
    workbook = make_xlsx(
        {
            "Budget 2025": [
                ["Action", "Montant"],
                ["Cybersécurité des écoles", 12500],
                [None, None],
                ["Inclusion numérique", 8000.5],
            ],
            "Calendrier": [["Comité de pilotage", "mars"]],
        }
    )

    text = extract(workbook, "budget.xlsx")

    assert text == (
        "Budget 2025\nAction Montant\nCybersécurité des écoles 12500\n"
        "Inclusion numérique 8000.5\n\nCalendrier\nComité de pilotage mars"
    )


def test_reading_a_workbook_stops_at_the_cell_limit(monkeypatch, warnings_logged):
    monkeypatch.setattr(extraction, "MAX_SPREADSHEET_CELLS", 6)
    workbook = make_xlsx({"Communes": [[f"Commune {n}", n] for n in range(1, 11)]})

    text = extract(workbook, "communes.xlsx")

    assert text == "Communes\nCommune 1 1\nCommune 2 2\nCommune 3 3"
    assert "first 6 cells" in warnings_logged()[0]


def test_a_zip_that_is_not_a_workbook_gives_no_text(warnings_logged):
    assert extract(make_docx(paragraph(ROADMAP)), "budget.xlsx") == ""
    assert "not an Excel workbook" in warnings_logged()[0]


# --- Plain text and HTML ---------------------------------------------------------


def test_a_utf8_text_file_is_read():
    assert extract(f"{ROADMAP}\nÉté 2025".encode(), "notes.txt") == (
        f"{ROADMAP}\nÉté 2025"
    )


def test_a_text_file_written_by_windows_software_is_read():
    text = "L\u2019équipe a présenté la feuille de route \u2013 œuvre collective"

    assert extract(text.encode("cp1252"), "compte-rendu.txt") == text


def test_a_csv_exported_as_unicode_text_by_a_spreadsheet_is_read():
    csv = "commune;thème\nLannion;inclusion numérique\n"

    assert extract(csv.encode("utf-16"), "export.csv") == (
        "commune;thème\nLannion;inclusion numérique"
    )


def test_a_markdown_file_is_read_as_it_is():
    markdown = "# Feuille de route\n\n- **Inclusion** numérique\n"

    assert extract(markdown.encode(), "README.md") == (
        "# Feuille de route\n\n- **Inclusion** numérique"
    )


def test_whitespace_is_normalised_and_invisible_characters_removed():
    messy = (
        "  Axe 1 :\tinclusion   numérique  \r\n\r\n\r\n\r\n"
        "Axe 2\x00 : cyber\u00adsécurité\xa0! con\ufb01ance\x0c"
    )

    assert extract(messy.encode(), "brouillon.txt") == (
        "Axe 1 : inclusion numérique\n\nAxe 2 : cybersécurité ! confiance"
    )


@pytest.mark.parametrize(
    "binary",
    [
        pytest.param(bytes(5000) + b"quelques lettres" + bytes(5000), id="zeros"),
        pytest.param(random.Random(2).randbytes(20_000), id="compressed-image"),
    ],
)
def test_a_binary_file_named_txt_gives_no_text(binary, warnings_logged):
    assert extract(binary, "image.txt") == ""
    assert "binary" in warnings_logged()[0]


def test_a_huge_text_file_is_cut_to_the_limit():
    huge = ("Feuille de route numérique. " * 400_000).encode()  # about 11 MB

    text = extract(huge, "enorme.txt")

    assert len(text) == 500_000
    assert text.startswith("Feuille de route numérique. Feuille")


def test_the_character_limit_can_be_lowered():
    assert extract(ROADMAP.encode(), "notes.txt", max_chars=17) == "Feuille de route"


def test_the_visible_text_of_a_web_page_is_extracted():
    html = (
        "<!DOCTYPE html><html><head><title>Feuille de route</title>"
        "<style>p { color: red }</style>"
        "<script>var secret = 'ne pas indexer';</script></head><body>"
        "<!-- commentaire interne -->"
        "<h1>Num&eacute;rique responsable</h1>"
        "<p>Premier<br>paragraphe</p><p>Second <b>para</b>graphe</p>"
        "<noscript>Activez JavaScript</noscript>"
        "<table><tr><td>Axe</td><td>Budget</td></tr></table>"
        "</body></html>"
    )

    text = extract(html.encode(), "page.html")

    assert text == (
        "Feuille de route\nNumérique responsable\nPremier\nparagraphe\n"
        "Second paragraphe\nAxe\nBudget"
    )


def test_a_web_page_in_its_declared_latin_encoding_is_read():
    html = (
        '<html><head><meta charset="iso-8859-1"></head>'
        "<body><p>L\u2019équipe numérique</p></body></html>"
    )

    assert extract(html.encode("cp1252"), "page.htm") == "L\u2019équipe numérique"


@pytest.mark.parametrize(
    "charset", ["zlib", "rot13", "utf-16", "utf-7", "idna", "inconnu"]
)
def test_a_web_page_declaring_a_bogus_charset_is_still_read(charset):
    html = f'<html><head><meta charset="{charset}"></head><body>Été</body></html>'

    assert extract(html.encode(), "page.html") == "Été"


@pytest.mark.parametrize(
    "markup",
    [
        pytest.param("<p>Avant</p>" + "<!--" * 200_000, id="unclosed-comments"),
        pytest.param(
            "<p>Avant</p>" + "<div>" * 100_000 + "x" + "</div>" * 100_000, id="deep"
        ),
        pytest.param("<p>Avant</p>" + "</" * 500_000, id="stray-end-tags"),
    ],
)
def test_a_web_page_crafted_to_be_slow_to_parse_is_read_quickly(markup):
    # Each of these kept Python's own html.parser or BeautifulSoup busy for
    # minutes.
    started = time.monotonic()

    text = extract(markup.encode(), "piege.html")

    assert text.startswith("Avant")
    assert time.monotonic() - started < 5


# --- Every format ----------------------------------------------------------------


@pytest.mark.parametrize("extension", sorted(SUPPORTED_EXTENSIONS))
def test_an_empty_file_gives_no_text(extension):
    assert extract(b"", f"vide.{extension}") == ""


@pytest.mark.parametrize("filename", ["ancien.doc", "photo.jpg", "README", "a.pdf.exe"])
def test_an_unsupported_file_gives_no_text_and_no_warning(filename, warnings_logged):
    assert extract(make_pdf(ROADMAP), filename) == ""
    assert warnings_logged() == []


def test_the_supported_extensions_are_listed_lower_case_without_a_dot():
    assert {
        "pdf",
        "docx",
        "odt",
        "ods",
        "odp",
        "pptx",
        "xlsx",
        "txt",
        "csv",
        "md",
        "html",
        "htm",
    } == SUPPORTED_EXTENSIONS


def test_a_stream_that_cannot_seek_is_read():
    class NetworkStream:
        def __init__(self, data: bytes) -> None:
            self._buffer = io.BytesIO(data)

        def read(self, size: int = -1) -> bytes:
            return self._buffer.read(size)

        def seekable(self) -> bool:
            return False

    stream = NetworkStream(make_docx(paragraph(ROADMAP)))

    assert extract_text(stream, filename="roadmap.docx") == ROADMAP


def test_programming_errors_are_not_hidden():
    closed = io.BytesIO(make_pdf(ROADMAP))
    closed.close()

    with pytest.raises(ValueError, match="closed file"):
        extract_text(closed, filename="roadmap.pdf")
    with pytest.raises(ValueError, match="max_chars"):
        extract(make_pdf(ROADMAP), "roadmap.pdf", max_chars=-1)


SAMPLES = {
    "pdf": lambda: make_pdf(ROADMAP, "Deuxième page"),
    "docx": lambda: make_docx(paragraph(ROADMAP) * 5),
    "odt": lambda: make_open_document(
        "text", f"<office:text><text:p>{ROADMAP}</text:p></office:text>"
    ),
    "pptx": lambda: make_pptx({1: slide(ROADMAP), 2: slide("Conclusion")}),
    "xlsx": lambda: make_xlsx({"Feuille": [[ROADMAP, 2025]]}),
    "html": lambda: f"<html><body><p>{ROADMAP}</p></body></html>".encode(),
}


@pytest.mark.parametrize("extension", sorted(SAMPLES))
def test_a_damaged_file_never_crashes_the_extraction(extension):
    original = SAMPLES[extension]()
    damage = random.Random(extension)
    for _ in range(40):
        data = bytearray(original)
        if damage.random() < 0.5:
            del data[damage.randrange(len(data)) :]
        for _ in range(damage.randrange(1, 9)):
            if data:
                data[damage.randrange(len(data))] = damage.randrange(256)

        assert isinstance(extract(bytes(data), f"abime.{extension}"), str)
