from django.utils.translation import gettext_lazy as _


class AidError(Exception):
    """A request the rules refuse; its message is shown to the person (French)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


NOT_A_MEMBER = _(
    "L'entraide est réservée aux membres du réseau\u00a0: rattachez votre compte à "
    "votre collectivité adhérente depuis «\u00a0Mon espace\u00a0»."
)
NO_SUCH_QUESTION = _("Cette question n'existe pas ou n'est plus visible.")
NO_SUCH_ANSWER = _("Cette réponse n'existe pas ou n'est plus visible.")
