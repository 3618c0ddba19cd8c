"""Attendance certificates: download from "Mon espace", public verification.

Included from `project.urls` before Wagtail's pages.
"""

from django.urls import path

from events import certificate_views

urlpatterns = [
    path(
        "attestations/verifier/",
        certificate_views.certificate_verify,
        name="certificate_verify",
    ),
    path(
        "mon-espace/attestations/<int:registration_id>/attestation.pdf",
        certificate_views.certificate_download,
        name="certificate_download",
    ),
]
