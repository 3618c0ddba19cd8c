"""`/entraide/`: the contract points (`/entraide/`, `poser/`, `<id>-<slug>/`,
`<id>-<slug>/repondre/`), the suggestions fragment of the form, and the actions
on a question (close, report, consent, solicit, publish, draft a resource) or
an answer."""

from django.urls import path

from aid import views

app_name = "aid"

QUESTION = "<int:question_id>-<str:slug>/"

urlpatterns = [
    path("", views.question_list, name="list"),
    path("poser/", views.question_create, name="ask"),
    path("poser/suggestions/", views.question_suggestions, name="suggestions"),
    path(QUESTION, views.question_detail, name="question"),
    path(QUESTION + "repondre/", views.answer_create, name="answer"),
    path(QUESTION + "clore/", views.question_close, name="close"),
    path(QUESTION + "signaler/", views.question_report, name="report_question"),
    path(QUESTION + "reprise/", views.question_consent, name="question_consent"),
    path(QUESTION + "solliciter/", views.question_solicit, name="solicit"),
    path(QUESTION + "publication/", views.question_publication, name="publication"),
    path(QUESTION + "ressource/", views.question_draft, name="draft"),
    path("reponses/<int:answer_id>/utile/", views.answer_useful, name="useful"),
    path("reponses/<int:answer_id>/solution/", views.answer_solution, name="solution"),
    path("reponses/<int:answer_id>/modifier/", views.answer_edit, name="edit_answer"),
    path(
        "reponses/<int:answer_id>/reprise/", views.answer_consent, name="answer_consent"
    ),
    path(
        "reponses/<int:answer_id>/signaler/",
        views.answer_report,
        name="report_answer",
    ),
]
