from django.urls import path
from wagtail import hooks

from letter import admin_views


@hooks.register("register_admin_urls")
def letter_admin_urls():
    return [
        path("lettre/<int:page_id>/envoi/", admin_views.send, name="letter_admin_send"),
    ]
