"""/sitemap.xml and its sections: only what a visitor may open, each with its last change;
the protocol's structure, escaping, paging, flat queries, and the page cache.

A crawl reads the index, then every sitemap it names, as a visitor would."""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.contrib.auth.models import AnonymousUser

from taggit.models import Tag
from wagtail.models import PageViewRestriction

import pytest

from blogs.models import BlogPage
from core.models import Audience
from discovery import selectors
from discovery.sitemaps import page_size
from moderation.services import page_submit_for_review, review_request_changes
from questions.models import AnswerPage, QuestionPage
from social.models import Profile
from tests.factories import (
    AnswerPageFactory,
    BlogPageFactory,
    CommunityPageFactory,
    ExperienceStoryPageFactory,
    ExpertArticlePageFactory,
    ProfileFactory,
    QuestionPageFactory,
    UserFactory,
)
from tests.plans import only_postgresql, only_sqlite, postgresql_plan_unsorted, sqlite_plan

pytestmark = pytest.mark.django_db

BASE = "https://kindred.example"
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
W3C_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")


@pytest.fixture(autouse=True)
def _public_address(settings):
    """Addresses are built on the public address; a test reads them back as paths."""
    settings.KINDRED_BASE_URL = BASE


@dataclass
class Crawl:
    """Everything a crawler got: each address with its ``lastmod``, and every body read."""

    urls: dict[str, str] = field(default_factory=dict)
    sitemaps: dict[str, str] = field(default_factory=dict)
    bodies: list[str] = field(default_factory=list)

    @property
    def paths(self) -> set[str]:
        return {url.removeprefix(BASE) for url in self.urls}

    @property
    def text(self) -> str:
        return "\n".join(self.bodies)


def local(url: str) -> str:
    """An absolute address the sitemap gave, as the path the test client asks for."""
    assert url.startswith(BASE + "/"), url
    return url.removeprefix(BASE)


def parse(response, root_name: str) -> list[ET.Element]:
    """The XML of a sitemap response, checked against the protocol's structure: its root,
    its namespace, entries of ``<loc>`` then an optional ``<lastmod>``, nothing else."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    body = response.content.decode()
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(response.content)  # noqa: S314 - the site's own response
    assert root.tag == f"{{{NS}}}{root_name}"
    entry_name = "url" if root_name == "urlset" else "sitemap"
    entries = list(root)
    assert len(entries) <= 50000
    for entry in entries:
        assert entry.tag == f"{{{NS}}}{entry_name}"
        children = [child.tag for child in entry]
        assert children in ([f"{{{NS}}}loc"], [f"{{{NS}}}loc", f"{{{NS}}}lastmod"]), children
        assert len(entry.findtext(f"{{{NS}}}loc")) < 2048
    return entries


def page_of(section: str, pk: int) -> str:
    """The sitemap page of ``section`` whose window holds id ``pk``. Never assume page 1:
    ids grow through a PostgreSQL test run, whose sequences do not roll back."""
    return f"/sitemap-{section}.xml?p={pk // page_size() + 1}"


def crawl(client) -> Crawl:
    """Read /sitemap.xml and every sitemap it names, as a visitor."""
    found = Crawl()
    index = client.get("/sitemap.xml")
    found.bodies.append(index.content.decode())
    for entry in parse(index, "sitemapindex"):
        loc = entry.findtext(f"{{{NS}}}loc")
        found.sitemaps[loc] = entry.findtext(f"{{{NS}}}lastmod") or ""
        page = client.get(local(loc))
        found.bodies.append(page.content.decode())
        for url in parse(page, "urlset"):
            address = url.findtext(f"{{{NS}}}loc")
            assert address not in found.urls, f"{address} listed twice"
            found.urls[address] = url.findtext(f"{{{NS}}}lastmod") or ""
    return found


# --- What is listed -----------------------------------------------------------------------

MARKERS = {
    "draft": "draft-zq1",
    "in_review": "review-zq2",
    "rejected": "rejected-zq3",
    "unpublished": "unpublished-zq4",
    "members_only": "members-zq5",
    "community_only": "community-zq6",
    "view_restricted": "restricted-zq7",
    "unlisted_community": "unlisted-zq8",
    "hidden_tag": "hiddentagzq9",
    "newer_draft_slug": "newer-draft-zq10",
    "answer": "answer-zq11",
}


@pytest.fixture
def no_page_cache(settings):
    settings.KINDRED_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def world(blog_index, expert_index, story_index, question_index, community_index, expert, editor):
    """One public thing of each kind, and one hidden thing of each kind (``MARKERS``)."""
    community = CommunityPageFactory(parent=community_index, slug="listed-circle")
    public = {
        "blog": BlogPageFactory(parent=blog_index, slug="public-blog", tags=["publictag"]),
        "article": ExpertArticlePageFactory(
            parent=expert_index, author=expert, slug="public-article"
        ),
        "story": ExperienceStoryPageFactory(parent=story_index, slug="public-story"),
        "question": QuestionPageFactory(parent=question_index, slug="public-question"),
        "community": community,
    }
    hidden_words = {"tags": [MARKERS["hidden_tag"]]}
    BlogPageFactory(parent=blog_index, publish=False, slug=MARKERS["draft"], **hidden_words)
    in_review = ExpertArticlePageFactory(
        parent=expert_index, author=expert, publish=False, slug=MARKERS["in_review"]
    )
    page_submit_for_review(page=in_review, user=expert)
    rejected = ExpertArticlePageFactory(
        parent=expert_index, author=expert, publish=False, slug=MARKERS["rejected"]
    )
    page_submit_for_review(page=rejected, user=expert)
    review_request_changes(page=rejected, user=editor, comment="Please rework.")
    BlogPageFactory(parent=blog_index, slug=MARKERS["unpublished"], **hidden_words).unpublish()
    BlogPageFactory(
        parent=blog_index, slug=MARKERS["members_only"], audience=Audience.MEMBERS, **hidden_words
    )
    BlogPageFactory(
        parent=blog_index,
        slug=MARKERS["community_only"],
        audience=Audience.COMMUNITY,
        community=community,
        **hidden_words,
    )
    restricted = BlogPageFactory(parent=blog_index, slug=MARKERS["view_restricted"], **hidden_words)
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    CommunityPageFactory(
        parent=community_index, slug=MARKERS["unlisted_community"], is_listed=False
    )
    AnswerPageFactory(parent=public["question"], author=expert, slug=MARKERS["answer"])
    return public


def test_every_public_kind_is_listed_and_every_hidden_kind_is_not(client, no_page_cache, world):
    found = crawl(client)

    for page in world.values():
        assert page.url in found.paths, page.url
    assert "/tags/publictag/" in found.paths
    for sections_page in ("/", "/blogs/", "/communities/"):
        assert sections_page in found.paths
    for kind, marker in MARKERS.items():
        assert marker not in found.text, kind


def test_an_anonymous_item_is_listed_without_its_author(client, no_page_cache, story_index):
    author = UserFactory(display_name="Quentin Quietname")
    profile = ProfileFactory(user=author, visibility=Profile.Visibility.MEMBERS)
    story = ExperienceStoryPageFactory(
        parent=story_index, author=author, is_anonymous=True, slug="told-anonymously"
    )

    found = crawl(client)

    assert story.url in found.paths
    assert profile.handle not in found.text
    assert "quietname" not in found.text.lower()


def test_profiles_only_when_open_to_everyone(client, no_page_cache, portal):
    public = ProfileFactory(visibility=Profile.Visibility.EVERYONE)
    members = ProfileFactory(visibility=Profile.Visibility.MEMBERS)
    only_me = ProfileFactory(visibility=Profile.Visibility.ONLY_ME)
    deactivated = ProfileFactory(visibility=Profile.Visibility.EVERYONE)
    deactivated.user.is_active = False
    deactivated.user.save()

    found = crawl(client)

    assert public.get_absolute_url() in found.paths
    for hidden in (members, only_me, deactivated):
        assert hidden.handle not in found.text
    # What the sitemap lists, a visitor may open; the hidden ones answer 404.
    assert client.get(public.get_absolute_url()).status_code == 200
    assert client.get(deactivated.get_absolute_url()).status_code == 404


def test_tags_are_exactly_the_ones_a_visitor_may_see(client, no_page_cache, world):
    from core.selectors import readable_tags

    found = crawl(client)

    tag_paths = {path for path in found.paths if path.startswith("/tags/")}
    visible = {f"/tags/{tag.slug}/" for tag in readable_tags(user=AnonymousUser())}
    assert tag_paths == visible
    assert visible  # the comparison proves something only if some are visible


def test_the_site_pages_and_listed_communities_are_listed(client, no_page_cache, site_pages):
    found = crawl(client)

    for page in site_pages.values():
        assert page.url in found.paths, page.url
    for path in found.paths:
        assert client.get(path).status_code == 200, path


def test_every_listed_address_opens_for_a_visitor(client, no_page_cache, world):
    found = crawl(client)

    assert len(found.paths) > 8
    for path in found.paths:
        assert client.get(path).status_code == 200, path


# --- Last changes -------------------------------------------------------------------------


def test_every_address_and_sitemap_has_a_w3c_lastmod(client, no_page_cache, world):
    ProfileFactory(visibility=Profile.Visibility.EVERYONE)

    found = crawl(client)

    for lastmod in [*found.urls.values(), *found.sitemaps.values()]:
        assert W3C_DATETIME.fullmatch(lastmod), lastmod


def test_an_items_lastmod_is_its_last_publication_not_a_newer_draft(
    client, no_page_cache, blog_index, superuser
):
    item = BlogPageFactory(parent=blog_index, slug="edited-later")
    BlogPage.objects.filter(pk=item.pk).update(
        last_published_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    )
    item.refresh_from_db()
    # A draft saved later, with another address: neither its time nor its slug shows.
    item.slug = MARKERS["newer_draft_slug"]
    item.save_revision(user=superuser)

    found = crawl(client)

    assert found.urls[BASE + "/blogs/edited-later/"] == "2026-01-02T03:04:05+00:00"
    assert MARKERS["newer_draft_slug"] not in found.text


def test_a_questions_lastmod_follows_its_newest_public_answer(
    client, no_page_cache, question_index, expert
):
    question = QuestionPageFactory(parent=question_index, slug="answered-later")
    answer = AnswerPageFactory(parent=question, author=expert)
    withdrawn = AnswerPageFactory(parent=question, author=expert)
    withdrawn.unpublish()
    for page, year in ((question, 2027), (answer, 2029), (withdrawn, 2033)):
        QuestionPage.objects.filter(pk=page.pk).update(
            last_published_at=datetime(year, 1, 1, tzinfo=UTC)
        )
        AnswerPage.objects.filter(pk=page.pk).update(
            last_published_at=datetime(year, 1, 1, tzinfo=UTC)
        )

    found = crawl(client)

    # The public answer's publication, not the withdrawn one's: the page shows only the first.
    assert found.urls[BASE + question.url] == "2029-01-01T00:00:00+00:00"
    items_sitemap = next(loc for loc in found.sitemaps if "sitemap-items" in loc)
    assert found.sitemaps[items_sitemap] == "2029-01-01T00:00:00+00:00"


def test_a_sections_lastmod_follows_its_newest_item(client, no_page_cache, blog_index):
    item = BlogPageFactory(parent=blog_index)
    when = datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)
    BlogPage.objects.filter(pk=item.pk).update(last_published_at=when)

    found = crawl(client)

    assert found.urls[BASE + "/blogs/"] == "2031-05-06T07:08:09+00:00"
    assert found.urls[BASE + "/"] == "2031-05-06T07:08:09+00:00"
    assert found.urls[BASE + "/expert-articles/"] != "2031-05-06T07:08:09+00:00"


# --- Escaping -----------------------------------------------------------------------------


def test_addresses_and_titles_are_escaped(client, no_page_cache, settings, blog_index):
    settings.KINDRED_BASE_URL = BASE + "/x?a=1&b=<2>"
    item = BlogPageFactory(
        parent=blog_index,
        title='<script>alert("x")</script> & <b>co</b>',
        slug="xss-item",
        tags=['<script>alert("t")</script>&amp;'],
    )
    tag = Tag.objects.get()

    index = client.get("/sitemap.xml")
    items = client.get(page_of("items", item.pk))

    assert b"<script" not in index.content + items.content
    assert b"a=1&b" not in index.content + items.content  # an unescaped ampersand
    locs = [url.findtext(f"{{{NS}}}loc") for url in parse(items, "urlset")]
    assert BASE + "/x?a=1&b=<2>/blogs/xss-item/" in locs
    tags = client.get(page_of("tags", tag.pk))
    assert b"<script" not in tags.content
    assert [url.findtext(f"{{{NS}}}loc") for url in parse(tags, "urlset")] == [
        BASE + f"/x?a=1&b=<2>/tags/{tag.slug}/"
    ]
    sitemaps = [entry.findtext(f"{{{NS}}}loc") for entry in parse(index, "sitemapindex")]
    assert any(loc.startswith(BASE + "/x?a=1&b=<2>/sitemap-items.xml") for loc in sitemaps)


# --- Paging -------------------------------------------------------------------------------


def test_long_sections_are_paged_and_every_page_is_reached(
    client, no_page_cache, settings, blog_index
):
    settings.KINDRED_SITEMAP_PAGE_SIZE = 3
    items = [BlogPageFactory(parent=blog_index) for _ in range(7)]
    profiles = [ProfileFactory(visibility=Profile.Visibility.EVERYONE) for _ in range(4)]

    found = crawl(client)

    item_pages = [loc for loc in found.sitemaps if "/sitemap-items.xml" in loc]
    assert len(item_pages) >= 3
    # Pages are windows of ids: numbered by window, never linked when empty.
    assert all(re.search(r"/sitemap-items\.xml\?p=[1-9][0-9]*$", loc) for loc in item_pages[1:])
    assert len([loc for loc in found.sitemaps if "/sitemap-pages.xml" in loc]) >= 2
    assert {item.url for item in items} <= found.paths
    assert {profile.get_absolute_url() for profile in profiles} <= found.paths
    for loc in found.sitemaps:
        assert len(parse(client.get(local(loc)), "urlset")) <= 3


@pytest.mark.parametrize(
    "query",
    [
        "?p=0",
        "?p=-1",
        "?p=abc",
        "?p=",
        "?p=1.5",
        "?p=%201",
        "?p=%D9%A1",  # an Arabic-Indic one
        "?p=99999999999999999999999999",
        "?p=9999999",
        "?p=1%00",
    ],
)
def test_a_page_that_is_not_one_is_404(client, no_page_cache, blog_index, query):
    BlogPageFactory(parent=blog_index)

    for section in ("pages", "items", "tags", "members"):
        response = client.get(f"/sitemap-{section}.xml{query}")
        assert response.status_code == 404, (section, query)


def test_other_parameters_are_404_so_no_one_can_make_new_cache_entries(
    client, no_page_cache, blog_index
):
    page = page_of("items", BlogPageFactory(parent=blog_index).pk)

    assert client.get(page).status_code == 200
    for address in (
        "/sitemap.xml?x=1",
        "/sitemap.xml?p=1",
        "/sitemap-items.xml?x=1",
        f"{page}&x=2",
        f"{page}&{page.split('?')[1]}",
    ):
        assert client.get(address).status_code == 404, address


def test_an_unknown_section_is_404(client, no_page_cache, portal):
    assert client.get("/sitemap-secret.xml").status_code == 404
    assert client.get("/sitemap-.xml").status_code == 404


def test_only_get_and_head(client, no_page_cache, blog_index):
    BlogPageFactory(parent=blog_index)

    assert client.head("/sitemap.xml").status_code == 200
    assert client.post("/sitemap.xml").status_code == 405
    assert client.post("/sitemap-items.xml").status_code == 405


# --- Queries ------------------------------------------------------------------------------

CEILINGS = {"index": 12, "pages": 6, "items": 4, "tags": 4, "members": 3}


def _make(count, blog_index) -> dict[str, str]:
    """``count`` items, tags and public profiles; the address of a page of each section."""
    for n in range(count):
        item = BlogPageFactory(parent=blog_index, tags=[f"topic{n}", "shared"])
        profile = ProfileFactory(visibility=Profile.Visibility.EVERYONE)
    return {
        "index": "/sitemap.xml",
        "pages": "/sitemap-pages.xml",
        "items": page_of("items", item.pk),
        "tags": page_of("tags", Tag.objects.get(name="shared").pk),
        "members": page_of("members", profile.pk),
    }


@pytest.mark.parametrize("count", [2, 12])
@pytest.mark.parametrize("section", sorted(CEILINGS))
def test_queries_do_not_grow_with_the_items(
    client, no_page_cache, blog_index, django_assert_max_num_queries, count, section
):
    path = _make(count, blog_index)[section]
    client.get(path)  # content types and site roots are read once per process

    with django_assert_max_num_queries(CEILINGS[section]):
        response = client.get(path)

    assert response.status_code == 200
    assert response.content.count(b"<loc>") >= 1


# --- The page cache -----------------------------------------------------------------------


def test_stored_for_visitors_and_an_unpublish_reaches_the_next_one(client, blog_index):
    item = BlogPageFactory(parent=blog_index, slug="soon-withdrawn")
    first = client.get(page_of("items", item.pk))
    again = client.get(page_of("items", item.pk))
    assert b"/blogs/soon-withdrawn/" in first.content
    assert again["X-Kindred-Cache"] == "hit"

    item.unpublish()

    after = client.get(page_of("items", item.pk))
    assert after.status_code == 404  # nothing public left in that window
    assert client.get("/sitemap.xml").content.count(b"sitemap-items") == 0


def test_a_restriction_or_a_narrower_audience_reaches_the_stored_sitemap(client, blog_index):
    restricted = BlogPageFactory(parent=blog_index, slug="soon-restricted")
    narrowed = BlogPageFactory(parent=blog_index, slug="soon-for-members")
    public = BlogPageFactory(parent=blog_index, slug="stays-public")
    pages = {page_of("items", page.pk) for page in (restricted, narrowed, public)}
    assert b"soon-restricted" in b"".join(client.get(page).content for page in pages)
    assert {client.get(page)["X-Kindred-Cache"] for page in pages} == {"hit"}

    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    narrowed.audience = Audience.MEMBERS
    narrowed.save_revision().publish()

    after = b"".join(client.get(page).content for page in pages)
    assert b"soon-restricted" not in after
    assert b"soon-for-members" not in after
    assert b"stays-public" in after


def test_a_profile_made_private_leaves_the_stored_sitemap(client, portal):
    profile = ProfileFactory(visibility=Profile.Visibility.EVERYONE)
    other = ProfileFactory(visibility=Profile.Visibility.EVERYONE)
    assert profile.handle.encode() in client.get(page_of("members", profile.pk)).content
    assert client.get(page_of("members", profile.pk))["X-Kindred-Cache"] == "hit"

    profile.visibility = Profile.Visibility.MEMBERS
    profile.save()

    after = client.get(page_of("members", profile.pk))
    assert profile.handle.encode() not in after.content
    assert other.handle.encode() in client.get(page_of("members", other.pk)).content


def test_a_new_publication_reaches_the_stored_index(client, blog_index):
    assert b"sitemap-items" not in client.get("/sitemap.xml").content

    BlogPageFactory(parent=blog_index)

    assert b"sitemap-items" in client.get("/sitemap.xml").content


def test_a_signed_in_members_sitemap_is_never_stored(client, member, blog_index):
    public = BlogPageFactory(parent=blog_index, slug="for-everyone")
    hidden = BlogPageFactory(parent=blog_index, slug="members-see-this", audience=Audience.MEMBERS)
    client.force_login(member)

    response = client.get(page_of("items", public.pk))
    hidden_window = client.get(page_of("items", hidden.pk))

    # Built for a visitor whoever asks: a member gets no members-only item either.
    assert b"for-everyone" in response.content
    assert b"members-see-this" not in response.content + hidden_window.content
    assert response["X-Kindred-Cache"] != "hit"


# --- Plans: a sitemap page is a range of a primary key, whatever the site's size ----------


@only_sqlite
def test_a_window_is_a_primary_key_range_on_sqlite(blog_index):
    BlogPageFactory(parent=blog_index, tags=["fatigue"])

    items = sqlite_plan(selectors.items_in_window(window=2, size=5000))
    tags = sqlite_plan(selectors.public_tags().filter(id__gte=0, id__lt=5000).order_by("id"))

    assert "core_contentpage USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)" in items
    assert "taggit_tag USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)" in tags
    # Each tag's newest item from its own rows, newest first; nothing sorted.
    assert "content_tag_listed_idx (tag_id=?)" in tags
    assert "TEMP B-TREE" not in items + tags


@only_postgresql
def test_a_window_is_read_in_its_keys_order_on_postgresql(blog_index):
    BlogPageFactory(parent=blog_index)

    plan = postgresql_plan_unsorted(selectors.items_in_window(window=2, size=5000))

    # The content table's primary key (named ``portal_contentpage_pkey`` since issue 11).
    assert "Index Cond: ((page_ptr_id >= 10000) AND (page_ptr_id < 15000))" in plan
    assert "Sort" not in plan
