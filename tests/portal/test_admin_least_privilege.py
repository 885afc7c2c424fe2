"""Each role sees in the Wagtail admin only what its work needs (issue 10, finding 2).

A unique word is planted in the title of a draft, an item at each review step,
a rejected item and a live item's newer draft, and in a tag used only on a
draft. Every admin address that could name a page (chooser and its search,
explorer and its API, bulk actions, tag autocomplete, reports, history) is
crawled as each role: a word may show only to the reviewer whose queue holds
its item. Experts and members get no admin at all.
"""

import importlib
import re
from datetime import date

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

import pytest

from core import roles
from core.models import Audience, CommunityIndexPage
from moderation.services import (
    page_submit_for_review,
    review_approve,
    review_request_changes,
)
from sharing.models import ShareCount
from tests.factories import BlogPageFactory, ExpertArticlePageFactory, UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory

pytestmark = pytest.mark.django_db

# Made-up words that appear nowhere else in Kindred.
DRAFT = "qzdraftvx"
EDITORIAL = "qzeditorialvx"
MEDICAL = "qzmedicalvx"
REJECTED = "qzrejectedvx"
NEWER = "qznewervx"
DRAFT_TAG = "qzdrafttagvx"
LIVE_TAG = "qzlivetagvx"
# Live, but not for everyone: a community's item and a members-only one (issue 12).
COMMUNITY_ITEM = "qzcommunityvx"
MEMBERS_ITEM = "qzmembersonlyvx"
COMMUNITY_TAG = "qzcommunitytagvx"
ALL_WORDS = {
    DRAFT,
    EDITORIAL,
    MEDICAL,
    REJECTED,
    NEWER,
    DRAFT_TAG,
    COMMUNITY_ITEM,
    MEMBERS_ITEM,
    COMMUNITY_TAG,
}

# What each role may see: the items waiting for its own decision, nothing else.
# Community managers decide about communities, not about members' items.
ALLOWED = {
    "editor": {EDITORIAL},
    "medic": {MEDICAL},
    "expert": set(),
    "member": set(),
    "manager": set(),
}

BULK_ACTIONS = ("delete", "move", "publish", "unpublish")


@pytest.fixture
def planted(blog_index, expert_index, editor, medic):
    """One item in each private state, with a planted word in its title (and tags)."""
    writer = UserFactory(group=roles.MEMBERS, display_name="Writer")
    other_expert = UserFactory(group=roles.EXPERTS, display_name="Dr Other")

    draft = BlogPageFactory(
        parent=blog_index, author=writer, publish=False, title=f"{DRAFT} diary", tags=[DRAFT_TAG]
    )

    editorial = BlogPageFactory(
        parent=blog_index, author=writer, publish=False, title=f"{EDITORIAL} waiting"
    )
    page_submit_for_review(page=editorial, user=writer)

    medical = ExpertArticlePageFactory(
        parent=expert_index, author=other_expert, publish=False, title=f"{MEDICAL} article"
    )
    page_submit_for_review(page=medical, user=other_expert)
    review_approve(page=medical, user=editor)

    rejected = BlogPageFactory(
        parent=blog_index, author=writer, publish=False, title=f"{REJECTED} returned"
    )
    page_submit_for_review(page=rejected, user=writer)
    review_request_changes(page=rejected, user=editor, comment="Please remove the name.")

    live = BlogPageFactory(parent=blog_index, author=writer, title="Pacing", tags=[LIVE_TAG])
    # An editor corrected it once (their dashboard lists their recent edits)...
    for reviewer in (editor, medic):
        live.save_revision(user=reviewer, log_action=True).publish()
    # ...and its author has since renamed it in a draft not yet sent for review.
    live.title = f"{NEWER} renamed"
    live.save_revision(user=writer, log_action=True)

    community = CommunityPageFactory(
        parent=CommunityIndexPage.objects.get(), title="Carers", is_listed=False
    )
    CommunityMembershipFactory(community=community, user=writer)
    community_item = BlogPageFactory(
        parent=blog_index,
        author=writer,
        title=f"{COMMUNITY_ITEM} for carers",
        tags=[COMMUNITY_TAG],
        audience=Audience.COMMUNITY,
        community=community,
    )
    members_item = BlogPageFactory(
        parent=blog_index, author=writer, title=f"{MEMBERS_ITEM} story", audience=Audience.MEMBERS
    )

    # Each was shared while it was public (issue 14): the share log keeps the counts.
    for page in (draft, editorial, medical, rejected, live, community_item, members_item):
        ShareCount.objects.create(page=page, network="x", day=date(2026, 11, 2), count=3)

    return {
        DRAFT: draft,
        EDITORIAL: editorial,
        MEDICAL: medical,
        REJECTED: rejected,
        NEWER: live,
        COMMUNITY_ITEM: community_item,
        MEMBERS_ITEM: members_item,
    }


def crawl_urls(pages, sections):
    """Every admin address that lists or names pages, for the planted items."""
    urls = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_choose_page"),
        reverse("wagtailadmin_choose_page") + "?page_type=blogs.blogpage",
        reverse("wagtailadmin_choose_page") + "?page_type=blogs.expertarticlepage",
        reverse("wagtailadmin_choose_page") + "?page_type=core.contentpage&user_perms=1",
        reverse("wagtailadmin_choose_page_search") + "?q=qz",
        reverse("wagtailadmin_choose_page_search") + "?q=renamed",
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_pages:search") + "?q=qz",
        reverse("wagtailadmin_tag_autocomplete") + "?term=qz",
        reverse("wagtailadmin_tag_model_autocomplete", args=("taggit", "tag")) + "?term=qz",
        "/admin/api/main/pages/?fields=title&limit=100",
        "/admin/api/main/pages/?search=qz",
        reverse("kindred_review:queue"),
        reverse("wagtailadmin_reports:page_types_usage"),
        reverse("wagtailadmin_reports:aging_pages"),
        reverse("wagtailadmin_reports:locked_pages"),
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_reports:workflow"),
        reverse("wagtailadmin_reports:workflow_tasks"),
        # Sharing (issue 14): the rules, the "why" form and the share log.
        reverse("sharing_rules:list"),
        reverse("sharing_rules:add"),
        reverse("kindred_sharing:why_index"),
        reverse("kindred_sharing:shares"),
    ]
    for section in sections.values():
        urls += [
            reverse("wagtailadmin_choose_page_child", args=(section.pk,)),
            reverse("wagtailadmin_explore", args=(section.pk,)),
            f"/admin/api/main/pages/?child_of={section.pk}&fields=title",
        ]
    for page in pages.values():
        urls += [
            reverse("wagtailadmin_choose_page_child", args=(page.pk,)),
            reverse("wagtailadmin_explore", args=(page.pk,)),
            reverse("wagtailadmin_pages:edit", args=(page.pk,)),
            reverse("wagtailadmin_pages:history", args=(page.pk,)),
            reverse("wagtailadmin_pages:workflow_history", args=(page.pk,)),
            reverse("wagtailadmin_pages:usage", args=(page.pk,)),
            reverse("wagtailadmin_pages:view_draft", args=(page.pk,)),
            reverse("wagtailadmin_pages:revisions_index", args=(page.pk,)),
            reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, "earliest", "latest")),
            f"/admin/api/main/pages/{page.pk}/",
            reverse("kindred_sharing:why", args=(page.pk,)),
            reverse("kindred_sharing:why_index") + f"?page={page.pk}",
            reverse("kindred_sharing:why_index") + f"?page_id={page.pk}",
        ]
        urls += [
            reverse("wagtail_bulk_action", args=("wagtailcore", "page", action)) + f"?id={page.pk}"
            for action in BULK_ACTIONS
        ]
    return urls


def words_in(body):
    text = body.decode(errors="replace").lower()
    return {word for word in ALL_WORDS if word in text}


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_no_role_reads_what_is_not_in_its_queue(request, client, planted, sections, role):
    client.force_login(request.getfixturevalue(role))

    leaks = {}
    for url in crawl_urls(planted, sections):
        response = client.get(url)
        seen = words_in(response.content) - ALLOWED[role]
        if seen:
            leaks[url] = seen

    assert leaks == {}


@pytest.mark.parametrize("role", ["expert", "member"])
def test_experts_and_members_get_no_admin(request, client, planted, role):
    client.force_login(request.getfixturevalue(role))

    for url in (
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_choose_page"),
        reverse("wagtailadmin_tag_autocomplete") + "?term=qz",
        reverse("wagtailadmin_reports:page_types_usage"),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert not response.url.startswith("/admin/"), url


def test_experts_group_has_no_admin_access(portal):
    experts = Group.objects.get(name=roles.EXPERTS)
    assert not experts.permissions.filter(codename="access_admin").exists()


def _without_csrf(body):
    return re.sub(rb'csrf[^"]*"[^"]*"', b"", body)


@pytest.mark.parametrize("role", ["editor", "medic"])
@pytest.mark.parametrize("action", BULK_ACTIONS)
def test_bulk_action_with_someone_elses_ids_answers_as_missing(
    request, client, planted, role, action
):
    client.force_login(request.getfixturevalue(role))
    missing = (Page.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", action))

    as_missing = client.get(f"{url}?id={missing}")
    for page in planted.values():
        response = client.get(f"{url}?id={page.pk}")
        assert response.status_code == as_missing.status_code == 404
        assert _without_csrf(response.content) == _without_csrf(as_missing.content)


# --- What the roles that need the admin still have -------------------------------


def test_editor_chooses_live_pages_and_their_queue(client, planted, editor, blog_index):
    BlogPageFactory(parent=blog_index, title="Fatigue diary")
    client.force_login(editor)
    search = reverse("wagtailadmin_choose_page_search")

    browse = client.get(reverse("wagtailadmin_choose_page_child", args=(blog_index.pk,)))
    found = client.get(f"{search}?q={EDITORIAL}")
    live = client.get(f"{search}?q=fatigue")

    assert browse.status_code == found.status_code == live.status_code == 200
    assert EDITORIAL in browse.content.decode()
    assert EDITORIAL in found.content.decode()
    assert "Fatigue diary" in browse.content.decode()
    assert "Fatigue diary" in live.content.decode()


def test_chooser_filter_costs_no_query_per_hidden_page(
    client, planted, editor, blog_index, django_assert_max_num_queries
):
    # Wagtail's chooser itself reads a few rows per page it shows; what the
    # filter hides must cost nothing, however many drafts there are.
    url = reverse("wagtailadmin_choose_page_child", args=(blog_index.pk,))
    client.force_login(editor)
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)

    for n in range(5):
        BlogPageFactory(parent=blog_index, publish=False, title=f"{DRAFT} more {n}")
    with django_assert_max_num_queries(40) as many:
        response = client.get(url)

    assert EDITORIAL in response.content.decode()
    assert DRAFT not in response.content.decode()
    assert len(many) == len(few)


def test_editor_tag_autocomplete_offers_live_tags(client, planted, editor):
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_tag_autocomplete") + "?term=qz")

    assert response.status_code == 200
    assert response.json() == [LIVE_TAG]


def test_tag_autocomplete_queries_do_not_grow(
    client, planted, editor, blog_index, django_assert_max_num_queries
):
    url = reverse("wagtailadmin_tag_autocomplete") + "?term=qz"
    client.force_login(editor)
    client.get(url)  # the session and permissions, as on any admin request
    with django_assert_max_num_queries(5) as few:
        assert client.get(url).json() == [LIVE_TAG]

    for n in range(5):
        BlogPageFactory(parent=blog_index, tags=[f"qzmore{n}"])
    with django_assert_max_num_queries(5) as many:
        response = client.get(url)

    assert len(response.json()) == 6
    assert len(many) == len(few)


HOSTILE_TERMS = (
    "",
    "?term=",
    "?term=" + "q" * 5000,
    "?term=<script>alert(1)</script>",
    "?term=%00",
    "?term=qz&term=qzdraft",
    "?term[]=qz",
)


@pytest.mark.parametrize("query", HOSTILE_TERMS)
def test_tag_autocomplete_hostile_input(client, planted, editor, query):
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_tag_autocomplete") + query)

    assert response.status_code == 200
    assert DRAFT_TAG not in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_tag_autocomplete_for_other_models_answers_not_found(client, planted, editor):
    client.force_login(editor)
    for args in (("nope", "nope"), ("core", "contentpagetag"), ("wagtailcore", "page")):
        url = reverse("wagtailadmin_tag_model_autocomplete", args=args) + "?term=qz"
        assert client.get(url).status_code == 404


def test_editor_keeps_search_reports_not_page_reports(client, planted, editor):
    client.force_login(editor)

    assert client.get(reverse("kindred_search_reports:popular")).status_code == 200
    assert client.get(reverse("wagtailadmin_reports:page_types_usage")).status_code in (403, 404)


def test_medic_reviews_the_items_in_their_queue(client, planted, medic):
    client.force_login(medic)
    medical = planted[MEDICAL]

    queue = client.get(reverse("kindred_review:queue"))
    editor_view = client.get(reverse("wagtailadmin_pages:edit", args=(medical.pk,)))

    assert MEDICAL in queue.content.decode()
    assert editor_view.status_code == 200
    assert MEDICAL in editor_view.content.decode()


def test_superuser_still_sees_everything(client, planted, superuser, blog_index):
    client.force_login(superuser)

    browse = client.get(reverse("wagtailadmin_choose_page_child", args=(blog_index.pk,)))
    tags = client.get(reverse("wagtailadmin_tag_autocomplete") + "?term=qz")
    report = client.get(reverse("wagtailadmin_reports:page_types_usage"))
    bulk = client.get(
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
        + f"?id={planted[DRAFT].pk}"
    )

    assert DRAFT in browse.content.decode()
    assert set(tags.json()) == {DRAFT_TAG, LIVE_TAG, COMMUNITY_TAG}
    assert report.status_code == 200
    assert bulk.status_code == 200
    assert DRAFT in bulk.content.decode()


# --- Community managers (issue 12) ----------------------------------------------------

# Everything in the admin that is not communities' work: queues, reports, people,
# settings, snippets, images, documents. A manager gets "no access" or "not found".
NOT_FOR_MANAGERS = (
    "kindred_review:queue",
    "discussion_admin:queue",
    "kindred_search_reports:popular",
    "kindred_mail:report",
    "wagtailusers_users:index",
    "wagtailusers_groups:index",
    "wagtailsites:index",
    "wagtailadmin_workflows:index",
    "wagtailadmin_collections:index",
    "wagtailsnippets_core_condition:list",
    "wagtailsnippets:index",
    "wagtailimages:index",
    "wagtaildocs:index",
    "wagtailsearchpromotions:index",
    "wagtailadmin_reports:site_history",
)


@pytest.mark.parametrize("url_name", NOT_FOR_MANAGERS)
def test_community_managers_get_nothing_but_communities(client, planted, manager, url_name):
    client.force_login(manager)

    response = client.get(reverse(url_name))

    assert response.status_code in (302, 403, 404), url_name
    if response.status_code == 302:
        assert reverse("wagtailadmin_home") in response.url or "login" in response.url


def test_community_managers_explore_create_and_publish_communities(client, planted, manager):
    index = CommunityIndexPage.objects.get()
    community = CommunityPageFactory(parent=index, title="Newly diagnosed")
    client.force_login(manager)

    explore = client.get(reverse("wagtailadmin_explore", args=(index.pk,)))
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(community.pk,)))
    add = client.get(reverse("wagtailadmin_pages:add", args=("core", "communitypage", index.pk)))
    memberships = client.get(reverse("memberships:index"))

    assert explore.status_code == edit.status_code == add.status_code == 200
    assert memberships.status_code == 200
    assert "Newly diagnosed" in explore.content.decode()
    # An unlisted community is theirs to manage too.
    assert "Carers" in explore.content.decode()
    assert "action-publish" in edit.content.decode()


def test_community_managers_edit_no_section_or_member_item(client, planted, manager, sections):
    client.force_login(manager)

    for section in sections.values():
        add = reverse("wagtailadmin_pages:add", args=("blogs", "blogpage", section.pk))
        assert client.get(add).status_code in (302, 403, 404)
    for page in (planted[COMMUNITY_ITEM], planted[MEMBERS_ITEM]):
        assert client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).status_code in (
            302,
            403,
            404,
        )


def test_editors_and_reviewers_do_not_get_the_memberships_admin(client, planted, editor, medic):
    for user in (editor, medic):
        client.force_login(user)
        response = client.get(reverse("memberships:index"))
        assert response.status_code in (302, 403)


# --- Existing sites ---------------------------------------------------------------


def test_migration_takes_experts_out_of_the_admin(portal, sections):
    """A database set up before this change loses the Experts' admin grants on ``migrate``."""
    migration = importlib.import_module("portal.migrations.0009_experts_leave_the_admin")
    experts = Group.objects.get(name=roles.EXPERTS)
    experts.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=experts,
        page=sections[roles.EXPERT_ARTICLES],
        permission=Permission.objects.get(codename="add_page"),
    )
    GroupCollectionPermission.objects.create(
        group=experts,
        collection=Collection.get_first_root_node(),
        permission=Permission.objects.get(codename="choose_image"),
    )
    editors_before = set(Group.objects.get(name=roles.EDITORS).permissions.all())

    migration.experts_leave_the_admin(apps, None)

    assert not experts.permissions.exists()
    assert not GroupPagePermission.objects.filter(group=experts).exists()
    assert not GroupCollectionPermission.objects.filter(group=experts).exists()
    assert set(Group.objects.get(name=roles.EDITORS).permissions.all()) == editors_before


@pytest.mark.parametrize("query", ["?term=%00", "?term=qz%00", "?term=%1b[31m"])
def test_tag_autocomplete_answers_control_characters_for_superusers_too(
    client, planted, superuser, query
):
    """No tag begins with a control character; PostgreSQL refused the NUL with a 500."""
    client.force_login(superuser)

    response = client.get(reverse("wagtailadmin_tag_autocomplete") + query)

    assert response.status_code == 200
    assert response.json() == []
