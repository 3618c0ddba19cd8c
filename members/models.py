"""People and member collectivities.

The user model is ours from the very first migration: its login is the email
address (élus and agents have no username), and swapping a user model later is
one of the few changes Django makes truly expensive.
"""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from members.territories import Region
from retex.blocks import RICH_TEXT_FEATURES
from retex.pagination import paginate
from retex.visibility import pages_visible_to


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("adresse électronique"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        # One account per mailbox, whatever the case people type it in.
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class MemberIndexPage(Page):
    """`/membres/`: the directory of member collectivities."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["retex.HomePage"]
    subpage_types = ["members.CollectivityPage"]
    max_count = 1

    class Meta:
        verbose_name = _("annuaire des membres")
        verbose_name_plural = _("annuaires des membres")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        pages = pages_visible_to(
            CollectivityPage.objects.child_of(self), user=request.user
        )
        context["items"] = paginate(request, pages.order_by("title"))
        return context


class CollectivityKind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    CC = "cc", _("Communauté de communes")
    CA = "ca", _("Communauté d'agglomération")
    CU = "cu", _("Communauté urbaine")
    METROPOLE = "metropole", _("Métropole")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")
    OTHER = "autre", _("Autre organisme public")


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Adhérente")
    PENDING = "pending", _("Adhésion en cours")
    LAPSED = "lapsed", _("Adhésion échue")


class CollectivityPage(Page):
    """A member collectivity's public profile (richer fields: members issue)."""

    kind = models.CharField(
        _("type de collectivité"), max_length=20, choices=CollectivityKind.choices
    )
    region = models.CharField(_("région"), max_length=2, choices=Region.choices)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    website = models.URLField(_("site internet"), blank=True)
    presentation = RichTextField(
        _("présentation"), blank=True, features=RICH_TEXT_FEATURES
    )
    membership_status = models.CharField(
        _("adhésion"),
        max_length=10,
        choices=MembershipStatus.choices,
        default=MembershipStatus.PENDING,
    )
    member_since = models.DateField(_("membre depuis"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("region"),
        FieldPanel("population"),
        FieldPanel("website"),
        FieldPanel("presentation"),
        FieldPanel("membership_status"),
        FieldPanel("member_since"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("presentation")]
    parent_page_types = ["members.MemberIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("collectivité")
        verbose_name_plural = _("collectivités")
