from django.urls import path

from following import views

app_name = "following"

urlpatterns = [
    path("", views.preferences, name="preferences"),
    path("suivre/", views.follow_toggle, name="toggle"),
    path("<int:follow_id>/retirer/", views.follow_remove, name="remove"),
]
