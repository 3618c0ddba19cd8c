"""`{% load agenda_filters %}{{ field|widget }}`: a filter form's field as
`{{ field }}` writes it, without Django's per-widget templates
(`events.agenda.widget_html`)."""

from django import template

from events.agenda import widget_html

register = template.Library()


@register.filter
def widget(bound_field):
    return widget_html(bound_field)
