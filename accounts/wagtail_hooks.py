"""What accounts adds to the other apps through Kindred's hooks."""

from wagtail import hooks
from wagtail.models import Page

from accounts.selectors import has_withdrawn_consent
from core import consent
from moderation.workflow import PUBLICATION_VETO


@hooks.register(PUBLICATION_VETO)
def withdrawn_consent_veto(page: Page) -> str | None:
    """Refuse to publish the page of an author who withdrew their health-data consent.

    Their withdrawal must win over an approval: an editor could still push the
    member's draft through the admin.
    """
    if has_withdrawn_consent(getattr(page, "author", None), consent.HEALTH_DATA):
        return "The author has withdrawn consent; this cannot be published."
    return None
