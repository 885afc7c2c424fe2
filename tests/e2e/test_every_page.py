"""Every public and member page, in a real Chromium: it fits a phone and passes axe-core.

The demo content is seeded (every content type, comments, ratings, follows,
notifications, drafts in every review state), then every public page is opened
as a visitor and every member page as a member (a reviewer opens the home page,
whose header carries their review queue link):

- at 320 and 360 px wide, nothing may be wider than the screen (the page
  never scrolls sideways, and no visible element pokes out of it);
- at 360 and 1280 px wide, axe-core (a pinned version, bundled by
  ``axe-playwright-python``) finds no violation of the WCAG 2.1 A and AA rules.

Failures are collected over all pages and reported together, so one run names
everything that is wrong.
"""

from dataclasses import dataclass
from datetime import UTC
from urllib.parse import quote

from django.core import signing
from django.urls import reverse

from wagtail.rich_text import RichText

import pytest
from axe_playwright_python.sync_playwright import Axe

from blogs.models import BlogPage, ExpertArticlePage
from compliance.models import DataExport
from compliance.services.exports import download_token, export_request
from core.models import CommunityPage, ContentPage
from discussion.models import PageComment
from experience_stories.models import ExperienceStoryPage
from portal.demo.seed import DEMO_PASSWORD, demo_seed
from questions.models import AcceptedAnswer, QuestionClaim, QuestionPage
from sharing.views import CONTINUE_SALT
from social.models import Profile, ProfileVisibility, TopicFollow
from tests.e2e.site import site_login
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.e2e

PHONE_WIDTHS = (320, 360)
AXE_WIDTHS = (360, 1280)
WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_21_A_AA},
    "resultTypes": ["violations"],
}

# Elements that stick out of the viewport while being visible; hidden ones
# (the folded menu, visually-hidden labels) do not count.
WIDER_THAN_SCREEN = """() => {
  const limit = document.documentElement.clientWidth + 1;
  const out = [];
  for (const element of document.body.querySelectorAll('*')) {
    if (!element.checkVisibility({visibilityProperty: true})) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right > limit) {
      out.push(`${element.tagName.toLowerCase()}${element.className ? '.' +
        String(element.className).trim().split(/\\s+/).join('.') : ''} ` +
        `(${Math.round(box.left)}..${Math.round(box.right)})`);
    }
  }
  return out.slice(0, 5);
}"""


@dataclass(frozen=True)
class Visit:
    """One page to open, as whom, and the text that proves it is the right page."""

    path: str
    expect_text: str = ""
    status: int = 200


def _item(model, **filters):
    return model.objects.live().filter(**filters).order_by("pk").first()


# What made pages wider than a phone before: a pasted address, one long word.
LONG_ADDRESS = (
    "https://www.example.org/research/multiple-sclerosis/" + "fatigue-" * 20 + "study.pdf"
)
LONG_WORD = "Supercalifragilistic" * 4


def _long_text_item(accounts):
    """A published post whose body holds a long link and a word longer than a phone is wide."""
    section = _item(BlogPage).get_parent()
    return BlogPageFactory(
        parent=section,
        author=accounts["member2"],
        title=f"Reading list {LONG_WORD}",
        body=[
            (
                "paragraph",
                RichText(
                    f'<p>The study: <a href="{LONG_ADDRESS}">{LONG_ADDRESS}</a> {LONG_WORD}</p>'
                ),
            )
        ],
    )


def _continue_visit(page, network):
    """Kindred's own last step of a share (sharing.views.share_continue), as the POST leaves it."""
    target = {
        "copy": f"https://kindred.example{page.url}?via=share",
        "mastodon": "https://mastodon.example/share?text=A%20title",
        "email": "mailto:?subject=A%20title&body=https%3A//kindred.example/",
    }[network]
    token = signing.dumps({"to": target, "network": network, "back": page.url}, salt=CONTINUE_SALT)
    return Visit(f"{reverse('sharing:continue')}?t={token}", "Back to the page")


def _public_pages(accounts):
    blog = _item(BlogPage)
    article = _item(ExpertArticlePage)
    story = _item(ExperienceStoryPage, is_anonymous=False)
    anonymous_story = _item(ExperienceStoryPage, is_anonymous=True)
    tag = blog.tags.first()
    public_profile = (
        Profile.objects.filter(visibility=ProfileVisibility.EVERYONE).order_by("pk").first()
    )
    visits = [
        Visit("/", "Top rated"),
        Visit(blog.url, blog.title),
        Visit(article.url, article.title),
        Visit(story.url, story.title),
        Visit(anonymous_story.url, anonymous_story.title),
        Visit(_long_text_item(accounts).url, LONG_ADDRESS),
        Visit(reverse("tag_listing", args=[tag.slug]), tag.name),
        Visit(reverse("search:results") + "?q=fatigue", "fatigue"),
        Visit(reverse("search:results") + "?q=zzqxv", "zzqxv"),
        # A misspelling nothing matches: on SQLite "fatige"'s German stem ("fatig") is a
        # prefix of the demo's German "Fatigue" items (issue 18), which are then found.
        Visit(reverse("search:results") + "?q=fatgue", "Did you mean"),
        Visit(reverse("account_login"), "Sign in"),
        Visit(reverse("account_signup"), "Join"),
        Visit(reverse("account_reset_password"), "password"),
        Visit(reverse("accounts:guidelines"), "guidelines"),
        Visit(reverse("accounts:health_data_policy"), "health"),
        Visit("/no-such-page/", "", status=404),
        # Ask an expert (issue 13): a public question with its accepted answer, filtered lists.
        Visit(
            _item(
                QuestionPage, pk=AcceptedAnswer.objects.order_by("pk").values("question_id")[:1]
            ).url
        ),
        Visit(_item(QuestionPage, is_anonymous=False).get_parent().url + "?status=accepted", ""),
        # Sharing (issue 14): a member's post that may be shared, the invitation a visitor
        # arriving by a shared link sees, a community page, the continue pages.
        Visit(_item(BlogPage, may_be_shared=True).url, "Share on Facebook"),
        Visit(article.url + "?via=share", "Someone shared this with you"),
        Visit(_item(CommunityPage, is_listed=True).url, "Share on"),
        *(_continue_visit(article, network) for network in ("copy", "mastodon", "email")),
        # Safety (issue 15): "Report a side effect" (from an item), and the help a search
        # for crisis words shows above its results.
        Visit(reverse("safety:report"), "Report a side effect"),
        Visit(f"{reverse('safety:report')}?item={blog.pk}", blog.title),
        Visit(reverse("search:results") + "?q=suicide", "You are not alone"),
    ]
    # A section's page by position (core.keyset), as its "Older" link reaches deep pages:
    # the items after the newest blog post, with "Newer" and "Newest" links.
    newest = ContentPage.objects.filter(
        pk__in=BlogPage.objects.live().values("pk"), listed_at__isnull=False
    ).order_by("-listed_at", "-pk")[0]
    key = f"{newest.listed_at.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%fZ},{newest.pk}"
    visits.append(Visit(f"{blog.get_parent().url}?after={quote(key)}", "Newest"))
    # The sections and the site's own pages (about, privacy...): the home page's children.
    home = blog.get_parent().get_parent()
    visits += [Visit(child.url, child.title) for child in home.get_children().live()]
    if public_profile is not None:
        visits += [
            Visit(public_profile.get_absolute_url(), public_profile.user.public_name),
            Visit(reverse("social:followers", args=[public_profile.handle]), "Followers"),
            Visit(reverse("social:following", args=[public_profile.handle]), ""),
        ]
    return visits


def _member_pages(member):
    draft = (
        ContentPage.objects.filter(author=member, live=False).order_by("pk").first()
        or ContentPage.objects.filter(author=member).order_by("pk").first()
    )
    other = Profile.objects.exclude(user=member).order_by("pk").first()
    topic = TopicFollow.objects.filter(follower=member).select_related("tag").first()
    own_comment = PageComment.objects.filter(user=member, is_public=True).order_by("pk").first()
    others_comment = (
        PageComment.objects.filter(is_public=True, is_removed=False)
        .exclude(user=member)
        .order_by("pk")
        .first()
    )
    visits = [
        Visit(reverse("social:feed"), ""),
        Visit(reverse("authoring:write"), "Write"),
        Visit(reverse("authoring:write_new", args=["story"]), ""),
        Visit(reverse("authoring:write_new", args=["blog"]), ""),
        Visit(reverse("questions:ask"), ""),
        Visit(reverse("authoring:contributions"), "contributions"),
        Visit(reverse("social:profile_edit"), "Profile"),
        Visit(reverse("accounts:account"), "Account"),
        Visit(reverse("notifications:list"), "Notifications"),
        Visit(reverse("notifications:settings"), ""),
        Visit(reverse("social:blocked_and_muted"), ""),
        Visit(reverse("social:people"), ""),
        Visit(reverse("accounts:welcome"), "Welcome"),
        Visit(reverse("accounts:welcome_visibility"), ""),
        Visit(reverse("accounts:welcome_start"), ""),
        Visit(reverse("accounts:health_data_withdraw"), ""),
        Visit(reverse("account_email"), ""),
        Visit(reverse("account_change_password"), ""),
        Visit(reverse("usersessions_list"), "Where you are signed in"),
        Visit(reverse("social:member_block", args=[other.handle]), "Block"),
        Visit(reverse("discussion:reply", args=[others_comment.pk]), ""),
        Visit(reverse("discussion:report", args=[others_comment.pk]), "Report"),
        Visit(reverse("safety:report"), "Report a side effect"),
        # Issue 16: the data rights (the demo has staff openings of member1's data).
        Visit(reverse("audit:mine"), "Who saw your data"),
        Visit(reverse("compliance:erasure"), "Delete my account"),
        Visit(_export_link(member), "Download"),
        Visit(member.profile.get_absolute_url(), member.public_name),
        Visit(other.get_absolute_url(), other.user.public_name),
        *(Visit(item.url, item.title) for item in (_item(BlogPage), _item(ExperienceStoryPage))),
    ]
    if draft is not None:
        visits += [
            Visit(reverse("authoring:edit", args=[draft.pk]), ""),
            Visit(reverse("authoring:preview", args=[draft.pk]), draft.title),
        ]
    if own_comment is not None:
        visits.append(Visit(reverse("discussion:edit", args=[own_comment.pk]), ""))
    if topic is not None:
        visits.append(Visit(reverse("tag_listing", args=[topic.tag.slug]), topic.tag.name))
    return visits


def _export_link(member):
    """The page a "Download my data" email links to, for a copy built at once here."""
    requested = export_request(user=member)
    export = DataExport.objects.get(pk=requested.export.pk)
    return reverse("compliance:export_download", kwargs={"token": download_token(export)})


def _expert_pages():
    claimed = QuestionClaim.objects.filter(question__numchild=0).order_by("pk").first()
    return [
        Visit(reverse("questions:open"), ""),
        Visit(reverse("questions:open") + "?all=1", ""),
        Visit(reverse("questions:areas"), ""),
        Visit(reverse("questions:answer", args=[claimed.question_id]), claimed.question.title),
    ]


def _check(page, visits, who, problems):
    axe = Axe()
    for visit in visits:
        for width in sorted({*PHONE_WIDTHS, *AXE_WIDTHS}):
            page.set_viewport_size({"width": width, "height": 800})
            response = page.goto(visit.path)
            where = f"{who} {visit.path} at {width}px"
            if response is None or response.status != visit.status:
                problems.append(f"{where}: status {response and response.status}")
                break
            if visit.expect_text and visit.expect_text.lower() not in page.content().lower():
                problems.append(f"{where}: {visit.expect_text!r} not on the page")
            if width in PHONE_WIDTHS:
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                if scroll_width > width:
                    problems.append(f"{where}: scrolls sideways ({scroll_width}px wide)")
                wide = page.evaluate(WIDER_THAN_SCREEN)
                if wide:
                    problems.append(f"{where}: wider than the screen: {', '.join(wide)}")
            if width in AXE_WIDTHS:
                results = axe.run(page, options=AXE_OPTIONS)
                for violation in results.response["violations"]:
                    targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
                    problems.append(
                        f"{where}: axe {violation['impact']} {violation['id']}: "
                        f"{violation['help']} at {'; '.join(targets)}"
                    )


def test_every_page_fits_a_phone_and_passes_axe(new_page):
    accounts, _created = demo_seed()
    problems = []

    _check(new_page(), _public_pages(accounts), "visitor", problems)

    member_page = new_page()
    site_login(member_page, "member1", DEMO_PASSWORD)
    _check(member_page, _member_pages(accounts["member1"]), "member1", problems)

    expert_page = new_page()
    site_login(expert_page, "expert", DEMO_PASSWORD)
    _check(expert_page, _expert_pages(), "expert", problems)

    reviewer_page = new_page()
    site_login(reviewer_page, "editor", DEMO_PASSWORD)
    _check(reviewer_page, [Visit("/", "Top rated")], "editor", problems)

    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
