"""`{% responsive_image image "style" alt=... %}`: the one way to show an image.

    {% load retex_images %}
    {% responsive_image page.hero_image "hero" alt=page.hero_alt priority=True %}
    {% responsive_image person.portrait "portrait" %}          {# alt="" #}
    {% responsive_image item.logo "logo" sizes="4rem" css_class="card__logo" %}

See `retex/images.py` for the styles and the rules (formats, lazy loading, the
priority image, decorative images).
"""

from django import template

from retex.images import picture_html

register = template.Library()


@register.simple_tag
def responsive_image(image, style, alt="", sizes=None, priority=False, css_class=""):
    return picture_html(
        image, style, alt=alt, sizes=sizes, priority=priority, css_class=css_class
    )
