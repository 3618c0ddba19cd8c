"""Moderation in the admin: « Entraide » with questions, answers and reports.

Editors (the `aid.change_*` permissions, given to "Éditeurs" and "Modérateurs"
by migration) see the reports, and hide or restore a question or an answer:
the edit form has that one field and saves through the rules
(`questions.question_set_hidden`, `answers.answer_set_hidden`), so a hidden
solution reopens its question as it would from anywhere else. Nobody adds
questions from the admin: members ask them on the site.
"""

from django import forms
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.views.generic import EditView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from aid.answers import answer_set_hidden
from aid.models import Answer, Question, Report
from aid.questions import question_set_hidden


class ModerationPolicy(ModelPermissionPolicy):
    """Nobody adds questions, answers or reports from the admin, superusers
    included: they are written on the site, through the rules."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


class ModerationViewSet(ModelViewSet):
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False


class HidingForm(forms.ModelForm):
    """« masquée » and, when hiding, the reason told to the author by email."""

    reason = forms.CharField(
        label=gettext_lazy("Motif (envoyé à l'auteur)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Obligatoire pour masquer : l'auteur le reçoit par courriel, avec "
            "la façon de contester."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        hiding = cleaned.get("hidden") and not self.instance.hidden
        if hiding and not cleaned.get("reason", "").strip():
            self.add_error(
                "reason",
                gettext_lazy("Dites pourquoi : l'auteur reçoit ce motif."),
            )
        return cleaned


def hiding_form(model):
    return forms.modelform_factory(model, form=HidingForm, fields=["hidden"])


class QuestionEditView(EditView):
    def save_instance(self):
        return question_set_hidden(
            question_id=self.object.pk,
            hidden=self.form.cleaned_data["hidden"],
            by=self.request.user,
            reason=self.form.cleaned_data.get("reason", ""),
        )


class AnswerEditView(EditView):
    def save_instance(self):
        return answer_set_hidden(
            answer_id=self.object.pk,
            hidden=self.form.cleaned_data["hidden"],
            by=self.request.user,
            reason=self.form.cleaned_data.get("reason", ""),
        )


class QuestionViewSet(ModerationViewSet):
    model = Question
    icon = "help"
    menu_label = gettext_lazy("Questions")
    list_display = ["title", "author", "collectivity", "status", "hidden", "created_at"]
    list_filter = ["status", "hidden"]
    search_fields = ["title", "details"]
    form_fields = ["hidden"]
    edit_view_class = QuestionEditView

    def get_form_class(self, for_update=False):
        return hiding_form(Question)

    inspect_view_fields = [
        "title",
        "details",
        "author",
        "collectivity",
        "status",
        "hidden",
        "created_at",
    ]


class AnswerViewSet(ModerationViewSet):
    model = Answer
    icon = "comment"
    menu_label = gettext_lazy("Réponses")
    list_display = ["question", "author", "collectivity", "is_solution", "hidden"]
    list_filter = ["hidden", "is_solution"]
    search_fields = ["body"]
    form_fields = ["hidden"]
    edit_view_class = AnswerEditView

    def get_form_class(self, for_update=False):
        return hiding_form(Answer)

    inspect_view_fields = [
        "question",
        "body",
        "author",
        "collectivity",
        "is_solution",
        "hidden",
        "created_at",
        "edited_at",
    ]


class ReportViewSet(ModerationViewSet):
    model = Report
    icon = "warning"
    menu_label = gettext_lazy("Signalements")
    list_display = ["__str__", "question", "answer", "reason", "created_at", "handled"]
    list_filter = ["handled"]
    search_fields = ["reason"]
    form_fields = ["handled"]
    # The reported words, and the link to hide or restore them.
    edit_template_name = "aid/admin/report_edit.html"
    inspect_view_fields = [
        "question",
        "answer",
        "reason",
        "reporter",
        "created_at",
        "handled",
    ]


class AidViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Entraide")
    menu_icon = "help"
    menu_order = 220
    items = (
        ReportViewSet("aid_reports", url_prefix="entraide/signalements"),
        QuestionViewSet("aid_questions", url_prefix="entraide/questions"),
        AnswerViewSet("aid_answers", url_prefix="entraide/reponses"),
    )


for _model in (Question, Answer, Report):
    register_permission_policy(_model, ModerationPolicy(_model))


@hooks.register("register_admin_viewset")
def register_aid_viewsets():
    return AidViewSetGroup()


@hooks.register("construct_homepage_panels")
def reports_dashboard_panel(request, panels):
    from aid.dashboard import reports_panel

    panel = reports_panel(request.user)
    if panel is not None:
        panels.append(panel)
