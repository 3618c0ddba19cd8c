"""What members write: a little Markdown, rendered to a few safe HTML tags.

Members write in a plain textarea (no JavaScript needed): paragraphs,
**gras**, *italique*, lists and links `[texte](https://…)`. Any HTML they type
is shown as typed (escaped before Markdown sees it), and the rendered HTML goes
through `nh3` (as `knowledge.importing` does) down to `ALLOWED_TAGS`, links
limited to http(s) and mailto with `rel="nofollow ugc noopener"`. The source
text is stored; the HTML is computed when shown, so a stricter rule applies to
everything already written. Each process keeps the HTML of the texts it showed
last (`render_text`: it depends on the text alone), so a thread read again does
not run Markdown and nh3 for every answer.
"""

import functools

from django.utils.safestring import SafeString, mark_safe

from retex.member_rich_text import markdown_to_safe_html
from retex.plain_text import html_to_text

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "code"}


@functools.lru_cache(maxsize=1024)
def render_text(source: str) -> SafeString:
    """The HTML of a question's details or an answer's body."""
    if not source or not source.strip():
        return mark_safe("")
    cleaned = markdown_to_safe_html(
        source, tags=ALLOWED_TAGS, link_rel="nofollow ugc noopener"
    )
    return mark_safe(cleaned)  # noqa: S308 (sanitised by nh3: markdown_to_safe_html)


def plain_text(source: str) -> str:
    """The words of `source`, for the search index and snippets."""
    # One line per paragraph or list item: words of two paragraphs never glue.
    return html_to_text(render_text(source))
