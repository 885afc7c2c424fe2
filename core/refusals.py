"""One way for a service to say no.

Every service that refuses an action (a rating, a comment, a contribution, a
follow) raises ``Refused`` or a subclass that names the reason. The message is
written for the person and safe to show them; the status is the HTTP answer a
view gives for it. Views catch ``Refused`` and answer through
``core.responses`` alike, as JSON or as a page. Messages are translated
(a default ``message`` is lazy: it is read in the language of the request).
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy


class Refused(Exception):
    """The action is not possible; ``message`` says why in words for the person.

    Subclasses set a default ``status`` (and may set a default ``message``);
    either can be given per refusal: ``Refused("Choose a rating.", status=400)``.
    """

    status: int = 400
    message: str | Promise = gettext_lazy("This is not possible.")

    def __init__(self, message: str | Promise | None = None, *, status: int | None = None) -> None:
        if message is not None:
            self.message = message
        if status is not None:
            self.status = status
        super().__init__(str(self.message))
