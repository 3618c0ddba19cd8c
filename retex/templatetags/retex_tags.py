from django import template

register = template.Library()


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(page):
    """The trail from the home page to `page`, for Wagtail pages."""
    ancestors = page.get_ancestors().filter(depth__gt=1).specific(defer=True)
    return {"ancestors": list(ancestors), "current": page}
