"""Entraide: members ask the network a question, and the network answers.

Questions and answers are plain Django models, not Wagtail pages: members write
them from the site (no admin access), editors moderate them in the admin
(`wagtail_hooks.py`). The rules live in `questions.py` and `answers.py`.

Each question and answer keeps the author's collectivity *at the time of
writing*: a person who later moves to another collectivity does not move their
past words with them. Authors are kept as `SET_NULL`, so deleting an account
leaves the thread readable without the person (« ancien membre »).
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

TITLE_MAX = 200
TEXT_MAX = 10_000
REASON_MAX = 1_000


class QuestionStatus(models.TextChoices):
    OPEN = "ouverte", _("Ouverte")
    RESOLVED = "resolue", _("Résolue")
    CLOSED = "close", _("Close")


class Visibility(models.TextChoices):
    MEMBERS = "membres", _("Membres du réseau")
    # Published by an editor, only when everyone quoted agreed
    # (`publication.question_publish`).
    PUBLIC = "public", _("Tout le monde")


MAX_SOLICITATIONS = 3


class Question(models.Model):
    title = models.CharField(_("titre"), max_length=TITLE_MAX)
    details = models.TextField(
        _("précisions"),
        max_length=TEXT_MAX,
        help_text=_("Texte simple\u00a0: paragraphes, **gras**, listes, liens."),
    )
    themes = models.ManyToManyField(
        "retex.Theme", verbose_name=_("thèmes"), blank=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="aid_questions",
    )
    collectivity = models.ForeignKey(
        "members.CollectivityPage",
        verbose_name=_("collectivité"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=QuestionStatus.choices,
        default=QuestionStatus.OPEN,
    )
    visibility = models.CharField(
        _("visibilité"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    hidden = models.BooleanField(
        _("masquée"),
        default=False,
        help_text=_("Une question masquée disparaît pour les membres."),
    )
    consent = models.BooleanField(
        _("reprise acceptée"),
        default=False,
        help_text=_(
            "L'auteur accepte que sa question soit reprise dans une ressource "
            "ou publiée."
        ),
    )
    knowledge_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("ressource tirée de la question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("posée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    # The form's idempotency token: a double submit finds the question it posted.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Whether it has a visible answer: the listing shows the unanswered first,
    # walking an index instead of looking for the answers of every question.
    # Kept right by `aid.signals` whenever an answer is saved or deleted.
    answered = models.BooleanField(default=False, editable=False)
    # When the « collectivités qui l'ont déjà fait » were chosen and stored
    # (`SolicitationCandidate`, `solicitations.choose_candidates`); None: not
    # yet, the page chooses while rendered.
    candidates_chosen_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["hidden", "-created_at"]),
            models.Index(
                fields=["hidden", "answered", "-created_at", "-id"],
                name="aid_question_listing_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "aid:question", kwargs={"question_id": self.pk, "slug": self.slug}
        )

    @property
    def slug(self) -> str:
        return slugify(self.title)[:80] or "question"


class Answer(models.Model):
    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="aid_answers",
    )
    collectivity = models.ForeignKey(
        "members.CollectivityPage",
        verbose_name=_("collectivité"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("réponse"), max_length=TEXT_MAX)
    is_solution = models.BooleanField(_("solution"), default=False)
    consent = models.BooleanField(
        _("reprise acceptée"),
        default=False,
        help_text=_(
            "L'auteur accepte que sa réponse soit reprise dans une ressource "
            "ou publiée."
        ),
    )
    hidden = models.BooleanField(
        _("masquée"),
        default=False,
        help_text=_("Une réponse masquée disparaît pour les membres."),
    )
    created_at = models.DateTimeField(_("publiée le"), auto_now_add=True)
    edited_at = models.DateTimeField(_("modifiée le"), null=True, blank=True)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question"],
                condition=models.Q(is_solution=True),
                name="one_solution_per_question",
            )
        ]

    def __str__(self):
        return _("Réponse n° %(id)s à «\u00a0%(title)s\u00a0»") % {
            "id": self.pk,
            "title": self.question.title,
        }

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#reponse-{self.pk}"


class UsefulMark(models.Model):
    """A member found an answer useful: once per member and answer."""

    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="useful_marks"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mention «\u00a0utile\u00a0»")
        verbose_name_plural = _("mentions «\u00a0utile\u00a0»")
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "user"], name="one_useful_mark_per_member"
            )
        ]

    def __str__(self):
        return f"{self.user_id} → {self.answer_id}"


class Report(models.Model):
    """A member reports a question or an answer to the editors."""

    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    answer = models.ForeignKey(
        Answer,
        verbose_name=_("réponse"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    reason = models.TextField(_("motif"), max_length=REASON_MAX)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signalé par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True)
    handled = models.BooleanField(_("traité"), default=False)

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["handled", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(question__isnull=False, answer__isnull=True)
                | models.Q(question__isnull=True, answer__isnull=False),
                name="report_targets_one_thing",
            ),
            # A double submit, or the same person reporting again before the
            # editors looked: one report waiting per person and target.
            models.UniqueConstraint(
                fields=["reporter", "question"],
                condition=models.Q(handled=False, answer__isnull=True),
                name="one_waiting_report_per_question",
            ),
            models.UniqueConstraint(
                fields=["reporter", "answer"],
                condition=models.Q(handled=False, answer__isnull=False),
                name="one_waiting_report_per_answer",
            ),
        ]

    def __str__(self):
        return _("Signalement n° %(id)s") % {"id": self.pk}

    @property
    def target(self):
        return self.answer or self.question


class Solicitation(models.Model):
    """A collectivity that already did it, asked to answer a question: once per
    collectivity and question, `MAX_SOLICITATIONS` per question at most
    (`solicitations.solicit`)."""

    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="solicitations",
    )
    collectivity = models.ForeignKey(
        "members.CollectivityPage",
        verbose_name=_("collectivité"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sollicitée par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sollicitée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("sollicitation")
        verbose_name_plural = _("sollicitations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "collectivity"],
                name="one_solicitation_per_collectivity",
            )
        ]

    def __str__(self):
        return f"{self.collectivity_id} → {self.question_id}"


class SolicitationCandidate(models.Model):
    """A collectivity that may have done what a question asks, as chosen when
    the question was written (`solicitations.choose_candidates`): what shows it
    (the resources found for the title, its profile, its likeness to the
    asker's), stored for every reader alike and filtered by each reader's
    visibility when read (`solicitations.candidates_for`)."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="candidates"
    )
    collectivity = models.ForeignKey(
        "members.CollectivityPage", on_delete=models.CASCADE, related_name="+"
    )
    # [{"page": id, "weight": n, "title": str, "url": str}, ...]: the knowledge
    # pages naming it that the search engine found for the title.
    resources = models.JSONField(default=list, blank=True)
    profile_matches = models.BooleanField(default=False)
    comparable = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("collectivité à solliciter")
        verbose_name_plural = _("collectivités à solliciter")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "collectivity"],
                name="one_candidate_row_per_collectivity",
            )
        ]

    def __str__(self):
        return f"{self.collectivity_id} ? {self.question_id}"
