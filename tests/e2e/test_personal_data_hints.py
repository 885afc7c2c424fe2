"""Personal-data hints in a real browser (issue 15): a member types a phone number into a
post's body, is told under the field that it looks like personal data, removes it with one
click and the text says "[removed]" instead. On a phone nothing scrolls sideways, and no
script breaks the Content-Security-Policy.

Deterministic: every step waits for what the page shows (the hint, the new value), never
for a time; the script's own pause before checking is inside those waits.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.authoring.conftest import with_consent
from tests.e2e.site import site_login
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}


def sideways_scroll(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_member_removes_the_phone_number_they_typed(page, portal, viewport):
    member = with_consent(UserFactory(group="Members", display_name="RiverWalker"))
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Refused to" in message.text else None,
    )
    # Signed in at desktop width: on a phone the header's links are folded into its menu.
    page.set_viewport_size(DESKTOP)
    site_login(page, member.email)
    page.set_viewport_size(viewport)

    page.goto("/write/blog/")
    page.get_by_label("Title", exact=True).fill("Walking by the river")
    body = page.get_by_label("Body")
    body.fill("Mornings are best.\n\nRing me on 07700 900123 after six, RiverWalker.")

    hints = page.locator("#pd-hints-body")
    expect(hints).to_have_attribute("aria-live", "polite")
    expect(hints).to_contain_text("This looks like personal data:")
    expect(hints).to_contain_text("Phone number")
    expect(hints).to_contain_text("“07700 900123”")
    # The writer's own display name is theirs to use; the title has nothing to say.
    expect(hints).not_to_contain_text("RiverWalker")
    expect(page.locator("#pd-hints-title")).to_be_empty()
    assert sideways_scroll(page) == 0

    remove = hints.get_by_role("button", name="Remove phone number “07700 900123” from Body")
    remove.click()

    expect(body).to_have_value("Mornings are best.\n\nRing me on [removed] after six, RiverWalker.")
    expect(hints.get_by_role("button", name=re.compile("^Remove"))).to_have_count(0)
    # With nothing left to remove, the writer is back in their text.
    expect(body).to_be_focused()
    assert refused == []
