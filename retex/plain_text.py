"""HTML (rich text, rendered Markdown) as the plain text a reader sees.

Django's `strip_tags` removes tags and nothing else: « …numériques</p><p>Karine
Dognin-Sauze… » becomes « numériquesKarine », a word nobody types, and entities
(`&amp;`, `&nbsp;`) stay as written. Every place that turns HTML into text for
the search index or a snippet uses `html_to_text` instead: one line per block
(paragraph, heading, list item, line break, table cell…), entities decoded,
scripts and styles dropped.

libxml2's HTML parser (through lxml, as `knowledge.extraction` does): linear
on malformed input, and it never fetches anything.
"""

import html
import re

from lxml import etree

BLOCK_TAGS = (
    *("address", "article", "aside", "blockquote", "br", "caption", "dd"),
    *("details", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer"),
    *("form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main"),
    *("nav", "ol", "p", "pre", "section", "summary", "table", "td", "th"),
    *("title", "tr", "ul"),
)
INVISIBLE_TAGS = ("script", "style", "noscript", "template")
_TAG = re.compile(r"<[a-zA-Z/!?]")
_SPACES = re.compile(r"[^\S\n]+")


def html_to_text(source: str) -> str:
    """The words of an HTML fragment, one line per block, entities decoded:
    "<p>numériques</p><p>Karine&nbsp;Dognin</p>" → "numériques\\nKarine Dognin"."""
    if not source:
        return ""
    if not _TAG.search(source):
        return _lines(html.unescape(source))
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = etree.fromstring(f"<div>{source}</div>", parser)
    except (etree.ParserError, ValueError):
        root = None
    if root is None:
        return _lines(html.unescape(re.sub(r"<[^>]*>", "\n", source)))
    etree.strip_elements(root, *INVISIBLE_TAGS, with_tail=False)
    for element in root.iter(*BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
        element.text = "\n" + (element.text or "")
    return _lines("".join(root.itertext()))


def _lines(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
