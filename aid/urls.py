"""`/entraide/`: the contract points (`/entraide/`, `poser/`, `<id>-<slug>/`,
`<id>-<slug>/repondre/`) and the actions on a question or an answer."""

from django.urls import path

from aid import views

app_name = "aid"

QUESTION = "<int:question_id>-<str:slug>/"

urlpatterns = [
    path("", views.question_list, name="list"),
    path("poser/", views.question_create, name="ask"),
    path(QUESTION, views.question_detail, name="question"),
    path(QUESTION + "repondre/", views.answer_create, name="answer"),
    path(QUESTION + "clore/", views.question_close, name="close"),
    path(QUESTION + "signaler/", views.question_report, name="report_question"),
    path("reponses/<int:answer_id>/utile/", views.answer_useful, name="useful"),
    path("reponses/<int:answer_id>/solution/", views.answer_solution, name="solution"),
    path("reponses/<int:answer_id>/modifier/", views.answer_edit, name="edit_answer"),
    path(
        "reponses/<int:answer_id>/signaler/",
        views.answer_report,
        name="report_answer",
    ),
]
