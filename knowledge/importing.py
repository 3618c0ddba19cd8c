"""Import articles from files: plain text, Markdown or HTML become knowledge pages.

This is how an association brings in the articles of its old site
(`python manage.py import_articles`); the admin or a task can call the same
functions.

1. `read_document` refuses what is not a usable UTF-8 text file.
2. `parse_document` turns the text into a title, a lead and body blocks. Markdown
   goes through `markdown`, plain text is cut into paragraphs; the HTML is then
   stripped of page furniture (scripts, menus, cookie banners, share buttons…:
   `DROPPED_TAGS`, `FURNITURE_RE`, `BOILERPLATE_PATTERNS`) and sanitised with
   `nh3` down to what the rich-text editor allows, in Wagtail's storage format.
3. `import_file` creates the page under the resources index, or updates the page
   an earlier import of the same file made: the page's slug comes from the file's
   name, so importing the file again finds its page.

Images are not imported (the files come without them): editors add them in the
admin. Relative links of the old site would lead nowhere and lose their link.
"""

import html
import re
import stat
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
import nh3
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.text import slugify
from wagtail.log_actions import log
from wagtail.models import Page

from knowledge.models import (
    ArticlePage,
    InterviewPage,
    KnowledgeIndexPage,
    KnowledgePage,
    PracticePage,
)
from retex.models import Theme

MAX_FILE_BYTES = 5 * 1024 * 1024
TITLE_MAX = 255  # Page.title
HEADING_MAX = 200  # HeadingBlock.text
LEAD_MAX = 600  # KnowledgePage.lead
PERSON_MAX = 200  # QuoteBlock.author and .role
SLUG_MAX = 200

KIND_MODELS: dict[str, type[KnowledgePage]] = {
    "article": ArticlePage,
    "interview": InterviewPage,
    "practice": PracticePage,
}

FORMATS = ("text", "markdown", "html")
FORMAT_BY_EXTENSION = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}

# File names that say nothing of the article (`actualites/mon-article/index.html`):
# the page is then named after the folder.
GENERIC_STEMS = {"index", "default", "content", "contenu"}

# Fields an import fills in. A draft may miss the others (a practice's
# collectivity): the editor completes them in the admin before publishing.
IMPORTED_FIELDS = {"title", "slug", "lead", "body", "themes", NON_FIELD_ERRORS}


class ImportRefused(Exception):
    """A file that cannot become a page; the message names the file."""

    def __init__(self, reason: str, path: Path | str | None = None):
        self.reason = reason
        self.path = path
        super().__init__(f"{path} : {reason}" if path is not None else reason)

    def for_path(self, path: Path | str) -> "ImportRefused":
        return ImportRefused(self.reason, path)


@dataclass(frozen=True)
class ParsedDocument:
    """What a file says: `blocks` is raw data of `KnowledgeBodyBlock`."""

    title: str
    lead: str
    blocks: list[dict[str, Any]]


@dataclass(frozen=True)
class ImportResult:
    page: KnowledgePage
    created: bool
    url: str


# --- Reading -------------------------------------------------------------------------

_BINARY_SIGNATURES = {
    b"%PDF-": "un PDF",
    b"PK\x03\x04": "une archive ZIP (Word, OpenDocument…)",
    b"\xd0\xcf\x11\xe0": "un document Office (.doc)",
    b"{\\rtf": "un document RTF",
    b"\x89PNG": "une image PNG",
    b"\xff\xd8\xff": "une image JPEG",
    b"GIF8": "une image GIF",
}
_EXPORT_HINT = "exportez-le en texte, Markdown ou HTML"
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def read_document(path: Path) -> str:
    """The text of a file, or `ImportRefused` saying why it cannot be imported."""
    path = Path(path)
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise ImportRefused("c'est un dossier, pas un fichier.", path)
        if not stat.S_ISREG(status.st_mode):
            raise ImportRefused("ce n'est pas un fichier ordinaire.", path)
        if status.st_size > MAX_FILE_BYTES:
            raise ImportRefused(
                f"fichier trop volumineux (plus de {MAX_FILE_BYTES // 1024 // 1024} "
                "Mo) pour être un article.",
                path,
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportRefused("fichier introuvable.", path) from None
    except PermissionError:
        raise ImportRefused(
            "lecture non autorisée (droits du fichier).", path
        ) from None
    except OSError as error:
        raise ImportRefused(
            f"fichier illisible ({error.strerror or error}).", path
        ) from None

    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRefused("fichier en UTF-16 : enregistrez-le en UTF-8.", path)
    for signature, label in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise ImportRefused(
                f"fichier binaire ({label}), pas un texte : {_EXPORT_HINT}.", path
            )
    head = data[:8192]
    if b"\x00" in head:
        raise ImportRefused(f"fichier binaire, pas un texte : {_EXPORT_HINT}.", path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            f"ce n'est pas un texte UTF-8 (octet invalide à la position {error.start})"
            " : enregistrez-le en UTF-8.",
            path,
        ) from None
    sample = text[:8192]
    if sample and len(_CONTROL_RE.findall(sample)) > max(2, len(sample) // 100):
        raise ImportRefused(f"fichier binaire, pas un texte : {_EXPORT_HINT}.", path)
    if not normalise_text(text).strip():
        raise ImportRefused("fichier vide, rien à importer.", path)
    return text


def detect_format(path: Path, text: str) -> str:
    """ "text", "markdown" or "html": by the file's extension, else by its content."""
    return FORMAT_BY_EXTENSION.get(Path(path).suffix.lower()) or sniff_format(text)


_HTML_DOCUMENT_RE = re.compile(r"^\s*<(?:!doctype\s+html|html|body)\b", re.I)
_HTML_TAG_RE = re.compile(
    r"</?(?:p|div|h[1-6]|ul|ol|li|br|a|article|section|main|span|b|strong|em|i)\b"
    r"[^>]*>",
    re.I,
)
_MARKDOWN_RE = re.compile(
    r"^(?:#{1,6}\s+\S|\s{0,3}[-*+]\s+\S|\s{0,3}\d+\.\s+\S|>\s)|\*\*\S|\]\(\S+\)",
    re.M,
)


def sniff_format(text: str) -> str:
    if _HTML_DOCUMENT_RE.match(text) or len(_HTML_TAG_RE.findall(text[:20000])) >= 4:
        return "html"
    if _MARKDOWN_RE.search(text):
        return "markdown"
    return "text"


# --- Text clean-up -------------------------------------------------------------------

_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACE_RE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")


def normalise_text(text: str) -> str:
    """Unix line ends, no BOM nor invisible characters, no-break spaces as spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _SPACE_RE.sub(" ", _INVISIBLE_RE.sub("", text))


# Hyphen, en dash and em dash (escaped: they look alike).
_DASHES = "-\u2013\u2014"


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _squash(text: str) -> str:
    return " ".join(text.split())


def truncate(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with "…"."""
    text = _squash(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:" + _DASHES) + "…"


# Known leftovers of scraped pages, matched against a whole line or paragraph
# (case-insensitive, surrounding punctuation ignored). A line made only of such
# pieces separated by "|", "·", "•" or dashes is a leftover too. Keep each rule
# narrow: a sentence of an article must never match.
BOILERPLATE_PATTERNS: dict[str, str] = {
    "javascript warnings": (
        r"(?:your )?browser does(?: not|n't) support javascript"
        r"|(?:please )?enable javascript.{0,80}"
        r"|javascript (?:is )?(?:disabled|required|must be enabled).{0,80}"
        r"|(?:veuillez |merci d')?activer (?:le )?javascript.{0,80}"
        r"|votre navigateur ne (?:supporte|prend) pas (?:en charge )?(?:le )?"
        r"javascript.{0,80}"
        r"|(?:le )?javascript (?:est )?(?:désactivé|requis|nécessaire).{0,80}"
    ),
    "reading times": (
        r"(?:temps|durée) de lecture\s*:?\s*(?:environ|~|≈)?\s*\d+\s*"
        r"(?:min(?:ute)?s?|mn)\.?"
        r"|(?:lecture|reading time|read time)\s*:?\s*\d+\s*(?:min(?:ute)?s?|mn)\.?"
        r"|(?:environ |~ ?|≈ ?)?\d+\s*(?:min(?:ute)?s?|mn)\.?"
        r"(?:\s*(?:de lecture|read|reading|to read))?"
    ),
    "read more": (
        r"lire la suite|lire plus|voir plus|voir la suite|en savoir plus|read more"
        r"|continue reading|continuer la lecture|lire l'article"
    ),
    "breadcrumbs": (
        r"(?:vous êtes ici|you are here)\s*:.*"
        r"|(?:accueil|home)\s*(?:>|\u203a|»|/|→|>>|\\)\s*.{1,200}"
    ),
    "navigation": (
        r"accueil|home|menu|(?:ouvrir|fermer|afficher) (?:le )?menu|rechercher"
        r"|recherche|search|aller au contenu(?: principal)?"
        r"|(?:passer|aller) (?:au contenu|à la navigation)"
        r"|skip to (?:main )?content|retour en haut(?: de (?:la )?page)?"
        r"|haut de page|back to top|retour(?: à la liste| aux actualités)?"
        r"|(?:article |page )?(?:précédent|suivant)e?|(?:previous|next)(?: post)?"
        r"|fermer|close|se connecter|connexion|log ?in"
        r"|imprimer(?: cet article| la page| cette page)?|print(?: this page)?"
    ),
    "cookie buttons": (
        r"(?:tout )?(?:accepter|refuser)(?: tout| tous les cookies| les cookies)?"
        r"|accept(?: all)?(?: cookies)?|reject all|decline|(?:ok,? )?j'ai compris"
        r"|j'accepte|je refuse|personnaliser(?: les cookies)?"
        r"|gérer (?:mes|les) (?:choix|préférences|cookies)"
        r"|(?:paramètres|paramétrage|gestion|politique) (?:des |de |relative aux )?"
        r"cookies"
    ),
    "publication dates": (
        r"(?:publié|posté|mis à jour|mise à jour|modifié|published|posted|updated)"
        r"(?: le| on)?\s+(?:\d{1,2}(?:er)?[\s/.-]+(?:\d{1,2}|[a-zéû]+)[\s/.-]+\d{2,4}"
        r"|[a-z]+ \d{1,2},? \d{4})(?:\s*(?:à|at)\s*\d{1,2}\s*[h:]\s*\d{0,2})?"
        r"(?:\s*(?:par|by)\s+[^.!?]{1,60})?"
    ),
    "tags": (
        r"(?:tags?|mots[- ]clés|étiquettes?|catégories?|categories|thématiques?"
        r"|rubriques?)\s*:.{0,300}|(?:#[\w-]+[\s,]*)+"
    ),
    "comments": (
        r"\d+\s+commentaires?|aucun commentaire|(?:laisser|laissez|ajouter) un "
        r"commentaire|leave a (?:comment|reply)|\d+ comments?|no comments"
    ),
    "copyright": (
        r"(?:©|\(c\)|copyright).{0,150}|tous droits réservés.{0,50}"
        r"|all rights reserved.{0,50}"
    ),
}
_BOILERPLATE_RES = [
    re.compile(rf"[\W_]*(?:{pattern})[\W_]*", re.I)
    for pattern in BOILERPLATE_PATTERNS.values()
]
# A cookie banner's sentence: mentions cookies and speaks of this site or of
# going on browsing ("Ce site utilise des cookies… En poursuivant…").
_COOKIE_RE = re.compile(r"\bcookies?\b", re.I)
_COOKIE_BANNER_RE = re.compile(
    r"\b(?:ce|notre|this|our) (?:site|website)|en (?:poursuivant|continuant)"
    r"|by (?:continuing|using)|j'accepte|tout accepter|accept all|\bok\b",
    re.I,
)
_SHARE_VERBS = {"partager", "partagez", "partage", "share", "tweet", "tweeter"}
_NETWORKS = {
    "facebook",
    "twitter",
    "x",
    "linkedin",
    "whatsapp",
    "pinterest",
    "bluesky",
    "mastodon",
    "telegram",
    "messenger",
    "reddit",
    "threads",
    "instagram",
    "youtube",
    "email",
    "e-mail",
    "mail",
    "courriel",
}
_SHARE_FILLERS = {
    "sur",
    "on",
    "via",
    "par",
    "this",
    "cet",
    "cette",
    "ce",
    "l'article",
    "article",
    "la",
    "le",
    "page",
    "post",
    "lien",
    "link",
    "copier",
    "copy",
    "envoyer",
    "imprimer",
    "print",
    "à",
    "un",
    "ami",
    "et",
    "and",
    "ou",
    "or",
    "suivez-nous",
    "follow",
    "us",
}
_SEGMENT_RE = re.compile(rf"\s+[{_DASHES}|·•/]\s+|\s*[|·•]\s*")
_MENU_SEPARATOR_RE = re.compile(r"\s*[|•·]\s*")


def is_boilerplate(text: str) -> bool:
    """Whether a line or paragraph is a leftover of the old site's page furniture."""
    text = _squash(normalise_text(text))
    if not re.search(r"\w", text):
        return True
    if _is_boilerplate_piece(text):
        return True
    segments = [s for s in _SEGMENT_RE.split(text) if s.strip()]
    if len(segments) > 1 and all(_is_boilerplate_piece(s) for s in segments):
        return True
    # A menu: "Accueil | Actualités | Agenda | Contact".
    if text.startswith("|"):
        return False  # a row of a Markdown table
    items = [s for s in _MENU_SEPARATOR_RE.split(text) if s.strip()]
    return len(items) >= 3 and all(
        len(item) <= 30 and not re.search(r"[.!?;]", item) for item in items
    )


def _is_boilerplate_piece(text: str) -> bool:
    if any(regex.fullmatch(text) for regex in _BOILERPLATE_RES):
        return True
    if len(text) <= 400 and _COOKIE_RE.search(text) and _COOKIE_BANNER_RE.search(text):
        return True
    words = re.findall(r"[\w'-]+", text.lower().replace("\u2019", "'"))
    return bool(words) and (
        all(w in _SHARE_VERBS | _NETWORKS | _SHARE_FILLERS for w in words)
        and any(w in _SHARE_VERBS | _NETWORKS for w in words)
    )


# --- Parsing -------------------------------------------------------------------------


def parse_document(text: str, *, fmt: str) -> ParsedDocument:
    """Title, lead and body blocks of a text in `fmt` ("text", "markdown", "html").

    Raises `ImportRefused` (without a file name) when nothing usable is left.
    """
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}: expected one of {FORMATS}.")
    text = normalise_text(text)
    title_hint = ""
    if fmt == "markdown":
        text, title_hint = _split_front_matter(text)
        text = "\n".join(drop_boilerplate_lines(text.split("\n")))
        source = markdown.markdown(text, extensions=["extra", "sane_lists"])
    elif fmt == "text":
        source = _text_to_html(text)
    else:
        source = text
    items, title = _html_items(source)
    return _assemble(items, title=title_hint or title)


_FRONT_MATTER_RE = re.compile(r"\A\s*---\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def _split_front_matter(text: str) -> tuple[str, str]:
    """A Markdown text without its YAML front matter, and the title it gives."""
    match = _FRONT_MATTER_RE.match(text)
    if not match:
        return text, ""
    title = re.search(r"^title\s*:\s*(.+)$", match.group(1), re.M | re.I)
    title_text = title.group(1).strip().strip("\"'") if title else ""
    return text[match.end() :], _squash(title_text)


# Plain text ---------------------------------------------------------------------------

_TEXT_BREAK_TAG_RE = re.compile(
    r"<br\s*/?>|</(?:p|div|li|h[1-6]|tr|blockquote|section|article)\s*>", re.I
)
_TEXT_TAG_RE = re.compile(r"<!--.*?-->|</?[a-zA-Z][\w:-]*(?:\s[^<>]*)?/?>", re.S)
_BULLET_RE = re.compile(rf"^(?:[{_DASHES}*•·]|(\d{{1,2}})[.)])\s+(\S.*)$")
_RULE_RE = re.compile(r"[-=_*~#.·•]{3,}")
_SENTENCE_END = (".", "!", "?", "…", ":", ";", "»", '"', ")")


def _text_to_html(text: str) -> str:
    """Plain text as HTML paragraphs; tags left over in it are dropped."""
    text = re.sub(r"<(script|style)\b.*?</\1\s*>", "", text, flags=re.I | re.S)
    text = _TEXT_BREAK_TAG_RE.sub("\n", text)
    text = html.unescape(_TEXT_TAG_RE.sub("", text))
    lines = [_squash(line) for line in normalise_text(text).split("\n")]
    lines = drop_boilerplate_lines(_drop_menus(lines))
    groups: list[list[str]] = [[]]
    for line in lines:
        if line:
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    return "\n".join(part for group in groups for part in _group_html(group))


def _group_html(lines: list[str]) -> list[str]:
    """Lines without a blank line between them: paragraphs and lists.

    A line stays in the paragraph of the line above when that one looks wrapped
    by hand (long, without a final punctuation mark); else it starts a paragraph.
    """
    out: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = "ul"

    def flush() -> None:
        if paragraph:
            out.append(f"<p>{_escape(' '.join(paragraph))}</p>")
            paragraph.clear()
        if items:
            lis = "".join(f"<li>{_escape(item)}</li>" for item in items)
            out.append(f"<{list_tag}>{lis}</{list_tag}>")
            items.clear()

    for line in lines:
        bullet = _BULLET_RE.match(line)
        if _RULE_RE.fullmatch(line):
            flush()
        elif bullet:
            if paragraph or (items and (list_tag == "ol") != bool(bullet[1])):
                flush()
            list_tag = "ol" if bullet[1] else "ul"
            items.append(bullet[2])
        elif (
            paragraph
            and len(paragraph[-1]) >= 50
            and not paragraph[-1].endswith(_SENTENCE_END)
        ):
            paragraph.append(line)
        else:
            flush()
            paragraph.append(line)
    flush()
    return out


def drop_boilerplate_lines(lines: Iterable[str]) -> list[str]:
    """Lines of a text or Markdown source without the leftovers that start a
    paragraph (or follow another leftover): "4 minutes" at the end of a sentence
    wrapped over two lines is kept. Fenced code is left alone."""
    kept: list[str] = []
    standalone = True  # the line starts a paragraph
    fenced = False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
        if (
            not fenced
            and standalone
            and re.search(r"\w", stripped)
            and is_boilerplate(stripped)
        ):
            continue  # the next line is standalone too
        kept.append(line)
        standalone = not stripped
    return kept


_NAV_HOME_RE = re.compile(r"\W*(?:accueil|home)\W*", re.I)


def _is_menu_entry(line: str) -> bool:
    return 0 < len(line) <= 30 and not line.endswith(_SENTENCE_END)


def _drop_menus(lines: list[str]) -> list[str]:
    """Lines without navigation menus pasted with the text: three short lines or
    more in a row, one of them "Accueil" (other leftovers may sit among them)."""
    kept: list[str] = []
    run: list[str] = []

    def end_run() -> None:
        entries = [line for line in run if _is_menu_entry(line)]
        if not (len(entries) >= 3 and any(map(_NAV_HOME_RE.fullmatch, entries))):
            kept.extend(run)
        run.clear()

    for line in lines:
        if line and (_is_menu_entry(line) or is_boilerplate(line)):
            run.append(line)
        else:
            end_run()
            kept.append(line)
    end_run()
    return kept


# HTML ---------------------------------------------------------------------------------

# Removed with everything inside them.
DROPPED_TAGS = frozenset(
    {
        "head",
        "title",
        "meta",
        "link",
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "aside",
        "form",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "canvas",
        "button",
        "input",
        "select",
        "option",
        "textarea",
        "label",
        "datalist",
        "dialog",
        "img",
        "picture",
        "video",
        "audio",
        "source",
        "track",
        "map",
        "area",
    }
)
# Page furniture recognised by its class or id: cookie banners, share buttons,
# breadcrumbs, menus, sidebars, comments, related posts, article meta lines.
FURNITURE_RE = re.compile(
    r"(?:^|[\s_-])(?:cookies?|consent|gdpr|rgpd|tarteaucitron|didomi|axeptio"
    r"|share|sharing|sharedaddy|sharethis|addtoany|a2a_kit|shariff|partage|social"
    r"|breadcrumbs?|ariane|menu|navbar|navigation|nav|sidebar|widget|newsletter"
    r"|comments?|commentaires|related|similar|skip-link|screen-reader-text"
    r"|sr-only|visually-hidden|pagination|post-navigation|tag-links|cat-links"
    r"|post-meta|entry-meta|byline|reading-time|read-time|tags|tagcloud)"
    r"(?:$|[\s_-])",
    re.I,
)
_FURNITURE_ROLES = {
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "dialog",
    "alertdialog",
}
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
INLINE_TAGS = frozenset(
    {
        "a",
        "abbr",
        "acronym",
        "b",
        "bdi",
        "bdo",
        "big",
        "br",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "ins",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "time",
        "tt",
        "u",
        "var",
        "wbr",
    }
)
_BLOCK_TAGS = [
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "blockquote",
    "table",
    "section",
    "article",
    "pre",
]
_HEADING_LEVELS = {f"h{n}": n for n in range(1, 7)}
_PARAGRAPH_BREAK_RE = re.compile(r"\n\s*\n|(?:<br\s*/?>\s*){2,}", re.I)


@dataclass
class _Heading:
    level: int
    text: str


@dataclass
class _Rich:
    html: str  # one <p>, <ul> or <ol> in Wagtail's rich-text storage format
    text: str
    is_paragraph: bool


@dataclass
class _Quote:
    text: str
    author: str = ""
    role: str = ""


_Item = _Heading | _Rich | _Quote


def _html_items(source: str) -> tuple[list[_Item], str]:
    """The blocks of an HTML text, and its title (see `_title_heading`)."""
    soup = BeautifulSoup(source, "html.parser")
    for node in soup.find_all(
        string=lambda s: isinstance(
            s, Comment | Doctype | Declaration | ProcessingInstruction | CData
        )
    ):
        node.extract()
    hints = _page_hints(soup)  # Read before <head> and the header go.
    _drop_site_identity(soup, hints)
    _drop_furniture(soup)

    root = _content_root(soup)
    title_tag = _title_heading(root, soup, hints)
    walker = _Walker(skip=title_tag)
    walker.walk(root)
    walker.flush()
    title = _squash(title_tag.get_text(" ")) if title_tag else hints.title
    return walker.items, title


# The page's title is its real heading, never the site's name, its logo or a
# byline: these are told apart by what the page says of itself.
_SITE_NAME_MARKS_RE = re.compile(
    r"(?:^|[\s_-])(?:logo|logotype|brand|branding|site-?title|site-?name|sitename"
    r"|site-branding|navbar-brand)(?:$|[\s_-])",
    re.I,
)
_NOT_A_TITLE_RE = re.compile(
    r"\W*(?:logo(?:type)?(?: \S+)?|image|photo|illustration|untitled|sans titre)\W*",
    re.I,
)
# A bar, a dash, "::", "»" or "·" between a title and a site name.
_TITLE_SEPARATOR_RE = re.compile(rf"\s+(?:[|·»{re.escape(_DASHES)}]|::)\s+")
_BYLINE_RE = re.compile(
    r"\W*(?:(?:publié|posté|rédigé|écrit|mis en ligne)(?: le| par)?|par|by|auteur"
    r"|author)\b.*",
    re.I,
)
_YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")


@dataclass(frozen=True)
class _PageHints:
    title: str  # og:title, else <title>, without the site's name.
    site_names: frozenset[str]  # Casefolded.


def _page_hints(soup: BeautifulSoup) -> _PageHints:
    """What the page says of itself: its title (og:title, <title>) and its
    site's name (og:site_name, application-name, the logo or site title in
    the header), so that neither a logo nor the site's name becomes a title."""
    names = set()
    for meta in soup.find_all("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if key in {"og:site_name", "application-name", "twitter:site"}:
            names.add(_squash(meta.get("content") or "").lstrip("@"))
    for tag in soup.find_all(True):
        marks = " ".join([*(tag.get("class") or []), tag.get("id") or ""])
        if (
            marks.strip()
            and _SITE_NAME_MARKS_RE.search(marks)
            and tag.find_parent(["article", "main"]) is None
        ):
            names.add(_squash(tag.get_text(" ")))
            names.update(_squash(img.get("alt") or "") for img in tag.find_all("img"))
    for link in soup.find_all("a", href=True):
        if link["href"].strip() in {"/", "./", "index.html"}:
            names.add(_squash(link.get_text(" ")))
    site_names = frozenset(name.casefold() for name in names if name)

    def without_site_name(text: str) -> str:
        parts = [p for p in _TITLE_SEPARATOR_RE.split(_squash(text)) if p.strip()]
        kept = [p for p in parts if p.casefold() not in site_names]
        if len(kept) == len(parts) and len(parts) == 2:
            # Nothing says which half is the site's: the longer is the title.
            kept = [max(parts, key=len)]
        return " \u2013 ".join(kept) if kept else ""

    og_title = next(
        (
            meta.get("content") or ""
            for meta in soup.find_all("meta")
            if (meta.get("property") or meta.get("name") or "").lower()
            in {"og:title", "twitter:title"}
        ),
        "",
    )
    title_tag = soup.find("title")
    title = ""
    for candidate in (og_title, title_tag.get_text(" ") if title_tag else ""):
        cleaned = without_site_name(html.unescape(candidate))
        if cleaned and _is_title_text(cleaned, site_names):
            title = cleaned
            break
    return _PageHints(title=title, site_names=site_names)


def _is_title_text(text: str, site_names: frozenset[str]) -> bool:
    text = _squash(text)
    return bool(
        text
        and text.casefold() not in site_names
        and not _NOT_A_TITLE_RE.fullmatch(text)
        and not _is_byline(text, site_names)
        and not is_boilerplate(text)
    )


def _is_byline(text: str, site_names: frozenset[str]) -> bool:
    """« Par Diagonales Conseil, le 30 novembre 2020 », « Publié le 3 mai
    2021 »: who wrote it or when, naming the site or a year (« Par les
    usagers. » is a sentence)."""
    text = _squash(text)
    if len(text) > 150 or not _BYLINE_RE.fullmatch(text):
        return False
    folded = text.casefold()
    return bool(_YEAR_RE.search(text)) or any(name in folded for name in site_names)


_IDENTITY_TAGS = ["p", "div", "span", "a", "small", "h1", "h2", "h3", "h4", "h5"]


def _drop_site_identity(soup: BeautifulSoup, hints: "_PageHints") -> None:
    """Remove the site's logo and name (outside the article) and the lines that
    only name the site or the author: none of them is the article."""
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        marks = " ".join([*(tag.get("class") or []), tag.get("id") or ""])
        outside = tag.find_parent(["article", "main"]) is None
        if marks.strip() and _SITE_NAME_MARKS_RE.search(marks) and outside:
            headings = tag.find_all(["h1", "h2"])
            if all(
                _squash(h.get_text(" ")).casefold() in hints.site_names
                for h in headings
            ):
                tag.decompose()
    for tag in soup.find_all(_IDENTITY_TAGS):
        if tag.decomposed or tag.find_parent(["blockquote", "figure"]):
            continue
        if tag.name not in {"a", "span", "small"} and tag.find(_BLOCK_TAGS):
            continue
        text = _squash(tag.get_text(" "))
        if text and (
            text.casefold() in hints.site_names or _is_byline(text, hints.site_names)
        ):
            tag.decompose()


def _title_heading(root: Tag, soup: BeautifulSoup, hints: _PageHints) -> Tag | None:
    """The heading that is the article's title: the one saying what the page's
    own title says (og:title, <title>), else the first <h1> of the article that
    is not the site's name, its logo or a byline (`_drop_site_identity` took
    those that name the site out already). None when there is no such heading."""
    if hints.title:
        wanted = hints.title.casefold()
        for heading in root.find_all(["h1", "h2", "h3"]):
            if _squash(heading.get_text(" ")).casefold() == wanted:
                return heading
    scopes = [*root.find_all(["article", "main"]), root, soup]
    return next(
        (
            tag
            for scope in scopes
            for tag in scope.find_all("h1")
            if _is_title_text(tag.get_text(" "), hints.site_names)
        ),
        None,
    )


def _drop_furniture(soup: BeautifulSoup) -> None:
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        if _is_furniture(tag):
            tag.decompose()


def _is_furniture(tag: Tag) -> bool:
    name = tag.name
    if name in DROPPED_TAGS:
        return True
    if name == "header":
        # An article's own header holds its title; the site's holds its menus.
        return tag.find_parent(["article", "main"]) is None and not tag.find("h1")
    if name == "footer":
        # A quote's footer names its author; other footers are the site's.
        return tag.find_parent("blockquote") is None
    if name == "figure":
        return tag.find("blockquote") is None
    if name in {"html", "body", "main", "article"}:
        return False
    if tag.has_attr("hidden") or tag.get("aria-hidden") == "true":
        return True
    if _HIDDEN_STYLE_RE.search(tag.get("style", "")):
        return True
    if tag.get("role") in _FURNITURE_ROLES:
        return True
    classes = tag.get("class") or []
    marks = " ".join([*classes, tag.get("id", "")])
    if marks.strip() and FURNITURE_RE.search(marks):
        # Never a wrapper of the article itself.
        return tag.find(["h1", "article", "main"]) is None
    return False


def _content_root(soup: BeautifulSoup) -> Tag:
    main = soup.find("main") or soup.find(attrs={"role": "main"})
    if main:
        return main
    articles = soup.find_all("article")
    if len(articles) == 1:
        return articles[0]
    return soup.find("body") or soup


class _Walker:
    """Walks the HTML tree and collects headings, rich text and quotes."""

    def __init__(self, skip: Tag | None):
        self.items: list[_Item] = []
        self.pending: list[str] = []
        self.skip = skip

    def walk(self, node: Tag) -> None:
        for child in list(node.children):
            if isinstance(child, NavigableString):
                self.pending.append(html.escape(str(child), quote=False))
            elif not isinstance(child, Tag):
                continue
            elif child is self.skip:
                self.flush()
            elif child.name in INLINE_TAGS and not child.find(_BLOCK_TAGS):
                self.pending.append(str(child))
            else:
                self.flush()
                self.block(child)

    def flush(self) -> None:
        source = "".join(self.pending)
        self.pending.clear()
        for piece in _PARAGRAPH_BREAK_RE.split(source):
            self.paragraph(piece)

    def block(self, tag: Tag) -> None:
        name = tag.name
        if name in _HEADING_LEVELS:
            text = _squash(tag.get_text(" "))
            if text and not is_boilerplate(text):
                self.items.append(_Heading(_HEADING_LEVELS[name], text))
        elif name == "p":
            for piece in _PARAGRAPH_BREAK_RE.split(tag.decode_contents()):
                self.paragraph(piece)
        elif name in {"ul", "ol"}:
            list_html = _list_html(tag)
            if list_html:
                text = _squash(BeautifulSoup(list_html, "html.parser").get_text(" "))
                self.items.append(_Rich(list_html, text, is_paragraph=False))
        elif name == "blockquote":
            self.quote(tag)
        elif name == "figure":
            quote = tag.find("blockquote")
            caption = tag.find("figcaption")
            if quote:
                self.quote(quote, caption=caption)
        elif name == "pre":
            for piece in re.split(r"\n\s*\n", tag.get_text()):
                lines = [html.escape(_squash(line)) for line in piece.split("\n")]
                self.paragraph("<br>".join(line for line in lines if line))
        elif name == "table":
            for row in tag.find_all("tr"):
                cells = [_squash(c.get_text(" ")) for c in row.find_all(["td", "th"])]
                self.paragraph(_escape(" \u2013 ".join(c for c in cells if c)))
        elif name == "hr":
            pass
        else:  # div, section, article, dl, custom elements…: containers
            self.walk(tag)
            self.flush()

    def paragraph(self, fragment: str) -> None:
        inline = _sanitise_inline(fragment)
        lines = inline.split("<br/>") if inline else []
        kept = [line for line in lines if not is_boilerplate(_text_of(line))]
        if not kept:
            return
        if len(kept) != len(lines):
            inline = _sanitise_inline("<br/>".join(kept))
        self.items.append(_Rich(f"<p>{inline}</p>", _text_of(inline), True))

    def quote(self, tag: Tag, caption: Tag | None = None) -> None:
        for attribution in tag.find_all(["cite", "footer", "figcaption"]):
            caption = caption or attribution
            attribution.extract()
        paragraphs = [_squash(p.get_text(" ")) for p in tag.find_all("p")] or [
            _squash(line) for line in tag.get_text("\n").split("\n")
        ]
        paragraphs = [p for p in paragraphs if p]
        credit = _squash(caption.get_text(" ")) if caption else ""
        if (
            not credit
            and len(paragraphs) > 1
            and re.match(f"[{_DASHES}]", paragraphs[-1])
        ):
            credit = paragraphs.pop()
        text = "\n\n".join(paragraphs).strip()
        text = re.sub(r"^[«“\"]\s*|\s*[»”\"]$", "", text).strip()
        if not text:
            return
        author, _, role = credit.lstrip(_DASHES + "~ ").partition(",")
        self.items.append(
            _Quote(
                text,
                truncate(author, PERSON_MAX),
                truncate(role, PERSON_MAX),
            )
        )


def _list_html(tag: Tag) -> str:
    """A <ul> or <ol> with its items' inline markup only; "" if nothing is left."""
    items: list[tuple[str, str]] = []
    for li in tag.find_all("li", recursive=False):
        nested = [sub.extract() for sub in li.find_all(["ul", "ol"], recursive=False)]
        contents = re.sub(r"</(?:p|div)\s*>", "<br>", li.decode_contents(), flags=re.I)
        inline = _sanitise_inline(contents)
        nested_html = "".join(_list_html(sub) for sub in nested)
        text = _text_of(inline)
        if nested_html or (text and not is_boilerplate(text)):
            items.append((inline + nested_html, text))
    if not items:
        return ""
    texts = [text for _, text in items]
    if (
        len(texts) >= 3
        and all(len(t) <= 30 for t in texts)
        and any(re.fullmatch(r"\W*(?:accueil|home)\W*", t, re.I) for t in texts)
    ):
        return ""  # a navigation menu
    name = tag.name
    return f"<{name}>{''.join(f'<li>{inline}</li>' for inline, _ in items)}</{name}>"


# Rich text: what `RICH_TEXT_FEATURES` allow, in Wagtail's storage format (bold is
# <b>, italic <i>, line breaks <br/>). Document links are not imported.
_NH3_TAGS = {"b", "strong", "i", "em", "a", "sup", "br"}
_RENAMES = {"strong": "b", "em": "i"}
_LINK_SCHEMES = {"http", "https", "mailto", "tel"}


def _keep_absolute_links(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        value = value.strip()
        if re.match(r"(?:https?://\w|mailto:\S|tel:\S)", value, re.I):
            return value
        return None
    return value


def _sanitise_inline(fragment: str) -> str:
    """Inline HTML down to b, i, sup, a[href] and br, whitespace squashed."""
    if not fragment.strip():
        return ""
    cleaned = nh3.clean(
        fragment,
        tags=_NH3_TAGS,
        clean_content_tags={"script", "style"},
        attributes={"a": {"href"}},
        attribute_filter=_keep_absolute_links,
        url_schemes=_LINK_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    soup = BeautifulSoup(cleaned, "html.parser")
    for tag in soup.find_all(True):
        tag.name = _RENAMES.get(tag.name, tag.name)
    for tag in reversed(soup.find_all(["a", "b", "i", "sup"])):
        empty = not tag.get_text().strip()
        unlinked = tag.name == "a" and not tag.get("href")
        nested = tag.name != "a" and tag.find_parent(tag.name) is not None
        if empty or unlinked or nested:
            tag.unwrap()
    for node in soup.find_all(string=True):
        squashed = re.sub(r"\s+", " ", str(node))
        if squashed != node:
            node.replace_with(squashed)
    result = str(soup)
    result = re.sub(r"\s*<br/>\s*", "<br/>", result)
    result = re.sub(r"^(?:\s|<br/>)+|(?:\s|<br/>)+$", "", result)
    return result


def _text_of(fragment: str) -> str:
    return _squash(html.unescape(re.sub(r"<[^>]+>", " ", fragment)))


# Assembling ---------------------------------------------------------------------------


def _assemble(items: list[_Item], *, title: str) -> ParsedDocument:
    items = list(items)
    if not title:
        title = _take_title(items)
    title = truncate(re.sub(r"^#{1,6}\s+", "", title), TITLE_MAX)
    if not title:
        raise ImportRefused(
            "aucun titre ni texte utilisable (rien ne reste après le nettoyage)."
        )
    folded = title.casefold()
    items = [
        item
        for item in items
        if not (isinstance(item, _Heading | _Rich) and item.text.casefold() == folded)
    ]

    lead = ""
    first = items[0] if items else None
    if isinstance(first, _Rich) and first.is_paragraph:
        lead = truncate(first.text, LEAD_MAX)
        if lead == first.text:
            items.pop(0)
    else:
        paragraph = next(
            (i for i in items if isinstance(i, _Rich) and i.is_paragraph), None
        )
        lead = truncate(paragraph.text, LEAD_MAX) if paragraph else ""
    lead = lead or truncate(title, LEAD_MAX)

    while items and isinstance(items[-1], _Heading):
        items.pop()  # a heading with nothing under it: "Sur le même sujet"…
    return ParsedDocument(title=title, lead=lead, blocks=_blocks(items))


def _take_title(items: list[_Item]) -> str:
    """The first meaningful line, taken out of the body when it is a short one."""
    if not items:
        return ""
    first = items[0]
    if isinstance(first, _Heading):
        items.pop(0)
        return first.text
    if isinstance(first, _Rich) and first.is_paragraph:
        lines = first.html.removeprefix("<p>").removesuffix("</p>").split("<br/>")
        line = _text_of(lines[0])
        if len(line) > TITLE_MAX:
            return truncate(line, 120)
        rest = "<br/>".join(lines[1:])
        if rest:
            items[0] = _Rich(f"<p>{rest}</p>", _text_of(rest), True)
        else:
            items.pop(0)
        return line
    text = first.text
    return truncate(text.split("\n")[0], 120)


def _blocks(items: list[_Item]) -> list[dict[str, Any]]:
    levels = [item.level for item in items if isinstance(item, _Heading)]
    shift = min(levels) - 2 if levels else 0  # the outline starts at h2
    blocks: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, _Heading):
            level = min(max(item.level - shift, 2), 4)
            blocks.append(
                {
                    "type": "heading",
                    "value": {
                        "text": truncate(item.text, HEADING_MAX),
                        "level": f"h{level}",
                    },
                }
            )
        elif isinstance(item, _Quote):
            blocks.append(
                {
                    "type": "quote",
                    "value": {
                        "quote": item.text,
                        "author": item.author,
                        "role": item.role,
                    },
                }
            )
        elif blocks and blocks[-1]["type"] == "paragraph":
            blocks[-1]["value"] += item.html  # one rich-text block per section
        else:
            blocks.append({"type": "paragraph", "value": item.html})
    return blocks


# --- Importing -----------------------------------------------------------------------


def resolve_themes(slugs: Iterable[str]) -> list[Theme]:
    """The themes of these slugs; `ValueError` naming any unknown one."""
    slugs = list(dict.fromkeys(slugs))
    themes = {theme.slug: theme for theme in Theme.objects.filter(slug__in=slugs)}
    unknown = [slug for slug in slugs if slug not in themes]
    if unknown:
        known = ", ".join(Theme.objects.values_list("slug", flat=True)) or "aucun"
        raise ValueError(
            f"Thème inconnu : {', '.join(unknown)}. Thèmes existants : {known}."
        )
    return [themes[slug] for slug in slugs]


def page_slug(path: Path, title: str = "") -> str:
    """The slug of the page a file becomes: its name, else its folder's, else title."""
    path = Path(path)
    stem = path.stem
    if slugify(stem) in GENERIC_STEMS:
        stem = path.absolute().parent.name or stem
    slug = slugify(stem)[:SLUG_MAX].strip("-")
    return slug or slugify(title)[:SLUG_MAX].strip("-")


def page_url(page: Page) -> str:
    """The page's full URL, or its path below the site root when no site serves it."""
    from retex.links import page_url as absolute_page_url

    url = absolute_page_url(page)
    if url:
        return url
    segments = page.url_path.strip("/").split("/")[1:]
    return "/" + "".join(f"{segment}/" for segment in segments)


def import_file(
    path: Path,
    *,
    index_page: KnowledgeIndexPage,
    kind: str = "article",
    themes: Sequence[Theme] = (),
    publish: bool = False,
    exclude_slugs: Container[str] = (),
) -> ImportResult:
    """Create, or update, the knowledge page of one file, in its own transaction.

    A new page stays a draft unless `publish`. On an update, `themes` (when given)
    replace the page's themes and a new revision is saved: published with
    `publish`, else left as a draft over the live version. `exclude_slugs` are the
    pages other files of the same import already took.
    """
    if kind not in KIND_MODELS:
        raise ValueError(f"Unknown kind {kind!r}: expected one of {list(KIND_MODELS)}.")
    path = Path(path)
    text = read_document(path)
    try:
        document = parse_document(text, fmt=detect_format(path, text))
    except ImportRefused as refusal:
        raise refusal.for_path(path) from None
    except RecursionError:
        raise ImportRefused("HTML trop profondément imbriqué.", path) from None
    slug = page_slug(path, document.title)
    if not slug:
        raise ImportRefused("impossible de tirer une adresse du nom du fichier.", path)
    if slug in exclude_slugs:
        raise ImportRefused(
            f"un autre fichier de cet import donne déjà la page « {slug} » : "
            "renommez l'un des deux.",
            path,
        )
    with transaction.atomic():
        return _save_page(
            path,
            document,
            slug=slug,
            index_page=index_page,
            model=KIND_MODELS[kind],
            themes=list(themes),
            publish=publish,
        )


def import_files(
    paths: Iterable[Path],
    *,
    index_page: KnowledgeIndexPage,
    kind: str = "article",
    themes: Sequence[Theme] = (),
    publish: bool = False,
) -> Iterator[tuple[Path, ImportResult | ImportRefused]]:
    """Import each file in turn; a refused file does not stop the others."""
    taken: set[str] = set()
    for path in paths:
        try:
            result = import_file(
                path,
                index_page=index_page,
                kind=kind,
                themes=themes,
                publish=publish,
                exclude_slugs=taken,
            )
        except ImportRefused as refusal:
            yield Path(path), refusal
        else:
            taken.add(result.page.slug)
            yield Path(path), result


def _save_page(
    path: Path,
    document: ParsedDocument,
    *,
    slug: str,
    index_page: KnowledgeIndexPage,
    model: type[KnowledgePage],
    themes: list[Theme],
    publish: bool,
) -> ImportResult:
    existing = Page.objects.child_of(index_page).filter(slug=slug).first()
    if existing is None:
        page = model(
            title=document.title,
            slug=slug,
            lead=document.lead,
            body=document.blocks,
            live=False,
        )
        page.themes = themes
        index_page.add_child(instance=page)
        log(instance=page, action="wagtail.create", content_changed=True)
        created = True
    else:
        current = existing.specific
        if not isinstance(current, model):
            kind = next(
                (k for k, m in KIND_MODELS.items() if isinstance(current, m)), "?"
            )
            raise ImportRefused(
                f"la page {page_url(existing)} existe déjà comme "
                f"« {current._meta.verbose_name} » : importez ce fichier avec "
                f"--kind {kind}, ou renommez-le.",
                path,
            )
        page = current.get_latest_revision_as_object()
        if _is_up_to_date(page, document, themes, publish=publish):
            return ImportResult(page=current, created=False, url=page_url(current))
        page.title = page.draft_title = document.title
        page.lead = document.lead
        page.body = document.blocks
        if themes:
            page.themes = themes
        created = False

    _validate(page, path, publish=publish)
    revision = page.save_revision(log_action=True, clean=False)
    if publish:
        revision.publish()
    page = model.objects.get(pk=page.pk)
    return ImportResult(page=page, created=created, url=page_url(page))


def _is_up_to_date(
    page: KnowledgePage,
    document: ParsedDocument,
    themes: list[Theme],
    *,
    publish: bool,
) -> bool:
    """Whether the page already says what the file says (in the wanted state):
    importing the same files again then adds no revision."""
    body = [{"type": b["type"], "value": b["value"]} for b in page.body.raw_data]
    return (
        (page.title, page.lead, body)
        == (document.title, document.lead, document.blocks)
        and (not themes or set(page.themes.all()) == set(themes))
        and (not publish or (page.live and not page.has_unpublished_changes))
    )


def _validate(page: KnowledgePage, path: Path, *, publish: bool) -> None:
    try:
        page.full_clean()
    except ValidationError as error:
        problems = {
            field: messages
            for field, messages in error.message_dict.items()
            if publish or field in IMPORTED_FIELDS
        }
        if not problems:
            return
        details = "; ".join(
            f"{_field_label(page, field)} : {' '.join(messages)}"
            for field, messages in problems.items()
        )
        hint = (
            " Importez-la sans --publish puis complétez-la dans l'administration."
            if publish and not problems.keys() & IMPORTED_FIELDS
            else ""
        )
        raise ImportRefused(
            f"la page ne peut pas être enregistrée ({details}).{hint}", path
        ) from None


def _field_label(page: Page, field: str) -> str:
    if field == NON_FIELD_ERRORS:
        return "page"
    try:
        return str(page._meta.get_field(field).verbose_name)
    except LookupError:
        return field
