"""A letter's blocks as an email shows them: every link absolute on BASE_URL,
and a plain-text version of each block."""

import re
from html import unescape

from django import template
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html

from retex.links import absolute_url, page_url

register = template.Library()

H2 = '<h2 style="font-size:20px;margin:1.5em 0 .5em">{}</h2>'


def _absolute_links(html: str) -> str:
    return re.sub(
        r'(href|src)="(/[^"]*)"',
        lambda m: f'{m.group(1)}="{absolute_url(m.group(2))}"',
        html,
    )


def _pages(pages):
    return [p.specific for p in pages if p is not None and p.live]


@register.simple_tag
def letter_block_html(block):
    value = block.value
    if block.block_type == "text":
        # Editors' rich text, already sanitised by Wagtail's editor (as `|richtext`).
        return mark_safe(_absolute_links(expand_db_html(value.source)))  # noqa: S308
    if block.block_type in ("resources", "events"):
        items = _pages(
            value["pages"] if block.block_type == "resources" else value["events"]
        )
        lines = format_html_join(
            "",
            '<li style="margin-bottom:.5em"><a href="{}">{}</a></li>',
            ((page_url(p), p.title) for p in items),
        )
        return format_html(H2 + "<ul>{}</ul>", value["heading"], lines)
    if block.block_type == "member_news":
        collectivity = value.get("collectivity")
        who = (
            format_html(
                '<p><a href="{}">{}</a></p>', page_url(collectivity), collectivity.title
            )
            if collectivity is not None and collectivity.live
            else ""
        )
        return format_html(H2 + "{}<p>{}</p>", value["title"], who, value["text"])
    return ""


@register.simple_tag
def letter_block_text(block):
    value = block.value
    if block.block_type == "text":
        html = expand_db_html(value.source)
        html = re.sub(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', r"\2 (\1)", html)
        html = re.sub(r"</(p|h2|h3|li)>", "\n", html)
        return _absolute_text(unescape(strip_tags(html)).strip())
    if block.block_type in ("resources", "events"):
        items = _pages(
            value["pages"] if block.block_type == "resources" else value["events"]
        )
        lines = [value["heading"].upper()] + [
            f"- {p.title}\n  {page_url(p)}" for p in items
        ]
        return "\n".join(lines)
    if block.block_type == "member_news":
        lines = [value["title"].upper()]
        collectivity = value.get("collectivity")
        if collectivity is not None and collectivity.live:
            lines.append(f"{collectivity.title} : {page_url(collectivity)}")
        lines.append(value["text"])
        return "\n".join(lines)
    return ""


def _absolute_text(text: str) -> str:
    return re.sub(r"\((/[^)\s]*)\)", lambda m: f"({absolute_url(m.group(1))})", text)
