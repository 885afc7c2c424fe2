"""Who may reach the admin, and what each group may do there."""

from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.models import GroupCollectionPermission, GroupPagePermission

import pytest

from core import roles
from tests.factories import BlogPageFactory, ExpertArticlePageFactory

pytestmark = pytest.mark.django_db

# Written out independently of core.roles, so that a change to the role
# table has to be made (and reviewed) twice.
EXPECTED = {
    "Editors": {
        "model": {
            "access_admin",
            "moderate_comments",
            "add_searchpromotion",
            "change_searchpromotion",
            "delete_searchpromotion",
            "view_search_reports",
            # Standard replies for questions (issue 13).
            "add_standardreply",
            "change_standardreply",
            "delete_standardreply",
            "view_standardreply",
            "view_waiting_questions",
            # They open safety cases by hand, and cannot see them (issue 15).
            "open_case",
            # Review and community analytics (issue 16).
            "view_analytics",
        },
        "pages": {
            ("blogs", "change_page"),
            ("expert-articles", "change_page"),
            ("experiences", "change_page"),
            ("questions", "change_page"),
        },
        "collections": {"add_image", "choose_image"},
    },
    # Medical reviewers also verify clinicians (issue 13).
    "Medical reviewers": {
        "model": {
            "access_admin",
            "add_expertverification",
            "change_expertverification",
            "delete_expertverification",
            "view_expertverification",
            # They open safety cases by hand, and cannot see them (issue 15).
            "open_case",
        },
        "pages": set(),
        "collections": set(),
    },
    # Experts write on the site, like members (issue 10, finding 2).
    "Experts": {"model": set(), "pages": set(), "collections": set()},
    "Members": {"model": set(), "pages": set(), "collections": set()},
    # The Safety inbox: they alone see and work safety cases (issue 15).
    "Pharmacovigilance": {
        "model": {"access_admin", "view_safetycase", "change_safetycase", "open_case"},
        "pages": set(),
        "collections": set(),
    },
    # Issue 16: the data-protection officer reads the records, never content.
    "Data protection": {
        "model": {
            "access_admin",
            "export_accessrecord",
            "export_consentevent",
            "view_audit_trail",
            "change_retentionsettings",
        },
        "pages": set(),
        "collections": set(),
    },
    # Communities are the organisation's pages, outside the review workflow:
    # managers publish them, under the communities index only (issue 12).
    # They also set the sharing policy and read the share log (issue 14).
    "Community managers": {
        "model": {
            "access_admin",
            "view_communitymembership",
            "change_communitymembership",
            "add_sharingrule",
            "change_sharingrule",
            "delete_sharingrule",
            "view_sharingrule",
            "change_sharingsettings",
            "view_share_log",
            # Review and community analytics (issue 16).
            "view_analytics",
        },
        "pages": {
            ("communities", "add_page"),
            ("communities", "change_page"),
            ("communities", "publish_page"),
        },
        "collections": set(),
    },
}


@pytest.mark.parametrize("group_name", sorted(EXPECTED))
def test_each_group_has_exactly_its_permissions(portal, group_name):
    group = Group.objects.get(name=group_name)
    expected = EXPECTED[group_name]

    assert set(group.permissions.values_list("codename", flat=True)) == expected["model"]
    assert {
        (grant.page.slug, grant.permission.codename)
        for grant in GroupPagePermission.objects.filter(group=group).select_related(
            "page", "permission"
        )
    } == expected["pages"]
    assert (
        set(
            GroupCollectionPermission.objects.filter(group=group).values_list(
                "permission__codename", flat=True
            )
        )
        == expected["collections"]
    )


def test_no_group_may_publish_what_members_and_experts_write(portal):
    """Publishing is the workflow's; only community managers publish, and only communities."""
    publishers = {
        (grant.group.name, grant.page.slug)
        for grant in GroupPagePermission.objects.filter(
            permission__codename="publish_page"
        ).select_related("group", "page")
    }
    assert publishers == {("Community managers", "communities")}
    assert set(Group.objects.values_list("name", flat=True)) == set(EXPECTED)


@pytest.mark.parametrize("fixture_name", ["editor", "medic", "expert", "member"])
def test_nobody_but_superusers_can_publish_content(request, blog_index, expert_index, fixture_name):
    user = request.getfixturevalue(fixture_name)
    for page in (
        BlogPageFactory(parent=blog_index, publish=False),
        ExpertArticlePageFactory(parent=expert_index, author=user, publish=False),
    ):
        assert not page.permissions_for_user(user).can_publish()


def test_superuser_can_publish(blog_index, superuser):
    page = BlogPageFactory(parent=blog_index, publish=False)
    assert page.permissions_for_user(superuser).can_publish()


def test_expert_adds_no_page_in_the_admin(expert, sections):
    # They write expert articles on the site (authoring), never in the admin.
    for key in roles.ALL_SECTIONS:
        assert not sections[key].permissions_for_user(expert).can_add_subpage()


def test_editor_may_edit_but_not_add_or_delete(editor, blog_index):
    page = BlogPageFactory(parent=blog_index)
    permissions = page.permissions_for_user(editor)
    assert permissions.can_edit()
    assert not permissions.can_delete()
    assert not blog_index.permissions_for_user(editor).can_add_subpage()


def test_anonymous_visitor_is_sent_to_the_one_sign_in(client, portal):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_member_cannot_reach_the_admin(client, member, blog_index):
    page = BlogPageFactory(parent=blog_index, author=member)
    client.force_login(member)

    for url in (
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        reverse("wagtailadmin_explore", args=(blog_index.pk,)),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert not response.url.startswith("/admin/"), url


def test_expert_cannot_publish_by_crafted_admin_post(client, expert, expert_index):
    page = ExpertArticlePageFactory(parent=expert_index, author=expert, publish=False)
    client.force_login(expert)

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        {
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "credentials": page.credentials,
            "tags": "",
            "body-count": "0",
            "references-count": "0",
            "action-publish": "action-publish",
        },
    )

    # Experts have no admin: sent away, nothing saved.
    assert response.status_code == 302
    assert not response.url.startswith("/admin/")
    assert page.revisions.count() == 1
    page.refresh_from_db()
    assert not page.live


def test_medical_reviewer_cannot_edit_pages_outside_review(medic, blog_index):
    page = BlogPageFactory(parent=blog_index)
    assert not page.permissions_for_user(medic).can_edit()
