"""Rich text that members write in a plain textarea, and back.

Front-office forms (no JavaScript, no editor widget) take the little Markdown
members already write in the mutual-aid space: a blank line between
paragraphs, lists as lines starting with « - » (or « 1. »), links as
`[texte](https://…)`. It becomes Wagtail rich text holding paragraphs, line
breaks, lists and links only: any HTML typed is escaped before Markdown reads
it, and `nh3` keeps nothing else (bold, headings, images are dropped, their
words kept; links only to http(s) and mailto).

`member_text_from_rich_text` goes the other way, to fill the textarea again
when the person edits what they proposed (an editor's formatting beyond these
elements is reduced to its words; a link to a page of the site keeps its text).
"""

import html
import re

import markdown
import nh3
from lxml import etree

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "a"}
# Invisible control characters (a paste from a word processor): dropped, as no
# rich text (nor XML) may hold them. Tabs and line ends are kept.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


LINK_SCHEMES = {"http", "https", "mailto"}
_BLOCKS = {"p", "h2", "h3", "h4", "h5", "h6", "blockquote", "div"}


def markdown_to_safe_html(source: str, *, tags: set[str], link_rel: str | None) -> str:
    """The HTML of a member's little Markdown, down to `tags`: any HTML typed is
    escaped before Markdown reads it, then `nh3` keeps only `tags`, `href` on
    links, and links to http(s) and mailto (with `link_rel`, if any). Shared by
    the mutual-aid texts (`aid.text`) and the rich text below."""
    rendered = markdown.markdown(
        html.escape(source, quote=False), extensions=["sane_lists", "nl2br"]
    )
    return nh3.clean(
        rendered,
        tags=tags,
        clean_content_tags=set(),
        attributes={"a": {"href"}},
        url_schemes=LINK_SCHEMES,
        link_rel=link_rel,
        strip_comments=True,
    )


def rich_text_from_member_text(source: str) -> str:
    """Wagtail rich text (paragraphs, line breaks, lists, links) from what a
    member typed; "" for blank input."""
    if not source or not source.strip():
        return ""
    source = without_control_characters(source.replace("\r\n", "\n"))
    cleaned = markdown_to_safe_html(source, tags=ALLOWED_TAGS, link_rel=None)
    cleaned = re.sub(r"<br>\s*", "<br/>", cleaned)
    # A link whose address was refused keeps its words.
    cleaned = re.sub(r"<a>(.*?)</a>", r"\1", cleaned, flags=re.DOTALL)
    # Wagtail's rich text has no whitespace between blocks.
    return re.sub(r">\s+<(/?)(p|ul|ol|li)\b", r"><\1\2", cleaned).strip()


def _inline(element) -> str:
    """The text of an inline run, links written as Markdown."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            parts.append("\n" + (child.tail or "").lstrip("\n"))
            continue
        elif tag == "a" and child.get("href"):
            parts.append(f"[{_inline(child).strip()}]({child.get('href')})")
        else:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _list(element, ordered: bool) -> str:
    lines = []
    for number, item in enumerate(element.iterfind("li"), start=1):
        marker = f"{number}." if ordered else "-"
        text = " ".join(_inline(item).split())
        if text:
            lines.append(f"{marker} {text}")
    return "\n".join(lines)


def member_text_from_rich_text(value: str) -> str:
    """What the textarea shows of stored rich text (see the module's doc)."""
    if not value or not value.strip():
        return ""
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    root = etree.fromstring(f"<div>{value}</div>", parser)
    container = root.find(".//body/div")
    if container is None:
        return html.unescape(re.sub(r"<[^>]*>", "", value)).strip()
    blocks = []
    if container.text and container.text.strip():
        blocks.append(container.text.strip())
    for child in container:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in ("ul", "ol"):
            blocks.append(_list(child, ordered=tag == "ol"))
        elif tag in _BLOCKS:
            text = "\n".join(line.strip() for line in _inline(child).split("\n"))
            blocks.append(text.strip())
        else:
            blocks.append(_inline(child).strip())
        if child.tail and child.tail.strip():
            blocks.append(child.tail.strip())
    return "\n\n".join(block for block in blocks if block)
