from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from aid.text import render_text

register = template.Library()


@register.filter
def aid_text(source: str):
    """A member's text (Markdown source) as safe HTML (`aid.text.render_text`)."""
    return render_text(source)


@register.simple_tag(takes_context=True)
def aid_author(context, person, collectivity):
    """Who wrote it: the person's name and function, their collectivity at the
    time (linked to its profile while it is live). Never their email address.
    A tag rather than an included template: a thread shows it for every
    answer, a listing for every question."""
    if person is None:
        who = _("Ancien membre")
    else:
        name = person.get_full_name()
        if name:
            who = format_html('<span class="aid-author__name">{}</span>', name)
            if person.function_title:
                who = format_html("{}, {}", who, person.function_title)
        elif person.function_title:
            who = person.function_title[:1].upper() + person.function_title[1:]
        else:
            who = _("Un membre du réseau")
    if collectivity is None:
        return format_html('<span class="aid-author">{}</span>', who)
    url = collectivity.live and collectivity.get_url(context.get("request"))
    where = (
        format_html('<a href="{}">{}</a>', url, collectivity.title)
        if url
        else collectivity.title
    )
    return format_html('<span class="aid-author">{} · {}</span>', who, where)
