"""The texts members agree to, with their current versions.

This module is the single source for what a consent record refers to: the
sign-up checkboxes, the public pages at /guidelines/ and /privacy/health-data/
and ``accounts.selectors.has_current_consent`` all read ``CURRENT``. To change
a text, change its words here *and* bump its version: members who agreed to an
older version are then asked to agree again before they can rely on it.

Those two pages are Wagtail pages (``core.InformationPage``) whose
introduction and body editors change freely; the versioned words in between
always come from here, so what a page shows is what members agreed to. Editors
cannot change these words in the CMS: a change is a new version.

The texts live in core, not in accounts, because core's ``InformationPage``
shows them and core imports no Kindred app; ``accounts`` keeps the records of
who agreed to which version (``accounts.models.Consent``).
"""

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

GUIDELINES = "guidelines"
HEALTH_DATA = "health_data"


@dataclass(frozen=True)
class ConsentText:
    """One text a member can agree to.

    ``sections`` is a sequence of ``(heading, paragraphs)``; the texts are
    plain strings (escaped when rendered), never HTML, marked for translation
    and translated when read.
    """

    kind: str
    version: str
    # The words in English, as written here; ``title``, ``agreement`` and
    # ``sections`` give them in the active language (issue 18). A translation
    # says the same thing: a change of meaning is a new version.
    source_title: str
    # What the sign-up checkbox and the account page say the member agrees to.
    source_agreement: str
    url_name: str
    source_sections: tuple[tuple[str, tuple[str, ...]], ...]
    withdrawable: bool = False

    @property
    def title(self) -> str:
        return gettext(self.source_title)

    @property
    def agreement(self) -> str:
        return gettext(self.source_agreement)

    @property
    def sections(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple(
            (gettext(heading), tuple(gettext(paragraph) for paragraph in paragraphs))
            for heading, paragraphs in self.source_sections
        )


CURRENT = {
    GUIDELINES: ConsentText(
        kind=GUIDELINES,
        version="2026-11",
        source_title=gettext_noop("Community guidelines"),
        source_agreement=gettext_noop("I have read and accept the community guidelines."),
        url_name="accounts:guidelines",
        source_sections=(
            (
                gettext_noop("Why we have guidelines"),
                (
                    gettext_noop(
                        "Kindred is a place where people living with a long-term condition, and "
                        "the people who care for them, share what they have learnt. Everything "
                        "here is read by people who may be unwell, worried or tired. These "
                        "guidelines keep it a safe and kind place to be."
                    ),
                ),
            ),
            (
                gettext_noop("Be kind and respectful"),
                (
                    gettext_noop(
                        "Disagree with ideas, never with people. No insults, harassment, "
                        "discrimination or threats."
                    ),
                    gettext_noop(
                        "Everyone's experience is their own. Do not tell others that what they "
                        "feel is wrong."
                    ),
                ),
            ),
            (
                gettext_noop("Protect other people's privacy"),
                (
                    gettext_noop(
                        "Do not name or describe anyone who has not agreed to it: family, "
                        "friends, other patients, doctors, nurses, hospitals or wards."
                    ),
                    gettext_noop(
                        "Do not share anyone else's health information, messages or photos."
                    ),
                ),
            ),
            (
                gettext_noop("Share experience, not prescriptions"),
                (
                    gettext_noop(
                        "Say what worked or did not work for you. Do not tell others to start, "
                        "stop or change a treatment: that is a decision for them and their care "
                        "team."
                    ),
                    gettext_noop(
                        "Nothing on Kindred replaces advice from your own doctor or nurse. In an "
                        "emergency, call 999 (or your local emergency number)."
                    ),
                ),
            ),
            (
                gettext_noop("No advertising"),
                (
                    gettext_noop(
                        "Do not promote products, services, fundraising or other websites, and do "
                        "not post links for profit."
                    ),
                ),
            ),
            (
                gettext_noop("How moderation works"),
                (
                    gettext_noop(
                        "Everything you write is read by our editorial team and then by a medical "
                        "reviewer before it is published. They may ask you to change something, "
                        "and will tell you why. We may remove content or close accounts that "
                        "break these guidelines."
                    ),
                ),
            ),
        ),
    ),
    HEALTH_DATA: ConsentText(
        kind=HEALTH_DATA,
        version="2026-11",
        source_title=gettext_noop("How we use your health information"),
        source_agreement=gettext_noop(
            "I give my explicit consent to Kindred processing information about my health "
            "(and the health of anyone I care for) that I choose to share here, as described "
            "in the health information notice."
        ),
        url_name="accounts:health_data_policy",
        withdrawable=True,
        source_sections=(
            (
                gettext_noop("What we mean by health information"),
                (
                    gettext_noop(
                        "Anything you write or choose on Kindred that says something about your "
                        "health or the health of someone you care for: your posts and stories, "
                        "drafts, the conditions you follow on your profile, and your comments."
                    ),
                    gettext_noop(
                        "Health information is special category data under data protection law. "
                        "We only process it because you give us your explicit consent, and only "
                        "for the purposes below."
                    ),
                ),
            ),
            (
                gettext_noop("What we do with it"),
                (
                    gettext_noop("We store what you write so that you can come back to it."),
                    gettext_noop(
                        "When you submit something, our editorial team and then a medical "
                        "reviewer read it to check it is safe to publish. They work for Kindred "
                        "and are bound by confidentiality."
                    ),
                    gettext_noop(
                        "When both approve it, we publish it under your display name (or "
                        "anonymously, if you choose that for a story). Anyone can read published "
                        "content."
                    ),
                ),
            ),
            (
                gettext_noop("What we never do"),
                (
                    gettext_noop(
                        "We never sell your information, show you advertising, or share your "
                        "information with insurers, employers or drug companies."
                    ),
                    gettext_noop(
                        "We never show your email address to anyone. Your display name is the "
                        "only name other people see."
                    ),
                ),
            ),
            (
                gettext_noop("Withdrawing your consent"),
                (
                    gettext_noop(
                        "You can withdraw your consent at any time on your account page. Before "
                        "anything changes we show you exactly what will happen to each of your "
                        "items:"
                    ),
                    gettext_noop(
                        "Items waiting for review are withdrawn from review, so reviewers stop "
                        "reading them. Published items are unpublished and disappear from the "
                        "site. Drafts stay private, visible only to you."
                    ),
                    gettext_noop(
                        "While your consent is withdrawn you cannot submit anything new. You can "
                        "give your consent again at any time; nothing is republished "
                        "automatically, you choose what to submit again."
                    ),
                ),
            ),
        ),
    ),
}

KINDS = tuple(CURRENT)
WITHDRAWABLE = tuple(kind for kind, text in CURRENT.items() if text.withdrawable)
