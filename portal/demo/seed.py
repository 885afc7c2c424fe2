"""Demo accounts and content, driven through the real review workflow.

Published demo items were submitted by their authors and approved by the
demo editor and medical reviewer, so the audit trail, the review emails and
the "medically reviewed by" lines are all real. Running it again adds only
what is missing.
"""

import io
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Locale, Page
from wagtail.rich_text import RichText

from allauth.account.models import EmailAddress
from PIL import Image as PILImage

from accounts.models import ConsentEvent
from accounts.services import consent_give
from blogs.models import BlogPage, ExpertArticlePage
from core import consent, roles
from core.models import Audience, Condition, ContentPage
from discussion.models import PageComment
from discussion.selectors import page_content_type
from experience_stories.models import ExperienceStoryPage
from moderation.services import (
    page_submit_for_review,
    review_approve,
    review_request_changes,
)
from portal.demo import bulk, community_content, content, content_de
from portal.demo.analytics import demo_analytics_seed
from portal.demo.communities import demo_communities_ensure, demo_memberships_ensure
from portal.demo.data_rights import demo_data_rights_seed
from portal.demo.history import backdate_review_history
from portal.demo.questions import demo_questions_seed
from portal.demo.safety import demo_safety_seed
from portal.demo.sharing import demo_sharing_seed
from portal.setup import portal_setup
from ratings.services import rating_upsert
from social.models import ProfileVisibility
from social.services import follow_create, profile_get_or_create, topic_follow_create

DEMO_PASSWORD = "kindred-demo-2026"  # noqa: S105 - printed for local demos only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: str
    group: str | None = None
    superuser: bool = False
    profile_visibility: str = ProfileVisibility.MEMBERS
    bio: str = ""
    # Issue 18: the account's interface and email language ("" follows the browser).
    language: str = ""


DEMO_ACCOUNTS = [
    DemoAccount("admin", "Kindred admin", "administrator", superuser=True),
    DemoAccount("editor", "Priya, editorial team", "editorial reviewer", roles.EDITORS),
    DemoAccount("medic", "Dr Jonas Berg", "medical reviewer", roles.MEDICAL_REVIEWERS),
    DemoAccount(
        "expert",
        "Dr Amara Okafor",
        "expert",
        roles.EXPERTS,
        profile_visibility=ProfileVisibility.EVERYONE,
        bio="Consultant neurologist at an MS specialist clinic.",
    ),
    DemoAccount(
        "member1",
        "WalkingWithMS",
        "member",
        roles.MEMBERS,
        profile_visibility=ProfileVisibility.EVERYONE,
        bio="Diagnosed in 2019. Walking, pacing, and learning as I go.",
    ),
    DemoAccount("member2", "Tom's dad", "member", roles.MEMBERS, bio="Dad, carer, tea drinker."),
    # Issue 12: someone with requests and an invitation waiting, and the
    # person who creates communities and appoints their moderators.
    DemoAccount("member3", "Ines", "member", roles.MEMBERS, bio="Living with progressive MS."),
    DemoAccount("manager", "Sam, community team", "community manager", roles.COMMUNITY_MANAGERS),
    # Issue 15: the Safety inbox's reader (adverse-event cases; only this group and admin).
    DemoAccount("safety", "Lena, pharmacovigilance", "pharmacovigilance", roles.PHARMACOVIGILANCE),
    # Issue 16: the data-protection officer (consent ledger, access log, audit trail).
    DemoAccount("privacy", "Priya, data protection", "data protection", roles.DATA_PROTECTION),
    # Issue 18: a German-speaking member; every page and email in German, on any browser.
    DemoAccount(
        "mitglied",
        "Katrin aus Köln",
        "member who reads Kindred in German",
        roles.MEMBERS,
        bio="Seit 2021 mit MS. Ich schreibe über Alltag, Arbeit und Fatigue.",
        language="de",
    ),
]

# Where each demo item ends up, counted from the end of its list so every
# type has one item in each state and the rest published.
PUBLISHED = "published"
AWAITING_EDITORIAL = "awaiting editorial review"
AWAITING_MEDICAL = "awaiting medical review"
CHANGES_REQUESTED = "changes requested"
DRAFT = "draft"
TRAILING_STATES = [AWAITING_EDITORIAL, AWAITING_MEDICAL, CHANGES_REQUESTED, DRAFT]

CHANGES_COMMENT = {
    BlogPage: "Lovely post. Please remove your neurologist's name: we never publish "
    "details of people who have not agreed to it.",
    ExpertArticlePage: "Please add a reference for the relapse-rate figure in the second "
    "paragraph before this goes to medical review again.",
    ExperienceStoryPage: "Thank you for sharing this. Please take out the name of the "
    "hospital ward so nobody else can be identified.",
}


def demo_accounts_ensure():
    """Create the demo accounts (one per role) if missing; returns them by username."""
    User = get_user_model()
    accounts = {}
    # One hash for every demo account: they share one published password, and
    # hashing it once per account (deliberately slow) was seconds of every seeding.
    password = make_password(DEMO_PASSWORD)
    for spec in DEMO_ACCOUNTS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(
                username=spec.username,
                email=f"{spec.username}@kindred.example",
                display_name=spec.display_name,
                is_superuser=spec.superuser,
                is_staff=spec.superuser,
                language=spec.language,
            )
            user.password = password
            user.save()
        if spec.group:
            user.groups.add(Group.objects.get(name=spec.group))
        # Sign-in (allauth, mandatory verification) needs a confirmed address.
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        # Demo writers agreed to both texts, as at sign-up, so they may write on the site.
        if spec.group in (roles.MEMBERS, roles.EXPERTS):
            for kind in consent.KINDS:
                consent_give(user=user, kind=kind, channel=ConsentEvent.Channel.SYSTEM)
        profile = profile_get_or_create(user=user)
        if not profile.bio and spec.bio:
            profile.bio, profile.visibility = spec.bio, spec.profile_visibility
            profile.save(update_fields=["bio", "visibility"])
        accounts[spec.username] = user
    return accounts


def _body(paragraphs, *, image=None, callout=None):
    blocks = [("paragraph", RichText(f"<p>{escape(text)}</p>")) for text in paragraphs]
    if image is not None:
        blocks.insert(
            1,
            (
                "image",
                {
                    "image": image,
                    "alt_text": "A tree-lined path in autumn light",
                    "caption": "Short walks, often, worked better than long ones.",
                },
            ),
        )
    if callout:
        blocks.append(("callout", {"tone": "info", "text": RichText(f"<p>{escape(callout)}</p>")}))
    return blocks


def _demo_image():
    """A small generated picture so the image block has something real to show."""
    Image = get_image_model()
    existing = Image.objects.filter(title="Autumn path (demo)").first()
    if existing is not None:
        return existing
    picture = PILImage.new("RGB", (800, 500))
    for y in range(500):
        for x in range(0, 800, 4):
            shade = (180 - y // 4 + x // 20, 120 + y // 8, 60 + x // 16)
            picture.paste(shade, (x, y, x + 4, y + 1))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return Image.objects.create(
        title="Autumn path (demo)",
        file=ImageFile(buffer, name="autumn-path.png"),
    )


EXPERT_CALLOUT = "Write down your questions about this and take them to your next MS review."


def _build_page(model, item, accounts, image, *, locale=None, callout=EXPERT_CALLOUT):
    """``item`` as an unsaved page of ``model``: in ``locale`` (its section's if None), an
    expert article ending with ``callout`` in the item's language."""
    page = model(
        title=item["title"],
        slug=slugify(item["title"])[:80],
        summary=item["summary"],
        author=accounts[item["author"]],
        owner=accounts[item["author"]],
        live=False,
        # Experts write to be read widely; members' items only where the author agreed.
        may_be_shared=item.get("may_be_shared", model is ExpertArticlePage),
    )
    if locale is not None:
        # Without it, add_child gives the page its section's locale (the default language).
        page.locale = locale
    if model is ExpertArticlePage:
        page.credentials = item["credentials"]
        page.references = [("reference", ref) for ref in item["references"]]
    else:
        # Every item ends with the "does not replace advice from your care team"
        # note (templates/core/content_page.html); an article's callout adds a next step.
        callout = None
    if model is ExperienceStoryPage:
        page.condition = Condition.objects.get(name=item["condition"])
        page.year_of_diagnosis = item["year_of_diagnosis"]
        page.is_anonymous = item["anonymous"]
    page.body = _body(item["paragraphs"], image=image, callout=callout)
    page.tags.add(*item["tags"])
    if model is ExperienceStoryPage:
        page.treatments.add(*item["treatments"])
    return page


def _drive_to_state(page, state, accounts):
    author = page.author
    if state == DRAFT:
        page.save_revision(user=author)
        return
    page_submit_for_review(page=page, user=author)
    if state == AWAITING_EDITORIAL:
        return
    if state == CHANGES_REQUESTED and type(page) is not ExpertArticlePage:
        review_request_changes(
            page=page, user=accounts["editor"], comment=CHANGES_COMMENT[type(page)]
        )
        return
    review_approve(page=page, user=accounts["editor"], comment="Reads well; on to medical.")
    if state == AWAITING_MEDICAL:
        return
    if state == CHANGES_REQUESTED:
        review_request_changes(
            page=page, user=accounts["medic"], comment=CHANGES_COMMENT[type(page)]
        )
        return
    review_approve(page=page, user=accounts["medic"])


def demo_content_seed(*, accounts, sections):
    """Create the demo items that are missing; returns how many were created per state."""
    for name in content.CONDITIONS:
        Condition.objects.get_or_create(name=name, defaults={"slug": slugify(name)})
    image = _demo_image()
    created = {}
    plan = [
        (BlogPage, sections[roles.BLOGS], content.BLOG_POSTS),
        (ExpertArticlePage, sections[roles.EXPERT_ARTICLES], content.EXPERT_ARTICLES),
        (ExperienceStoryPage, sections[roles.EXPERIENCES], content.STORIES),
    ]
    now = timezone.now()
    for model, section, items in plan:
        for position, item in enumerate(items):
            slug = slugify(item["title"])[:80]
            if Page.objects.child_of(section).filter(slug=slug).exists():
                continue
            from_end = len(items) - position
            state = TRAILING_STATES[from_end - 1] if from_end <= len(TRAILING_STATES) else PUBLISHED
            with transaction.atomic():
                page = _build_page(model, item, accounts, image if position == 0 else None)
                section.add_child(instance=page)
                _drive_to_state(page, state, accounts)
                if state == PUBLISHED:
                    # Spread publication over recent months so listings look lived-in.
                    when = now - timedelta(days=3 * (len(items) - position), hours=position)
                    backdate_review_history(page, published=when)
            created[state] = created.get(state, 0) + 1
    return created


def demo_german_content_seed(*, accounts, sections):
    """Publish the demo's German items that are missing; returns how many were created.

    Issue 18: a handful of items written in German (``content_de``) by the
    German-speaking member and the expert, each in the German locale, so the
    language filter, ``lang`` markup and German search have real items. All
    published through the review workflow like the English ones (the expert
    article medically reviewed), dated among them; found again by slug, so a
    second run adds nothing.
    """
    locale = Locale.objects.get_or_create(language_code=content_de.LANGUAGE)[0]
    plan = [
        (BlogPage, sections[roles.BLOGS], content_de.BLOG_POSTS),
        (ExpertArticlePage, sections[roles.EXPERT_ARTICLES], content_de.EXPERT_ARTICLES),
        (ExperienceStoryPage, sections[roles.EXPERIENCES], content_de.STORIES),
    ]
    now = timezone.now()
    created = 0
    for kind, (model, section, items) in enumerate(plan):
        for position, item in enumerate(items):
            if Page.objects.child_of(section).filter(slug=slugify(item["title"])[:80]).exists():
                continue
            with transaction.atomic():
                page = _build_page(
                    model, item, accounts, None, locale=locale, callout=content_de.EXPERT_CALLOUT
                )
                section.add_child(instance=page)
                _drive_to_state(page, PUBLISHED, accounts)
                when = now - timedelta(days=4 + 9 * position + 3 * kind, hours=2 + kind)
                backdate_review_history(page, published=when)
            created += 1
    return created


def synthetic_items_create(*, count, accounts, sections, seed=2026, progress=None, workers=0):
    """Publish ``count`` generated items spread over the three sections, for benchmarks.

    Written in bulk (portal.demo.bulk): the same rows publishing each one
    would leave, hundreds of items a second instead of forty.
    """
    specs = bulk.synthetic_item_specs(count=count, accounts=accounts, sections=sections, seed=seed)
    return bulk.synthetic_items_bulk_create(items=specs, progress=progress, workers=workers)


DEMO_COMMENTS = [
    ("member2", "Thank you for writing this. The bit about pacing made me cry a little."),
    ("member1", "Me too. It took me a year to stop feeling guilty about resting."),
    ("expert", "A good reminder: rest is a treatment, not a failure."),
]
HELD_COMMENT = "First time commenting here. This is exactly what we went through."


def _demo_comment(page, user, text, *, parent=None, visible=True):

    comment = PageComment(
        content_type=page_content_type(),
        object_pk=str(page.pk),
        site_id=1,
        user=user,
        user_name=user.public_name,
        comment=text,
        is_public=visible,
        awaiting_moderation=not visible,
        followup=True,
        parent_id=parent.pk if parent else 0,
    )
    comment.save()
    return comment


def demo_discussion_seed(*, accounts):
    """Ratings on every published demo item and a short thread on a few of them.

    Comments are saved directly (the pace limits are for people, not for
    seeding); one is left held for moderation so the queue has work in it.
    Does nothing if the demo items already have comments.
    """

    if PageComment.objects.exists():
        return
    raters = [accounts["member1"], accounts["member2"], accounts["expert"], accounts["editor"]]
    published = list(ContentPage.objects.live().filter(slug__in=_demo_slugs()).order_by("pk"))
    for number, page in enumerate(published):
        for offset, rater in enumerate(raters):
            if rater.pk != page.author_id and (number + offset) % 3:
                rating_upsert(page=page, user=rater, score=3 + (number + offset) % 3)
    for page in published[:: max(1, len(published) // 4)]:
        posters = [accounts[name] for name, _text in DEMO_COMMENTS]
        first = _demo_comment(page, posters[0], DEMO_COMMENTS[0][1])
        _demo_comment(page, posters[1], DEMO_COMMENTS[1][1], parent=first)
        _demo_comment(page, posters[2], DEMO_COMMENTS[2][1])
    if published:
        _demo_comment(published[0], accounts["member2"], HELD_COMMENT, visible=False)


DEMO_SUGGESTION_CONDITIONS = {
    "member1": ["Relapsing-remitting MS", "Newly diagnosed"],
    "member2": ["Relapsing-remitting MS", "Caring for someone with MS"],
}
DEMO_FOLLOWS = [("member2", "member1"), ("member2", "expert"), ("member1", "expert")]


def demo_social_seed(*, accounts):
    """Follows, a followed topic and the "people like me" opt-in for the demo members.

    member2 follows member1 and the expert; member1 follows the expert and the
    topic "fatigue" but not member2, so member1's /people/ suggests member2
    (both opted in, sharing a condition) and both have something on /feed/.
    Runs through the real services, so it is idempotent and the follows
    notify as they would on the site.
    """

    for username, names in DEMO_SUGGESTION_CONDITIONS.items():
        profile = profile_get_or_create(user=accounts[username])
        if not profile.show_in_suggestions:
            profile.show_in_suggestions = True
            profile.save(update_fields=["show_in_suggestions"])
        if not profile.conditions.exists():
            profile.conditions.set(Condition.objects.filter(name__in=names))
    for follower, followee in DEMO_FOLLOWS:
        follow_create(follower=accounts[follower], followee=accounts[followee])
    fatigue = Tag.objects.filter(slug="fatigue").first()
    if fatigue is not None:
        topic_follow_create(follower=accounts["member1"], tag=fatigue)


def _demo_slugs():
    items = content.BLOG_POSTS + content.EXPERT_ARTICLES + content.STORIES
    return [slugify(item["title"])[:80] for item in items]


AUDIENCE_KINDS = {
    community_content.BLOG: (BlogPage, roles.BLOGS),
    community_content.STORY: (ExperienceStoryPage, roles.EXPERIENCES),
    community_content.ARTICLE: (ExpertArticlePage, roles.EXPERT_ARTICLES),
}


def demo_audience_content_seed(*, accounts, sections, communities):
    """Members-only and community-only items in every review state; returns counts per state.

    Driven through the real workflow like the other demo items (the authors
    are active members of the communities they write in, so submitting and
    publishing take their membership as they would on the site).
    """
    created = {}
    now = timezone.now()
    for position, item in enumerate(community_content.AUDIENCE_ITEMS):
        model, section_key = AUDIENCE_KINDS[item["kind"]]
        section = sections[section_key]
        if Page.objects.child_of(section).filter(slug=slugify(item["title"])[:80]).exists():
            continue
        state = item["state"]
        with transaction.atomic():
            page = _build_page(model, item, accounts, None)
            if item["audience"] == community_content.MEMBERS:
                page.audience = Audience.MEMBERS
            else:
                page.audience = Audience.COMMUNITY
                page.community = communities[item["audience"]]
            section.add_child(instance=page)
            _drive_to_state(page, state, accounts)
            if state == PUBLISHED:
                when = now - timedelta(days=2 + 5 * position, hours=position)
                backdate_review_history(page, published=when)
        created[state] = created.get(state, 0) + 1
    return created


def demo_seed(*, items=0, progress=None, workers=0):
    """Set the portal up, then add demo accounts, demo content and ``items`` synthetic items."""
    _home, sections = portal_setup()
    accounts = demo_accounts_ensure()
    created = demo_content_seed(accounts=accounts, sections=sections)
    german = demo_german_content_seed(accounts=accounts, sections=sections)
    if german:
        created[PUBLISHED] = created.get(PUBLISHED, 0) + german
    communities = demo_communities_ensure(manager=accounts["manager"])
    demo_memberships_ensure(communities=communities, accounts=accounts)
    for state, count in demo_audience_content_seed(
        accounts=accounts, sections=sections, communities=communities
    ).items():
        created[state] = created.get(state, 0) + count
    for outcome, count in demo_questions_seed(
        accounts=accounts, sections=sections, communities=communities
    ).items():
        created[f"questions {outcome}"] = count
    demo_discussion_seed(accounts=accounts)
    demo_social_seed(accounts=accounts)
    demo_sharing_seed(manager=accounts["manager"], communities=communities)
    created.update(demo_safety_seed(accounts=accounts))
    created.update(demo_analytics_seed(communities=communities))
    created.update(demo_data_rights_seed(accounts=accounts))
    if items:
        synthetic_items_create(
            count=items, accounts=accounts, sections=sections, progress=progress, workers=workers
        )
    return accounts, created
