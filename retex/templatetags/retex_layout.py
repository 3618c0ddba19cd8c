"""Layout helpers of the public templates.

`{% filters_disclosure %}…{% end_filters_disclosure %}` wraps a listing's filters
in a disclosure (`<details>`): closed on phones, so the first result is on the
first screen; shown on wide screens (CSS `::details-content` without JavaScript,
`open` set by js/disclosure.js with it). Its summary says how many filters are
active, and it starts open when a filter is invalid, so the error is seen.
"""

from django import template
from django.template.loader import render_to_string

register = template.Library()


def active_filter_count(form) -> int:
    """How many of a bound filter form's fields hold a valid, non-empty value."""
    if form is None or not getattr(form, "is_bound", False):
        return 0
    form.is_valid()  # fills cleaned_data with the valid fields, even if some are not
    cleaned = getattr(form, "cleaned_data", {}) or {}
    return sum(1 for name in form.fields if cleaned.get(name) not in (None, "", [], ()))


def selected_facet_count(facets) -> int:
    """How many facet options of a search are selected."""
    if not facets:
        return 0
    return sum(
        1
        for options in facets.values()
        for option in options or ()
        if (
            option.get("selected")
            if isinstance(option, dict)
            else getattr(option, "selected", False)
        )
    )


class FiltersDisclosureNode(template.Node):
    def __init__(self, nodelist, options):
        self.nodelist = nodelist
        self.options = options

    def render(self, context):
        options = {name: value.resolve(context) for name, value in self.options.items()}
        form = options.get("form")
        count = options.get("count")
        if count is None and "facets" in options:
            count = selected_facet_count(options["facets"])
        if count is None:
            count = active_filter_count(form)
        has_errors = bool(
            form is not None and getattr(form, "is_bound", False) and form.errors
        )
        return render_to_string(
            "includes/filters_disclosure.html",
            {
                "content": self.nodelist.render(context),
                "count": count,
                "label": options.get("label"),
                "open": has_errors or bool(options.get("open")),
            },
        )


@register.tag
def filters_disclosure(parser, token):
    """`{% filters_disclosure form=filter_form label="Filtrer" %}…{% end_filters_disclosure %}`
    (or `facets=facets` for a search's facets, or `count=n`)."""
    bits = token.split_contents()[1:]
    options = {}
    for bit in bits:
        name, sep, value = bit.partition("=")
        if not sep:
            raise template.TemplateSyntaxError(
                "filters_disclosure takes name=value options"
            )
        options[name] = parser.compile_filter(value)
    nodelist = parser.parse(("end_filters_disclosure",))
    parser.delete_first_token()
    return FiltersDisclosureNode(nodelist, options)
