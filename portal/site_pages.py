"""The site's own pages as ``setup_portal`` first creates them; editors own them afterwards.

Each page is a ``SitePage``: where it goes, its title, an introduction and a
body written as a few simple parts (``H`` a heading, ``P`` a paragraph, ``UL``
a list). The texts describe what Kindred does today, no more: where something
is not built yet (a download of your data, deleting your own account) they say
so and say what to do instead. The two texts members agree to come from
``core.consent`` (the page only frames them), so they are not repeated here.
"""

from dataclasses import dataclass, field

from django.utils.html import escape

from wagtail.rich_text import RichText

from core import consent

ABOUT = "about"
GUIDELINES = "guidelines"
PRIVACY = "privacy"
HEALTH_DATA = "health-data"
TERMS = "terms"
ACCESSIBILITY = "accessibility"
CONTACT = "contact"


def H(text):  # noqa: N802 - reads like the markup it stands for
    return ("heading", {"text": text, "level": "h2"})


def P(html):  # noqa: N802
    """A paragraph of our own trusted markup (links allowed)."""
    return ("paragraph", RichText(f"<p>{html}</p>"))


def UL(*items):  # noqa: N802
    return ("paragraph", RichText("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"))


@dataclass(frozen=True)
class SitePage:
    key: str
    slug: str
    title: str
    intro: str
    body: list = field(default_factory=list)
    # The setup key of the page this one sits under; None for the home page.
    parent: str | None = None
    consent_kind: str = ""

    @property
    def intro_html(self):
        return f"<p>{escape(self.intro)}</p>"


CONTACT_LINK = '<a href="/contact/">contact the team</a>'

SITE_PAGES = [
    SitePage(
        key=ABOUT,
        slug="about",
        title="About Kindred",
        intro=(
            "Kindred is a moderated community for people living with multiple sclerosis, "
            "the people who care for them, and the clinicians who treat them."
        ),
        body=[
            H("What you will find here"),
            P(
                "Members write blog posts and share experience stories, in their own words. "
                "Verified clinicians write expert articles. Anyone can read what is "
                "published; members can also rate it, discuss it and follow the people and "
                "topics they care about."
            ),
            H("How everything is reviewed"),
            P(
                "Nothing goes live until two people have read it. An editorial reviewer checks "
                "that it keeps to the "
                '<a href="/guidelines/">community guidelines</a> and protects other people\'s '
                "privacy. A medical reviewer then checks it for safety and, in expert "
                "articles, for medical accuracy. Each item says whether, and when, it was "
                "medically reviewed. A change to a published item is reviewed again."
            ),
            P(
                "A new member's first comments wait for a moderator, and anyone signed in can "
                "report a comment that breaks the guidelines."
            ),
            H("What Kindred is not"),
            P(
                "Kindred is not a medical service. What members share is their own experience, "
                "and expert articles explain what is generally known: none of it replaces "
                "advice from your own care team. In an emergency, call 999 (or your local "
                "emergency number)."
            ),
            H("No advertising, no tracking"),
            P(
                "Kindred shows no advertising and runs no third-party scripts or trackers. We "
                "never sell information about you. The "
                '<a href="/privacy/">privacy notice</a> says exactly what we keep and who can '
                "see it."
            ),
        ],
    ),
    SitePage(
        key=GUIDELINES,
        slug="guidelines",
        title=consent.CURRENT[consent.GUIDELINES].title,
        intro=(
            "Every member agrees to these guidelines when they join, and our reviewers apply "
            "them to everything before it is published."
        ),
        consent_kind=consent.GUIDELINES,
        body=[
            H("Questions about the guidelines"),
            P(
                "If something on Kindred seems to break these guidelines, use “Report” next "
                f"to the comment, or {CONTACT_LINK}. If a reviewer asked you to change "
                "something and you are not sure why, the reason is on your “My "
                "contributions” page; you can also write to us."
            ),
        ],
    ),
    SitePage(
        key=PRIVACY,
        slug="privacy",
        title="Privacy notice",
        intro=(
            "What Kindred keeps about you, who can see it, for how long, and how to get a copy "
            "of it or have it deleted."
        ),
        body=[
            H("Who is responsible"),
            P(
                "The team that runs this Kindred community decides how your information is "
                f"used (the “controller”). To reach us, {CONTACT_LINK}. Information about "
                "your health is special: we only process it with your explicit consent, as "
                '<a href="/privacy/health-data/">how we use your health information</a> '
                "explains."
            ),
            H("What we keep"),
            UL(
                "<b>Your account</b>: your username, email address, display name, when you "
                "joined and last signed in. Your password is stored only as a salted hash "
                "that nobody can read back.",
                "<b>Your profile</b>: your bio, the avatar you upload (we remove location and "
                "other hidden details from the picture), the conditions you follow, who may "
                "see your profile, and whether you appear in “People like me” suggestions.",
                "<b>What you write</b>: blog posts, experience stories and articles, including "
                "drafts and every earlier version, with the reviewers' decisions and comments "
                "on them.",
                "<b>Ratings and comments</b>: the stars you give, your comments, and the "
                "comments you report. We do not store your email address or internet address "
                "with a comment.",
                "<b>Follows</b>: the members and topics you follow, and the members you block "
                "or mute.",
                "<b>Notifications</b>: what we told you about (new followers, replies, review "
                "decisions, new items), whether you have read it, whether we emailed it, and "
                "your email choices.",
                "<b>Your consents</b>: which version of the community guidelines and of the "
                "health information notice you agreed to, when, and when you withdrew.",
                "<b>Searches</b>: the words people search for, counted per day, without who "
                "searched or from where. We use them to improve search.",
                "<b>Server logs</b>: like every website, our server records each request (the "
                "address asked for, the time, your internet address and browser). We use them "
                "to keep Kindred running and secure, for example to slow down password "
                "guessing.",
                "<b>Cookies</b>: one to keep you signed in, one that protects forms against "
                "forgery, one that recognises a browser you signed in with before (so other "
                "people's wrong passwords cannot lock you out; it holds no address) and, if "
                "this community accepts ratings from visitors, one that remembers a "
                "browser's vote. No analytics or advertising cookies.",
            ),
            H("Who can see what"),
            UL(
                "<b>Everyone</b>, signed in or not, sees what has been published: posts, "
                "stories and articles with the author's display name, comments that passed "
                "moderation, average ratings, and profiles set to “Everyone” (with the "
                "conditions on them).",
                "<b>Members</b> also see profiles set to “Members”. Lists of followers are "
                "shown unless the member hides them.",
                "<b>Only you</b> see your drafts, your email address, your consents, your "
                "notifications and who you block or mute. Nobody else ever sees your email "
                "address: your display name is the only name shown.",
                "<b>Anonymous stories</b>: readers never see who wrote a story published "
                "anonymously, not on the story, the profile, feeds or search. Our reviewers "
                "and administrators can, because they may need to contact the author about it.",
                "<b>Reviewers</b> (the editorial team and medical reviewers) read what you "
                "submit for review, with its earlier versions. They work for Kindred and are "
                "bound by confidentiality.",
                "<b>Administrators</b> can see everything listed above, to run the site, answer "
                "reports and handle your requests.",
                "We never sell your information or share it with advertisers, insurers, "
                "employers or drug companies. The companies that host Kindred and deliver its "
                "emails handle it only on our behalf.",
            ),
            H("How long we keep it"),
            UL(
                "Your account, profile, what you write, ratings, comments, follows, "
                "notifications and consents: for as long as you have an account.",
                "Earlier versions of what you write and the review history: for as long as the "
                "item exists.",
                "Search counts: 90 days.",
                "Server logs: no longer than 30 days.",
            ),
            H("Getting a copy, correcting and deleting"),
            P(
                "You can see and change your profile on your profile page, and your email "
                "address, password and consents on your account page. You can withdraw your "
                "consent to us processing your health information there at any time; before "
                "anything changes you are shown exactly what will be unpublished."
            ),
            P(
                "There is not yet a button to download everything we hold about you or to "
                f"delete your account yourself. Until there is, {CONTACT_LINK}: we will send "
                "you a copy of your information, or delete your account and remove or "
                "anonymise what you wrote, within one month, and tell you when it is done. "
                "Both are being built into the account page."
            ),
            P(
                "If you are unhappy with how we handle your information, please tell us first. "
                "You can also complain to the Information Commissioner's Office (ico.org.uk) "
                "or the data protection authority where you live."
            ),
            H("Changes to this notice"),
            P(
                "When this notice changes, the date at the bottom of the page changes with it. "
                "If a change affects what you agreed to, we ask you again."
            ),
        ],
    ),
    SitePage(
        key=HEALTH_DATA,
        slug="health-data",
        parent=PRIVACY,
        title=consent.CURRENT[consent.HEALTH_DATA].title,
        intro=(
            "Members give this consent when they join, and can withdraw it at any time on their "
            "account page."
        ),
        consent_kind=consent.HEALTH_DATA,
        body=[
            H("More about your information"),
            P(
                'The <a href="/privacy/">privacy notice</a> lists everything Kindred keeps, who '
                "can see it and for how long."
            ),
        ],
    ),
    SitePage(
        key=TERMS,
        slug="terms",
        title="Terms of use",
        intro="The agreement between you and Kindred when you read, join or write here.",
        body=[
            H("Reading Kindred"),
            P(
                "Anyone may read what is published. What members share is their own experience "
                "and expert articles explain what is generally known: nothing on Kindred is "
                "medical advice or replaces your own care team. In an emergency, call 999 (or "
                "your local emergency number)."
            ),
            H("Your account"),
            P(
                "One account per person. Keep your password to yourself, and choose a display "
                "name that does not pretend to be someone else. To join you accept the "
                '<a href="/guidelines/">community guidelines</a> and give your consent to us '
                "processing the health information you share."
            ),
            H("What you write"),
            P(
                "What you write stays yours. By submitting it you allow Kindred to publish it on "
                "this site, show it in listings, search and feeds, and keep it as the privacy "
                "notice describes. Our reviewers may ask you to change something before it is "
                "published, and may themselves correct the tone or remove details that could "
                "identify someone else; they never publish it without both reviews."
            ),
            P(
                "Only share what is yours to share: no one else's words, photos or health "
                "details without their agreement."
            ),
            H("Moderation"),
            P(
                "We may decline to publish something, unpublish it or remove a comment that "
                "breaks the guidelines, and we may close an account that keeps breaking them. "
                "When a reviewer asks you to change something, they say why."
            ),
            H("Leaving"),
            P(
                f"You can stop using Kindred at any time. To have your account deleted, "
                f"{CONTACT_LINK}."
            ),
            H("Changes to these terms"),
            P(
                "The date at the bottom of this page shows when these terms last changed. If a "
                "change affects what you agreed to, we ask you again."
            ),
        ],
    ),
    SitePage(
        key=ACCESSIBILITY,
        slug="accessibility",
        title="Accessibility statement",
        intro=(
            "Kindred should be usable by everyone, including people who use a screen reader, "
            "a keyboard, magnification or a small phone."
        ),
        body=[
            H("What we aim for"),
            P(
                "We aim to meet the Web Content Accessibility Guidelines (WCAG) 2.1 at level AA "
                "on every page of the public site and every member page."
            ),
            UL(
                "Every page works with a keyboard alone, and starts with a “Skip to content” link.",
                "The menu, search and forms work without JavaScript.",
                "Pages fit a 320 pixel wide phone without scrolling sideways, and text can be "
                "enlarged.",
                "Images in articles carry a description; forms have labels and say what went "
                "wrong.",
            ),
            H("How we check"),
            P(
                "Automated accessibility checks (axe-core) run in a real browser over the public "
                "and member pages whenever Kindred changes. Automated checks find only some "
                "problems, so we also rely on you telling us."
            ),
            H("Known limits"),
            P(
                "The content management area used by our reviewers is Wagtail's admin, which "
                "follows its own accessibility work. Content written by members may not always "
                "meet every guideline (for example, headings), though reviewers check for it."
            ),
            H("Tell us about a problem"),
            P(
                f"If something on Kindred is hard or impossible for you to use, {CONTACT_LINK} "
                "and say which page and what happened. We will reply and, where we can, send "
                "you the information in another format."
            ),
        ],
    ),
    SitePage(
        key=CONTACT,
        slug="contact",
        title="Contact",
        intro="How to reach the people who run Kindred.",
        body=[
            H("Write to us"),
            P(
                "Email the Kindred team at "
                '<a href="mailto:team@kindred.example">team@kindred.example</a>. A person reads '
                "every message. We cannot give medical advice: please ask your own care team, "
                "or call 999 (or your local emergency number) in an emergency."
            ),
            H("What we can help with"),
            UL(
                "A copy of the information we hold about you, or deleting your account (see "
                'the <a href="/privacy/">privacy notice</a>).',
                "A question about a review decision on something you wrote.",
                "Something on Kindred that breaks the guidelines (you can also use “Report” "
                "next to any comment).",
                "Anything that is hard to use (see the "
                '<a href="/accessibility/">accessibility statement</a>).',
            ),
        ],
    ),
]
