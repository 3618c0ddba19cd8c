from django import template

from aid.text import render_text

register = template.Library()


@register.filter
def aid_text(source: str):
    """A member's text (Markdown source) as safe HTML (`aid.text.render_text`)."""
    return render_text(source)
