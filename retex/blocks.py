"""StreamField blocks shared by every page type that has a body.

Accessibility is built into the blocks rather than left to editors' care: a heading
block asks for its level so the page outline stays right, an image asks for its
alternative text unless the editor says it is decorative.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = [
    "bold",
    "italic",
    "link",
    "document-link",
    "ol",
    "ul",
    "superscript",
]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Texte"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Niveau"),
        choices=[
            ("h2", _("Titre de section (h2)")),
            ("h3", _("Sous-titre (h3)")),
            ("h4", _("Intertitre (h4)")),
        ],
        default="h2",
        help_text=_("Gardez un plan logique : un h3 suit un h2."),
    )

    class Meta:
        icon = "title"
        label = _("Intertitre")
        template = "retex/blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Citation"))
    author = blocks.CharBlock(label=_("Auteur"), required=False, max_length=200)
    role = blocks.CharBlock(label=_("Fonction"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Citation")
        template = "retex/blocks/quote.html"


class FigureBlock(blocks.StructBlock):
    """An image of a body: Wagtail's ImageBlock (the image, its text alternative
    or the "decorative" mark, required unless decorative), a caption and a credit.

    Stored as {"image": {"image": id, "alt_text": ..., "decorative": ...},
    "caption": ..., "credit": ...}; `value.image` is the Image, with
    `contextual_alt_text` ("" when decorative) and `decorative`.
    """

    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Légende"), required=False, max_length=300)
    credit = blocks.CharBlock(
        label=_("Crédit"),
        required=False,
        max_length=200,
        help_text=_("Auteur ou source de l'image, par exemple © Ville de Lannion."),
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "retex/blocks/image.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Intitulé du lien"),
        required=False,
        max_length=200,
        help_text=_("Par défaut, le titre du document."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Document à télécharger")
        template = "retex/blocks/document_link.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Type"),
        choices=[
            ("info", _("À savoir")),
            ("tip", _("Conseil")),
            ("warning", _("Attention")),
        ],
        default="info",
    )
    title = blocks.CharBlock(label=_("Titre"), required=False, max_length=200)
    text = blocks.RichTextBlock(label=_("Texte"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = _("Encadré")
        template = "retex/blocks/callout.html"


class LinkBlock(blocks.StructBlock):
    """A link to a page of the site or to an external address."""

    label = blocks.CharBlock(label=_("Intitulé"), max_length=100)
    page = blocks.PageChooserBlock(label=_("Page du site"), required=False)
    url = blocks.URLBlock(label=_("Adresse externe"), required=False)

    class Meta:
        icon = "link"
        label = _("Lien")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _("Choisissez soit une page du site, soit une adresse externe.")
                    )
                }
            )
        return value


class BodyBlock(blocks.StreamBlock):
    """The body of standard pages, articles, interviews and practices."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraphe"), features=RICH_TEXT_FEATURES, icon="pilcrow"
    )
    quote = QuoteBlock()
    image = FigureBlock()
    document = DocumentLinkBlock()
    callout = CalloutBlock()

    class Meta:
        label = _("Contenu")
