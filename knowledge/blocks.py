"""Blocks of knowledge pages: the common body plus questions and answers."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from retex.blocks import RICH_TEXT_FEATURES, BodyBlock


class QuestionAnswerBlock(blocks.StructBlock):
    question = blocks.TextBlock(label=_("Question"))
    answer = blocks.RichTextBlock(label=_("Réponse"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Question / réponse")
        template = "knowledge/blocks/question_answer.html"


class KnowledgeBodyBlock(BodyBlock):
    question_answer = QuestionAnswerBlock()

    class Meta:
        label = _("Contenu")
