from django import template

from retex.page_cache import personal_marker

register = template.Library()


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(page):
    """The trail from the home page to `page`, for Wagtail pages."""
    # Plain pages: the trail needs the title, depth and URL path, which every
    # page has; no query per page type for the specific classes.
    # Already read when the page was routed (`retex.serving`), else one query.
    ancestors = getattr(page, "_retex_ancestors", None)
    if ancestors is None:
        ancestors = list(page.get_ancestors().filter(depth__gt=1))
    return {"ancestors": ancestors, "current": page}


@register.simple_tag(takes_context=True)
def personal(context, template_name):
    """A part of the page that is the person's own (their registration…): included
    here, or a marker in its place while the shell that people who may see the
    same share is rendered (`retex.page_cache.serve_with_personal_parts`)."""
    marker = personal_marker(context.get("request"), template_name)
    if marker is not None:
        return marker  # Safe: format_html.
    template = context.template.engine.get_template(template_name)
    with context.push():
        return template.render(context)
