"""Articles before collectivity names, in templates (`territories.text.with_article`).

`{% load french_articles %}`: `{{ collectivity.title|with_de }}` → « de la Ville de
Lyon », `{{ collectivity.title|with_a }}` → « à la Communauté d'agglomération… ».
"""

from django import template

from territories.text import with_article

register = template.Library()


@register.filter
def with_de(name) -> str:
    return with_article(name or "", "de") if name else ""


@register.filter
def with_a(name) -> str:
    return with_article(name or "", "à") if name else ""
