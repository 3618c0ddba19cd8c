from django.urls import path

from members import views

urlpatterns = [
    path("", views.my_space, name="my_space"),
    path("profil/", views.profile_edit, name="profile_edit"),
    path("rattachement/", views.affiliation_request_view, name="affiliation_request"),
    path("rattachement/quitter/", views.affiliation_leave, name="affiliation_leave"),
    path("rattachements/", views.affiliation_decisions, name="affiliation_decisions"),
    path(
        "rattachements/<str:affiliation_id>/<str:decision>/",
        views.affiliation_decide,
        name="affiliation_decide",
    ),
    path(
        "collectivite/<str:collectivity_id>/profil/",
        views.collectivity_profile_edit,
        name="collectivity_profile_edit",
    ),
    path("mes-donnees.json", views.personal_data_download, name="personal_data"),
    path("supprimer-mon-compte/", views.account_delete_view, name="account_delete"),
]
