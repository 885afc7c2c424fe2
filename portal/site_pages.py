"""The site's own pages as ``setup_portal`` first creates them; editors own them afterwards.

Each page is a ``SitePage``: where it goes, its title, an introduction and a
body written as a few simple parts (``H`` a heading, ``P`` a paragraph, ``UL``
a list). The texts describe what Kindred does today, no more: where something
is not built yet (a download of your data, deleting your own account) they say
so and say what to do instead. The two texts members agree to come from
``core.consent`` (the page only frames them), so they are not repeated here.

Every text is marked for translation here and translated when it is read
(``title``, ``intro``, ``intro_html``, ``body``), like ``core.consent``'s: setup
builds the English page, then each other language's translation of it, under
``translation.override`` (issue 18). The markup inside a text (a link, bold)
is part of it, so a translation keeps the same links.
"""

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

from wagtail.rich_text import RichText

from core import consent

ABOUT = "about"
GUIDELINES = "guidelines"
PRIVACY = "privacy"
HEALTH_DATA = "health-data"
TERMS = "terms"
ACCESSIBILITY = "accessibility"
CONTACT = "contact"


@dataclass(frozen=True)
class Part:
    """One part of a page's body, in English: the block's kind and its text(s).

    Made into a StreamField block in the active language only when a page is
    built (``SitePage.body``): a block made at import would be English forever.
    """

    kind: str  # "heading", "paragraph" or "list"
    texts: tuple[str, ...]

    def block(self):
        """The StreamField block ``(type, value)``, translated into the active language."""
        texts = [gettext(text) for text in self.texts]
        if self.kind == "heading":
            return ("heading", {"text": texts[0], "level": "h2"})
        if self.kind == "list":
            return (
                "paragraph",
                RichText("<ul>" + "".join(f"<li>{t}</li>" for t in texts) + "</ul>"),
            )
        return ("paragraph", RichText(f"<p>{texts[0]}</p>"))


def H(text):  # noqa: N802 - reads like the markup it stands for
    return Part("heading", (text,))


def P(html):  # noqa: N802
    """A paragraph of our own trusted markup (links allowed)."""
    return Part("paragraph", (html,))


def UL(*items):  # noqa: N802
    return Part("list", items)


@dataclass(frozen=True)
class SitePage:
    key: str
    slug: str
    # The texts in English, marked for translation; the properties below give
    # them in the active language.
    source_title: str
    source_intro: str
    parts: tuple[Part, ...] = field(default_factory=tuple)
    # The setup key of the page this one sits under; None for the home page.
    parent: str | None = None
    consent_kind: str = ""

    @property
    def title(self):
        return gettext(self.source_title)

    @property
    def intro(self):
        return gettext(self.source_intro)

    @property
    def intro_html(self):
        return f"<p>{escape(self.intro)}</p>"

    @property
    def body(self):
        """The body's StreamField data in the active language (a new list each time)."""
        return [part.block() for part in self.parts]


SITE_PAGES = [
    SitePage(
        key=ABOUT,
        slug="about",
        source_title=_("About Kindred"),
        source_intro=(
            _(
                "Kindred is a moderated community for people living with multiple sclerosis, "
                "the people who care for them, and the clinicians who treat them."
            )
        ),
        parts=(
            H(_("What you will find here")),
            P(
                _(
                    "Members write blog posts and share experience stories, in their own words. "
                    "Verified clinicians write expert articles. Anyone can read what is "
                    "published; members can also rate it, discuss it and follow the people and "
                    "topics they care about."
                )
            ),
            H(_("How everything is reviewed")),
            P(
                _(
                    "Nothing goes live until two people have read it. An editorial reviewer checks "
                    "that it keeps to the "
                    '<a href="/guidelines/">community guidelines</a> and protects other people\'s '
                    "privacy. A medical reviewer then checks it for safety and, in expert "
                    "articles, for medical accuracy. Each item says whether, and when, it was "
                    "medically reviewed. A change to a published item is reviewed again."
                )
            ),
            P(
                _(
                    "A new member's first comments wait for a moderator, and anyone signed in can "
                    "report a comment that breaks the guidelines."
                )
            ),
            H(_("What Kindred is not")),
            P(
                _(
                    "Kindred is not a medical service. What members share is their own experience, "
                    "and expert articles explain what is generally known: none of it replaces "
                    "advice from your own care team. In an emergency, call 999 (or your local "
                    "emergency number)."
                )
            ),
            H(_("No advertising, no tracking")),
            P(
                _(
                    "Kindred shows no advertising and runs no third-party scripts or trackers. We "
                    "never sell information about you. The "
                    '<a href="/privacy/">privacy notice</a> says exactly what we keep and who can '
                    "see it."
                )
            ),
        ),
    ),
    SitePage(
        key=GUIDELINES,
        slug="guidelines",
        source_title=consent.CURRENT[consent.GUIDELINES].source_title,
        source_intro=(
            _(
                "Every member agrees to these guidelines when they join, and our reviewers apply "
                "them to everything before it is published."
            )
        ),
        consent_kind=consent.GUIDELINES,
        parts=(
            H(_("Questions about the guidelines")),
            P(
                _(
                    "If something on Kindred seems to break these guidelines, use “Report” next "
                    "to the comment, or "
                    '<a href="/contact/">contact the team</a>'
                    ". If a reviewer asked you to change "
                    "something and you are not sure why, the reason is on your “My "
                    "contributions” page; you can also write to us."
                )
            ),
        ),
    ),
    SitePage(
        key=PRIVACY,
        slug="privacy",
        source_title=_("Privacy notice"),
        source_intro=(
            _(
                "What Kindred keeps about you, who can see it, for how long, and how to get a copy "
                "of it or have it deleted."
            )
        ),
        parts=(
            H(_("Who is responsible")),
            P(
                _(
                    "The team that runs this Kindred community decides how your information is "
                    "used (the “controller”). To reach us, "
                    '<a href="/contact/">contact the team</a>'
                    ". Information about "
                    "your health is special: we only process it with your explicit consent, as "
                    '<a href="/privacy/health-data/">how we use your health information</a> '
                    "explains."
                )
            ),
            H(_("What we keep")),
            UL(
                _(
                    "<b>Your account</b>: your username, email address, display name, when you "
                    "joined and last signed in. Your password is stored only as a salted hash "
                    "that nobody can read back."
                ),
                _(
                    "<b>Your profile</b>: your bio, the avatar you upload (we remove location and "
                    "other hidden details from the picture), the conditions you follow, who may "
                    "see your profile, and whether you appear in “People like me” suggestions."
                ),
                _(
                    "<b>What you write</b>: blog posts, experience stories and articles, including "
                    "drafts and every earlier version, with the reviewers' decisions and comments "
                    "on them."
                ),
                _(
                    "<b>Ratings and comments</b>: the stars you give, your comments, and the "
                    "comments you report. We do not store your email address or internet address "
                    "with a comment."
                ),
                _(
                    "<b>Follows</b>: the members and topics you follow, and the members you block "
                    "or mute."
                ),
                _(
                    "<b>Notifications</b>: what we told you about (new followers, replies, review "
                    "decisions, new items), whether you have read it, whether we emailed it, and "
                    "your email choices."
                ),
                _(
                    "<b>Your consents</b>: which version of the community guidelines and of the "
                    "health information notice you agreed to, when, and when you withdrew."
                ),
                _(
                    "<b>Searches</b>: the words people search for, counted per day, without who "
                    "searched or from where. We use them to improve search."
                ),
                _(
                    "<b>Server logs</b>: like every website, our server records each request (the "
                    "address asked for, the time, your internet address and browser). We use them "
                    "to keep Kindred running and secure, for example to slow down password "
                    "guessing."
                ),
                _(
                    "<b>Cookies</b>: one to keep you signed in, one that protects forms against "
                    "forgery, one that recognises a browser you signed in with before (so other "
                    "people's wrong passwords cannot lock you out; it holds no address) and, if "
                    "this community accepts ratings from visitors, one that remembers a "
                    "browser's vote. No analytics or advertising cookies."
                ),
            ),
            H(_("Who can see what")),
            UL(
                _(
                    "<b>Everyone</b>, signed in or not, sees what has been published: posts, "
                    "stories and articles with the author's display name, comments that passed "
                    "moderation, average ratings, and profiles set to “Everyone” (with the "
                    "conditions on them)."
                ),
                _(
                    "<b>Members</b> also see profiles set to “Members”. Lists of followers are "
                    "shown unless the member hides them."
                ),
                _(
                    "<b>Only you</b> see your drafts, your email address, your consents, your "
                    "notifications and who you block or mute. Nobody else ever sees your email "
                    "address: your display name is the only name shown."
                ),
                _(
                    "<b>Anonymous stories</b>: readers never see who wrote a story published "
                    "anonymously, not on the story, the profile, feeds or search. Our reviewers "
                    "and administrators can, because they may need to contact the author about it."
                ),
                _(
                    "<b>Reviewers</b> (the editorial team and medical reviewers) read what you "
                    "submit for review, with its earlier versions. They work for Kindred and are "
                    "bound by confidentiality."
                ),
                _(
                    "<b>Administrators</b> can see everything listed above, to run the site, "
                    "answer reports and handle your requests."
                ),
                _(
                    "We never sell your information or share it with advertisers, insurers, "
                    "employers or drug companies. The companies that host Kindred and deliver its "
                    "emails handle it only on our behalf."
                ),
            ),
            H(_("How long we keep it")),
            UL(
                _(
                    "Your account, profile, what you write, ratings, comments, follows, "
                    "notifications and consents: for as long as you have an account."
                ),
                _(
                    "Earlier versions of what you write and the review history: for as long as the "
                    "item exists."
                ),
                _("Search counts: 90 days."),
                _("Server logs: no longer than 30 days."),
            ),
            H(_("Getting a copy, correcting and deleting")),
            P(
                _(
                    "You can see and change your profile on your profile page, and your email "
                    "address, password and consents on your account page. You can withdraw your "
                    "consent to us processing your health information there at any time; before "
                    "anything changes you are shown exactly what will be unpublished."
                )
            ),
            P(
                _(
                    "There is not yet a button to download everything we hold about you or to "
                    "delete your account yourself. Until there is, "
                    '<a href="/contact/">contact the team</a>'
                    ": we will send "
                    "you a copy of your information, or delete your account and remove or "
                    "anonymise what you wrote, within one month, and tell you when it is done. "
                    "Both are being built into the account page."
                )
            ),
            P(
                _(
                    "If you are unhappy with how we handle your information, please tell us first. "
                    "You can also complain to the Information Commissioner's Office (ico.org.uk) "
                    "or the data protection authority where you live."
                )
            ),
            H(_("Changes to this notice")),
            P(
                _(
                    "When this notice changes, the date at the bottom of the page changes with it. "
                    "If a change affects what you agreed to, we ask you again."
                )
            ),
        ),
    ),
    SitePage(
        key=HEALTH_DATA,
        slug="health-data",
        parent=PRIVACY,
        source_title=consent.CURRENT[consent.HEALTH_DATA].source_title,
        source_intro=(
            _(
                "Members give this consent when they join, and can withdraw it at any time on "
                "their account page."
            )
        ),
        consent_kind=consent.HEALTH_DATA,
        parts=(
            H(_("More about your information")),
            P(
                _(
                    'The <a href="/privacy/">privacy notice</a> lists everything Kindred keeps, '
                    "who can see it and for how long."
                )
            ),
        ),
    ),
    SitePage(
        key=TERMS,
        slug="terms",
        source_title=_("Terms of use"),
        source_intro=_("The agreement between you and Kindred when you read, join or write here."),
        parts=(
            H(_("Reading Kindred")),
            P(
                _(
                    "Anyone may read what is published. What members share is their own experience "
                    "and expert articles explain what is generally known: nothing on Kindred is "
                    "medical advice or replaces your own care team. In an emergency, call 999 (or "
                    "your local emergency number)."
                )
            ),
            H(_("Your account")),
            P(
                _(
                    "One account per person. Keep your password to yourself, and choose a display "
                    "name that does not pretend to be someone else. To join you accept the "
                    '<a href="/guidelines/">community guidelines</a> and give your consent to us '
                    "processing the health information you share."
                )
            ),
            H(_("What you write")),
            P(
                _(
                    "What you write stays yours. By submitting it you allow Kindred to publish it "
                    "on this site, show it in listings, search and feeds, and keep it as the "
                    "privacy notice describes. Our reviewers may ask you to change something "
                    "before it is published, and may themselves correct the tone or remove details "
                    "that could identify someone else; they never publish it without both reviews."
                )
            ),
            P(
                _(
                    "Only share what is yours to share: no one else's words, photos or health "
                    "details without their agreement."
                )
            ),
            H(_("Moderation")),
            P(
                _(
                    "We may decline to publish something, unpublish it or remove a comment that "
                    "breaks the guidelines, and we may close an account that keeps breaking them. "
                    "When a reviewer asks you to change something, they say why."
                )
            ),
            H(_("Leaving")),
            P(
                _(
                    "You can stop using Kindred at any time. To have your account deleted, "
                    ""
                    '<a href="/contact/">contact the team</a>'
                    "."
                )
            ),
            H(_("Changes to these terms")),
            P(
                _(
                    "The date at the bottom of this page shows when these terms last changed. If a "
                    "change affects what you agreed to, we ask you again."
                )
            ),
        ),
    ),
    SitePage(
        key=ACCESSIBILITY,
        slug="accessibility",
        source_title=_("Accessibility statement"),
        source_intro=(
            _(
                "Kindred should be usable by everyone, including people who use a screen reader, "
                "a keyboard, magnification or a small phone."
            )
        ),
        parts=(
            H(_("What we aim for")),
            P(
                _(
                    "We aim to meet the Web Content Accessibility Guidelines (WCAG) 2.1 at level "
                    "AA on every page of the public site and every member page."
                )
            ),
            UL(
                _(
                    "Every page works with a keyboard alone, and starts with a “Skip to content” "
                    "link."
                ),
                _("The menu, search and forms work without JavaScript."),
                _(
                    "Pages fit a 320 pixel wide phone without scrolling sideways, and text can be "
                    "enlarged."
                ),
                _(
                    "Images in articles carry a description; forms have labels and say what went "
                    "wrong."
                ),
            ),
            H(_("How we check")),
            P(
                _(
                    "Automated accessibility checks (axe-core) run in a real browser over the "
                    "public and member pages whenever Kindred changes. Automated checks find only "
                    "some problems, so we also rely on you telling us."
                )
            ),
            H(_("Known limits")),
            P(
                _(
                    "The content management area used by our reviewers is Wagtail's admin, which "
                    "follows its own accessibility work. Content written by members may not always "
                    "meet every guideline (for example, headings), though reviewers check for it."
                )
            ),
            H(_("Tell us about a problem")),
            P(
                _(
                    "If something on Kindred is hard or impossible for you to use, "
                    '<a href="/contact/">contact the team</a>'
                    " "
                    "and say which page and what happened. We will reply and, where we can, send "
                    "you the information in another format."
                )
            ),
        ),
    ),
    SitePage(
        key=CONTACT,
        slug="contact",
        source_title=_("Contact"),
        source_intro=_("How to reach the people who run Kindred."),
        parts=(
            H(_("Write to us")),
            P(
                _(
                    "Email the Kindred team at "
                    '<a href="mailto:team@kindred.example">team@kindred.example</a>. A person '
                    "reads every message. We cannot give medical advice: please ask your own care "
                    "team, or call 999 (or your local emergency number) in an emergency."
                )
            ),
            H(_("What we can help with")),
            UL(
                _(
                    "A copy of the information we hold about you, or deleting your account (see "
                    'the <a href="/privacy/">privacy notice</a>).'
                ),
                _("A question about a review decision on something you wrote."),
                _(
                    "Something on Kindred that breaks the guidelines (you can also use “Report” "
                    "next to any comment)."
                ),
                _(
                    "Anything that is hard to use (see the "
                    '<a href="/accessibility/">accessibility statement</a>).'
                ),
            ),
        ),
    ),
]
