"""Plain text from the documents attached to knowledge pages, for the search.

A collectivity's "feuille de route numérique" is often only a PDF: indexing the
words inside it is what lets a member find it. Extraction runs in a background
task on files uploaded by editors and member representatives, so every file is
treated as hostile: bad content never raises (a warning naming the file is
logged and whatever could be read is returned), and every costly step is capped
(bytes inflated from a ZIP, characters kept, PDF pages, spreadsheet cells).
Only programming errors, such as a closed file, reach the caller.

Library choices: `pypdf` (pure Python, actively maintained, caps its own stream
decompression), `openpyxl` (already used by the project) for xlsx, `lxml`'s
HTML parser for HTML (see `_extract_html` for why not BeautifulSoup), and for
docx/pptx/odt/ods/odp the standard `zipfile` plus `defusedxml` streaming
parsers. python-docx, python-pptx or odfpy would each build the whole document
tree in memory and give no hold on member sizes; one streaming parse of the few
text elements we need keeps memory flat and applies the same ZIP and XML
defences to every office format.

Limits, on purpose: no OCR (a scanned PDF gives no text), no legacy binary
formats (.doc, .xls, .ppt), no password-protected documents (except PDFs whose
only password is the owner's), and no time limit inside pypdf itself: a PDF
crafted to be slow to render can still be slow, which is why this runs in a
background task.
"""

from __future__ import annotations

import codecs
import logging
import re
import struct
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol
from xml.etree.ElementTree import Element, ParseError

from defusedxml.ElementTree import iterparse
from lxml import etree
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from pypdf import PasswordType, PdfReader

logger = logging.getLogger(__name__)

DEFAULT_MAX_CHARS = 500_000
# Total bytes inflated from one ZIP-based document (docx, xlsx, odt...): a real
# office document is far below this; a ZIP bomb is far above.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
# Largest HTML file parsed: BeautifulSoup's tree costs about ten times the input.
MAX_HTML_BYTES = 10 * 1024 * 1024
# A file that cannot seek (a network stream) is copied first, up to this size.
MAX_SPOOLED_BYTES = 100 * 1024 * 1024
# Pages read from one PDF, and cells (counting the blanks openpyxl pads rows
# with) visited in one workbook: both bound the time spent on a crafted file.
MAX_PDF_PAGES = 2_000
MAX_SPREADSHEET_CELLS = 2_000_000

_ZIP_MAGIC = b"PK\x03\x04"
_PDF_MAGIC = b"%PDF-"
# Readers accept a PDF header anywhere in the first kilobyte.
_PDF_HEADER_WINDOW = 1024
_BINARY_SNIFF_BYTES = 8192
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\v\f\r\x1b") + b"\x7f"


class BinaryFile(Protocol):
    """What extraction needs from a file: Django's `File`, `open(..., "rb")`
    and `io.BytesIO` all qualify. Seeking is optional but avoids a copy."""

    def read(self, size: int = ..., /) -> bytes: ...


class _Unreadable(Exception):
    """The content is not what its extension says, is damaged or is too big."""


# --- Output text --------------------------------------------------------------

_LINE_BREAKS = re.compile(r"\r\n?|[\v\f\x1c-\x1e\x85\u2028\u2029]")
# Control characters (PostgreSQL refuses NUL in text), soft hyphens and
# zero-width joiners that split words in PDFs, lone surrogates that cannot be
# encoded to UTF-8, and non-characters.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200c\u200d\u2060\ufeff"
    "\ud800-\udfff\ufffe\uffff]"
)
_HORIZONTAL_SPACE = re.compile(r"(?:[^\S\n]|\u200b)+")
_BLANK_LINES = re.compile(r"\n{3,}")


def _normalise(text: str) -> str:
    """One space between words, one newline between lines, at most one blank
    line between paragraphs. NFKC also splits the "ﬁ"/"ﬂ" ligatures of typeset
    PDFs and composes accents, so "confiance" and "numérique" match a query."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    text = _HORIZONTAL_SPACE.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


class _TextCollector:
    """The text read so far, so that a document damaged half-way still gives
    its first half, and so that extractors stop once there is enough."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.problems: list[str] = []
        self._parts: list[str] = []
        self._size = 0

    @property
    def full(self) -> bool:
        return self._size >= self.max_chars

    def add(self, text: str) -> None:
        """A paragraph, line or row: it starts on a new line."""
        text = _normalise(text)
        if text:
            self._parts.append(text)
            self._size += len(text) + 1

    def end_section(self) -> None:
        """End of a page, slide or sheet: a blank line follows."""
        if self._parts and self._parts[-1]:
            self._parts.append("")

    def note(self, problem: str) -> None:
        """Something was skipped but the rest of the document is still read."""
        self.problems.append(problem)

    def text(self) -> str:
        text = _normalise("\n".join(self._parts))
        return text[: self.max_chars].rstrip()


# --- Entry point --------------------------------------------------------------


def extract_text(
    file: BinaryFile, *, filename: str, max_chars: int = DEFAULT_MAX_CHARS
) -> str:
    """The text of `file`, read as the format its `filename` extension names.

    The extension chooses the reader because it is what the uploader chose and
    what the site shows; magic bytes are then checked where that is cheap, so a
    ".pdf" that is not a PDF gives no text rather than garbage. The result is
    whitespace-normalised and at most `max_chars` long; "" for an unsupported
    extension or an unreadable file. The file is read from its start and is
    left open.
    """
    if max_chars < 0:
        raise ValueError(f"max_chars must be zero or more, not {max_chars}")
    extractor = _EXTRACTORS.get(_extension(filename))
    if extractor is None or max_chars == 0:
        return ""
    collector = _TextCollector(max_chars)
    try:
        with _seekable(file) as stream:
            extractor(stream, collector)
    except _Unreadable as exc:
        collector.note(str(exc))
    text = collector.text()
    if collector.problems:
        logger.warning(
            "Text extraction from %r %s: %s",
            filename,
            f"incomplete ({len(text)} characters kept)" if text else "gave no text",
            "; ".join(collector.problems),
        )
    return text


def _extension(filename: str) -> str:
    name = filename.replace("\\", "/").rpartition("/")[2]
    _stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot else ""


@contextmanager
def _seekable(file: BinaryFile) -> Iterator[BinaryFile]:
    """The file rewound, or a copy of it when it cannot seek: ZIP and PDF
    readers jump to the end of the file first."""
    seekable = getattr(file, "seekable", None)
    if seekable is not None and seekable():
        file.seek(0)  # type: ignore[attr-defined]
        yield file
        return
    with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as spool:
        copied = 0
        while chunk := file.read(1024 * 1024):
            copied += len(chunk)
            if copied > MAX_SPOOLED_BYTES:
                raise _Unreadable(f"larger than {MAX_SPOOLED_BYTES} bytes")
            spool.write(chunk)
        spool.seek(0)
        yield spool


def _read_head(stream: BinaryFile, size: int) -> bytes:
    head = stream.read(size)
    stream.seek(0)  # type: ignore[attr-defined]
    return head


# --- PDF ----------------------------------------------------------------------


def _extract_pdf(stream: BinaryFile, collector: _TextCollector) -> None:
    """Page by page, so that one broken page does not lose the others.

    pypdf raises a wide, undocumented range of exceptions on malformed input
    (its own errors, but also KeyError, TypeError, RecursionError...), so any
    exception it raises counts as bad content.
    """
    if _PDF_MAGIC not in _read_head(stream, _PDF_HEADER_WINDOW):
        raise _Unreadable("not a PDF (no %PDF- header)")
    try:
        reader = PdfReader(stream, strict=False)
        # Many PDFs are "encrypted" with an empty user password only to forbid
        # printing or copying; those open with "" and are read.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise _Unreadable("PDF protected by a password")
        pages = reader.pages
        page_count = len(pages)
    except _Unreadable:
        raise
    except Exception as exc:
        raise _Unreadable(f"unreadable PDF ({type(exc).__name__}: {exc})") from exc
    if page_count > MAX_PDF_PAGES:
        collector.note(f"only the first {MAX_PDF_PAGES} of {page_count} pages read")
    failures = 0
    for number in range(min(page_count, MAX_PDF_PAGES)):
        if collector.full:
            break
        try:
            text = pages[number].extract_text()
        except Exception:
            failures += 1
            continue
        collector.add(text)
        collector.end_section()
    if failures:
        collector.note(f"{failures} of {page_count} PDF pages unreadable")


# --- Plain text and HTML ------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Browsers read a declared Latin-1 or ASCII page as Windows-1252, and so do
# Windows authoring tools that write it: "é" is the same, curly quotes and "œ"
# are not.
_AS_CP1252 = frozenset({"iso8859-1", "ascii"})
_ASCII_PROBE = '<meta charset="utf-8"> AZaz09+-/'


def _read_capped(stream: BinaryFile, limit: int) -> tuple[bytes, bool]:
    """At most `limit` bytes, and whether the file is longer."""
    data = stream.read(limit + 1)
    return data[:limit], len(data) > limit


def _looks_binary(sample: bytes) -> bool:
    """Text has next to no control bytes; images, archives and executables are
    about one byte in ten (and NUL bytes above all). One in twenty separates
    them while tolerating a stray NUL in an otherwise good text export."""
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls * 20 > len(sample)


def _usable_encoding(declared: str) -> str | None:
    """The codec for an encoding a page declares, if it is a text encoding
    that leaves ASCII as it is, as HTML requires. A page must not pick a
    decompressor ("zlib"), a transform ("rot13") or UTF-7."""
    try:
        name = codecs.lookup(declared).name
        # str.encode refuses codecs that are not text encodings.
        ascii_compatible = _ASCII_PROBE.encode(name) == _ASCII_PROBE.encode("ascii")
    except (LookupError, ValueError):
        return None
    if not ascii_compatible:
        return None
    return "cp1252" if name in _AS_CP1252 else name


def _decode(data: bytes, *, complete: bool, declared: str | None = None) -> str:
    """Text from bytes of unknown encoding: a byte-order mark wins, then the
    declared encoding, then UTF-8, then Windows-1252 (what French Windows
    software writes), then Latin-1, which decodes anything. `complete=False`
    means the bytes were cut, possibly inside a character."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return codecs.getincrementaldecoder(encoding)("replace").decode(
                data, final=complete
            )
    if _looks_binary(data[:_BINARY_SNIFF_BYTES]):
        raise _Unreadable("binary content, not text")
    candidates = ["utf-8", "cp1252"]
    if declared and (encoding := _usable_encoding(declared)):
        candidates.insert(0, encoding)
    for encoding in candidates:
        try:
            return codecs.getincrementaldecoder(encoding)().decode(data, final=complete)
        except UnicodeError:  # not only UnicodeDecodeError: "idna" raises its own
            continue
    return data.decode("latin-1")


def _extract_plain_text(stream: BinaryFile, collector: _TextCollector) -> None:
    """txt, csv and md as they are. At most four bytes per wanted character
    are read (the longest UTF-8 character), so a huge file costs nothing."""
    data, truncated = _read_capped(
        stream, min(collector.max_chars * 4 + 4, MAX_UNCOMPRESSED_BYTES)
    )
    collector.add(_decode(data, complete=not truncated))


# Elements after which a browser starts a new line: without a separator, the
# words of two paragraphs or table cells would be glued together.
_HTML_BLOCKS = (
    *("address", "article", "aside", "blockquote", "br", "caption", "dd"),
    *("details", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer"),
    *("form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main"),
    *("nav", "ol", "p", "pre", "section", "summary", "table", "td", "th"),
    *("title", "tr", "ul"),
)
_HTML_INVISIBLE = ("script", "style", "noscript", "template")
# <meta charset="x">, <meta http-equiv="Content-Type" content="...; charset=x">
# or an XHTML <?xml ... encoding="x"?>.
_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)"""
    rb"""|^\s*<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)


def _extract_html(stream: BinaryFile, collector: _TextCollector) -> None:
    """What a reader sees: no tags, scripts, styles or comments.

    libxml2's HTML parser (through lxml) rather than the standard library's:
    html.parser takes quadratic time on some malformed input (CVE-2025-6069,
    unfixed in Python releases before mid-2025, such as the 3.11.7 used here),
    and BeautifulSoup's tree slows to minutes on deeply nested tags. libxml2 is
    linear, stops at about 255 levels of nesting and never fetches anything.
    The bytes are decoded here (BOM, declared charset, UTF-8, Windows-1252) and
    handed over as UTF-8, so the same rules apply as for text files. Any
    exception from lxml counts as bad content.
    """
    data, truncated = _read_capped(stream, MAX_HTML_BYTES)
    if truncated:
        collector.note(f"only the first {MAX_HTML_BYTES} bytes of HTML read")
    match = _DECLARED_CHARSET.search(data, 0, 4096)
    declared = (match[1] or match[2]).decode("ascii") if match else None
    markup = _decode(data, complete=not truncated, declared=declared)
    parser = etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True
    )
    try:
        root = etree.fromstring(markup.encode("utf-8", "replace"), parser)
        if root is None:  # nothing but whitespace
            return
        etree.strip_elements(root, *_HTML_INVISIBLE, with_tail=False)
        for element in root.iter(*_HTML_BLOCKS):
            element.tail = "\n" + (element.tail or "")
            element.text = "\n" + (element.text or "")
        text = "".join(root.itertext())
    except Exception as exc:
        raise _Unreadable(f"unreadable HTML ({type(exc).__name__}: {exc})") from exc
    # Nested blocks leave runs of separators: one line per block is enough.
    for line in text.split("\n"):
        collector.add(line)


# --- ZIP-based formats --------------------------------------------------------

# What a damaged or hostile ZIP or XML part raises. DefusedXmlException (a
# refused DTD or entity) and UnicodeDecodeError are ValueErrors; zipfile raises
# NotImplementedError for archive features it lacks (a bogus "version needed").
_ARCHIVE_ERRORS = (
    zipfile.BadZipFile,
    NotImplementedError,
    ParseError,
    ValueError,
    EOFError,
    OSError,
    zlib.error,
    struct.error,
)


class _CappedReader:
    """A ZIP member that refuses to inflate past its declared size. zipfile
    already stops there, but the cap is what protects us, so it is kept here
    rather than left to a library detail."""

    def __init__(self, raw: zipfile.ZipExtFile, limit: int, name: str) -> None:
        self._raw = raw
        self._left = limit
        self._name = name

    def __enter__(self) -> _CappedReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._raw.close()

    def read(self, size: int = -1, /) -> bytes:
        if size < 0 or size > self._left + 1:
            size = self._left + 1
        data = self._raw.read(size)
        self._left -= len(data)
        if self._left < 0:
            raise _Unreadable(f"{self._name} is larger than it declares")
        return data


class _Archive:
    """A ZIP whose members are inflated within one budget of
    MAX_UNCOMPRESSED_BYTES, checked against the declared sizes before any
    byte is inflated: this is the defence against ZIP bombs."""

    def __init__(self, stream: BinaryFile, kind: str) -> None:
        """`kind` names the expected format in messages: "a Word document"."""
        if _read_head(stream, len(_ZIP_MAGIC)) != _ZIP_MAGIC:
            # Password-protected Office files are not ZIPs but OLE containers.
            raise _Unreadable(f"not {kind} (not a ZIP archive)")
        self.kind = kind
        self._zip = zipfile.ZipFile(stream)  # type: ignore[arg-type]
        self._budget = MAX_UNCOMPRESSED_BYTES

    def close(self) -> None:
        self._zip.close()

    def names(self) -> list[str]:
        return self._zip.namelist()

    def require(self, *names: str) -> None:
        present = set(self.names())
        missing = [name for name in names if name not in present]
        if missing:
            raise _Unreadable(f"not {self.kind} (no {', '.join(missing)})")

    def check_total_size(self) -> None:
        """For readers that inflate members themselves (openpyxl)."""
        total = sum(info.file_size for info in self._zip.infolist())
        if total > self._budget:
            raise _Unreadable(
                f"{total} bytes once uncompressed, over the {self._budget} "
                "byte limit (ZIP bomb?)"
            )

    def open(self, name: str) -> _CappedReader:
        info = self._zip.getinfo(name)
        if info.flag_bits & 0x1:
            raise _Unreadable(f"{name} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # The only methods OOXML and ODF allow; also keeps exotic
            # decompressors away from untrusted bytes.
            raise _Unreadable(f"{name} uses an unsupported compression method")
        if info.file_size > self._budget:
            raise _Unreadable(
                f"{name} is {info.file_size} bytes once uncompressed, over the "
                f"{MAX_UNCOMPRESSED_BYTES} byte limit (ZIP bomb?)"
            )
        self._budget -= info.file_size
        return _CappedReader(self._zip.open(info), info.file_size, name)


@contextmanager
def _archive(stream: BinaryFile, kind: str) -> Iterator[_Archive]:
    """An `_Archive` whose ZIP and XML errors become `_Unreadable`."""
    archive = None
    try:
        archive = _Archive(stream, kind)
        yield archive
    except _ARCHIVE_ERRORS as exc:
        raise _Unreadable(
            f"damaged or unsafe archive ({type(exc).__name__}: {exc})"
        ) from exc
    finally:
        if archive is not None:
            archive.close()


@dataclass(frozen=True)
class _Markup:
    """Where the text is in one XML vocabulary (qualified tag names)."""

    paragraphs: frozenset[str]
    # Elements whose own text is content (OOXML's w:t, a:t); None when every
    # text node is (ODF's mixed content).
    text: frozenset[str] | None
    tabs: frozenset[str] = frozenset()
    breaks: frozenset[str] = frozenset()
    spaces: frozenset[str] = frozenset()
    # Subtrees that are not the document's visible text: deleted revisions,
    # comments, duplicate fallback renderings.
    skipped: frozenset[str] = frozenset()


def _tags(namespaces: tuple[str, ...], *names: str) -> frozenset[str]:
    return frozenset(f"{{{ns}}}{name}" for ns in namespaces for name in names)


# Transitional and Strict OOXML use different namespaces for the same elements.
_W = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)
_A = (
    "http://schemas.openxmlformats.org/drawingml/2006/main",
    "http://purl.oclc.org/ooxml/drawingml/main",
)
_MC = ("http://schemas.openxmlformats.org/markup-compatibility/2006",)
_ODF_TEXT = ("urn:oasis:names:tc:opendocument:xmlns:text:1.0",)
_ODF_OFFICE = ("urn:oasis:names:tc:opendocument:xmlns:office:1.0",)

_WORD = _Markup(
    paragraphs=_tags(_W, "p"),
    text=_tags(_W, "t"),
    tabs=_tags(_W, "tab", "ptab"),
    breaks=_tags(_W, "br", "cr"),
    skipped=_tags(_MC, "Fallback") | _tags(_W, "moveFrom"),
)
_SLIDES = _Markup(
    paragraphs=_tags(_A, "p"),
    text=_tags(_A, "t"),
    breaks=_tags(_A, "br"),
    skipped=_tags(_MC, "Fallback"),
)
_OPEN_DOCUMENT = _Markup(
    paragraphs=_tags(_ODF_TEXT, "p", "h"),
    text=None,
    tabs=_tags(_ODF_TEXT, "tab"),
    breaks=_tags(_ODF_TEXT, "line-break"),
    spaces=_tags(_ODF_TEXT, "s"),
    skipped=_tags(_ODF_TEXT, "tracked-changes")
    | _tags(_ODF_OFFICE, "annotation", "annotation-end"),
)


def _read_xml_paragraphs(
    source: _CappedReader, markup: _Markup, collector: _TextCollector
) -> None:
    """Each top-level paragraph of an XML part, streamed.

    defusedxml refuses any DTD (no office format needs one), which stops
    entity-expansion ("billion laughs") and external-entity attacks. Elements
    are dropped from the tree once read, so memory stays flat however long the
    part; a paragraph nested in another (a text box) is read with its parent.
    """
    paragraph_depth = skip_depth = 0
    open_elements: list[Element] = []
    for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
        if event == "start":
            open_elements.append(element)
            if skip_depth or element.tag in markup.skipped:
                skip_depth += 1
            elif element.tag in markup.paragraphs:
                paragraph_depth += 1
            continue
        open_elements.pop()
        if skip_depth:
            skip_depth -= 1
        elif element.tag in markup.paragraphs:
            paragraph_depth -= 1
            if not paragraph_depth:
                collector.add(_paragraph_text(element, markup))
                if collector.full:
                    return
        if not paragraph_depth and open_elements:
            # Finished siblings were removed already: this is the first child.
            open_elements[-1].remove(element)


def _paragraph_text(paragraph: Element, markup: _Markup) -> str:
    """The text of one paragraph, walked without recursion: a crafted file
    can nest elements deeper than Python's stack."""
    parts: list[str] = []
    pending: list[Element | str] = [paragraph]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        tag = item.tag
        if tag in markup.skipped:
            continue
        if tag in markup.tabs:
            parts.append("\t")
        elif tag in markup.breaks or (
            tag in markup.paragraphs and item is not paragraph
        ):
            parts.append("\n")
        elif tag in markup.spaces:
            # ODF's <text:s text:c="N"/> is N spaces; N is untrusted and
            # spaces collapse anyway.
            parts.append(" ")
        if item.text and (markup.text is None or tag in markup.text):
            parts.append(item.text)
        for child in reversed(item):
            if markup.text is None and child.tail:
                pending.append(child.tail)
            pending.append(child)
    return "".join(parts)


def _extract_docx(stream: BinaryFile, collector: _TextCollector) -> None:
    """The body's paragraphs (headers, footers and comments are left out)."""
    with _archive(stream, "a Word document") as archive:
        archive.require("[Content_Types].xml", "word/document.xml")
        with archive.open("word/document.xml") as part:
            _read_xml_paragraphs(part, _WORD, collector)


def _extract_open_document(stream: BinaryFile, collector: _TextCollector) -> None:
    """odt, ods and odp share one layout: every paragraph, heading, table cell
    and slide text is a text:p or text:h of content.xml."""
    with _archive(stream, "an OpenDocument file") as archive:
        archive.require("content.xml")
        if "mimetype" in archive.names():
            with archive.open("mimetype") as part:
                mimetype = part.read(200)
            if not mimetype.startswith(b"application/vnd.oasis.opendocument."):
                raise _Unreadable("not an OpenDocument file (wrong mimetype)")
        with archive.open("content.xml") as part:
            _read_xml_paragraphs(part, _OPEN_DOCUMENT, collector)


_SLIDE_PART = re.compile(r"ppt/slides/slide(\d+)\.xml")


def _extract_pptx(stream: BinaryFile, collector: _TextCollector) -> None:
    """The text of each slide, in the order of the slide part numbers (which
    is the order of creation, usually the order of display)."""
    with _archive(stream, "a PowerPoint presentation") as archive:
        archive.require("[Content_Types].xml")
        slides = sorted(
            (int(match[1]), name)
            for name in archive.names()
            if (match := _SLIDE_PART.fullmatch(name))
        )
        if not slides:
            raise _Unreadable("not a PowerPoint presentation (no slides)")
        for _number, name in slides:
            with archive.open(name) as part:
                _read_xml_paragraphs(part, _SLIDES, collector)
            collector.end_section()
            if collector.full:
                return


def _extract_xlsx(stream: BinaryFile, collector: _TextCollector) -> None:
    """Each sheet's name, then its non-empty cell values row by row (cached
    results for formulas).

    openpyxl inflates members itself, so the ZIP's total declared size is
    checked first. Its read-only mode streams the sheets; dimensions declared
    by the file are ignored (they may claim a million rows), and the cells
    visited, padding included, are counted so a crafted sheet stops early.
    Like pypdf, openpyxl raises all sorts of exceptions on malformed parts.
    """
    with _archive(stream, "an Excel workbook") as archive:
        archive.require("[Content_Types].xml", "xl/workbook.xml")
        archive.check_total_size()
    stream.seek(0)  # type: ignore[attr-defined]
    try:
        workbook = load_workbook(
            stream,  # type: ignore[arg-type]
            read_only=True,
            data_only=True,
            keep_links=False,
        )
    except Exception as exc:
        raise _Unreadable(f"unreadable workbook ({type(exc).__name__}: {exc})") from exc
    try:
        _read_sheets(workbook, collector)
    except _Unreadable:
        raise
    except Exception as exc:
        raise _Unreadable(f"unreadable sheet ({type(exc).__name__}: {exc})") from exc
    finally:
        workbook.close()


def _read_sheets(workbook: Workbook, collector: _TextCollector) -> None:
    visited = 0
    for sheet in workbook.worksheets:
        sheet.reset_dimensions()
        collector.add(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            visited += max(1, len(row))
            if visited > MAX_SPREADSHEET_CELLS:
                collector.note(f"only the first {MAX_SPREADSHEET_CELLS} cells read")
                return
            collector.add(" ".join(str(v) for v in row if v is not None and v != ""))
            if collector.full:
                return
        collector.end_section()


_EXTRACTORS: dict[str, Callable[[BinaryFile, _TextCollector], None]] = {
    "pdf": _extract_pdf,
    "docx": _extract_docx,
    "odt": _extract_open_document,
    "ods": _extract_open_document,
    "odp": _extract_open_document,
    "pptx": _extract_pptx,
    "xlsx": _extract_xlsx,
    "txt": _extract_plain_text,
    "csv": _extract_plain_text,
    "md": _extract_plain_text,
    "html": _extract_html,
    "htm": _extract_html,
}

SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(_EXTRACTORS)
"""Lower-case extensions, without the dot, that `extract_text` can read."""
