"""Under `/mon-espace/pratiques/` (`project/urls.py`): practice proposals."""

from django.urls import path

from knowledge import proposal_views

urlpatterns = [
    path(
        "proposer/",
        proposal_views.practice_propose_view,
        name="practice_propose",
    ),
    path(
        "<str:page_id>/modifier/",
        proposal_views.practice_proposal_edit,
        name="practice_proposal_edit",
    ),
]
