"""setup_portal is idempotent; seed_demo leaves content in every review state."""

import io
import re

from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command

from wagtail.models import (
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Revision,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

import pytest

from blogs.models import BlogPage, ExpertArticlePage
from core.models import ContentPage, HomePage
from experience_stories.models import ExperienceStoryPage

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything setup_portal is responsible for, as comparable values."""
    return {
        "pages": list(
            Page.objects.order_by("path").values_list(
                "path", "slug", "title", "live", "content_type__model"
            )
        ),
        "revisions": Revision.objects.count(),
        "sites": list(Site.objects.values_list("hostname", "port", "root_page_id", "site_name")),
        "groups": {
            group.name: sorted(group.permissions.values_list("codename", flat=True))
            for group in Group.objects.all()
        },
        "page_permissions": sorted(
            GroupPagePermission.objects.values_list(
                "group__name", "page__slug", "permission__codename"
            )
        ),
        "collection_permissions": sorted(
            GroupCollectionPermission.objects.values_list("group__name", "permission__codename")
        ),
        "workflows": sorted(Workflow.objects.values_list("name", "active")),
        "workflow_tasks": list(
            WorkflowTask.objects.order_by("workflow__name", "sort_order").values_list(
                "workflow__name", "task__name", "task__reviewtask__stage"
            )
        ),
        "workflow_pages": sorted(WorkflowPage.objects.values_list("page__slug", "workflow__name")),
    }


def test_setup_portal_creates_the_site(as_migrated):
    # A new site: Wagtail's placeholder "Welcome" page where the home belongs.
    assert not HomePage.objects.exists()
    assert Site.objects.get(is_default_site=True).root_page.specific_class is Page

    call_command("setup_portal", stdout=io.StringIO())

    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class.__name__ == "HomePage"
    children = site.root_page.get_children()
    assert [child.slug for child in children.in_menu()] == [
        "blogs",
        "expert-articles",
        "experiences",
        "questions",
        "communities",
    ]
    # The site's own pages (tests/portal/test_site_pages.py) sit beside them, out of the menu.
    assert [child.slug for child in children.not_in_menu()] == [
        "about",
        "guidelines",
        "privacy",
        "terms",
        "accessibility",
        "contact",
    ]
    state = snapshot()
    assert ("Editorial and medical review", True) in state["workflows"]
    assert [
        step for step in state["workflow_tasks"] if step[0] == "Editorial and medical review"
    ] == [
        ("Editorial and medical review", "Editorial review", "editorial"),
        ("Editorial and medical review", "Medical review", "medical"),
    ]
    assert state["workflow_pages"] == [
        ("blogs", "Editorial and medical review"),
        ("experiences", "Editorial and medical review"),
        ("expert-articles", "Editorial and medical review"),
        ("questions", "Question review"),
    ]
    # Questions pass the editorial step alone, answers the medical step alone
    # (issue 13), with the same tasks, so one queue holds every review.
    assert ("Question review", "Editorial review", "editorial") in state["workflow_tasks"]
    assert ("Answer review", "Medical review", "medical") in state["workflow_tasks"]
    assert {task for workflow, task, _stage in state["workflow_tasks"] if "review" in workflow} == {
        "Editorial review",
        "Medical review",
    }
    # Wagtail's default "Moderators" group could publish anything: it is gone.
    assert "Moderators" not in state["groups"]
    # Communities (issue 12): outside the review workflow (above), published by
    # the Community managers, who alone hold rights there.
    on_communities = {
        (group, codename)
        for group, slug, codename in state["page_permissions"]
        if slug == "communities"
    }
    assert on_communities == {
        ("Community managers", "add_page"),
        ("Community managers", "change_page"),
        ("Community managers", "publish_page"),
    }
    # ...and set the sharing policy and read the share log (issue 14).
    assert state["groups"]["Community managers"] == sorted(
        [
            "access_admin",
            "change_communitymembership",
            "view_communitymembership",
            "add_sharingrule",
            "change_sharingrule",
            "delete_sharingrule",
            "view_sharingrule",
            "change_sharingsettings",
            "view_share_log",
            # ...and read the review and community analytics (issue 16).
            "view_analytics",
        ]
    )


def test_setup_portal_twice_changes_nothing(db):
    call_command("setup_portal", stdout=io.StringIO())
    first = snapshot()

    call_command("setup_portal", stdout=io.StringIO())

    assert snapshot() == first


def test_setup_portal_repairs_drift(db):
    call_command("setup_portal", stdout=io.StringIO())
    expected = snapshot()
    GroupPagePermission.objects.create(
        group=Group.objects.get(name="Editors"),
        page=Page.objects.get(slug="blogs"),
        permission=Permission.objects.get(codename="publish_page"),
    )
    WorkflowTask.objects.filter(workflow__name="Editorial and medical review").delete()

    call_command("setup_portal", stdout=io.StringIO())

    assert snapshot() == expected


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=io.StringIO())


def workflow_states_by_title():
    states = {}
    for state in WorkflowState.objects.active().select_related("current_task_state__task"):
        page = Page.objects.get(pk=state.object_id)
        task = state.current_task_state.task.specific
        if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            states[page.title] = "changes requested"
        else:
            states[page.title] = f"awaiting {task.stage} review"
    return states


def test_seed_demo_creates_enough_tagged_content_of_each_type(seeded):
    assert ContentPage.objects.count() >= 30
    for model in (BlogPage, ExpertArticlePage, ExperienceStoryPage):
        assert model.objects.live().count() >= 5
        assert all(page.tags.exists() for page in model.objects.all())
    assert ExperienceStoryPage.objects.filter(is_anonymous=True).exists()


def test_seed_demo_leaves_items_in_every_review_state(seeded):
    states = workflow_states_by_title()
    assert set(states.values()) == {
        "awaiting editorial review",
        "awaiting medical review",
        "changes requested",
    }
    never_submitted = ContentPage.objects.filter(live=False).exclude(title__in=states)
    assert never_submitted.exists(), "at least one plain draft"


def test_seed_demo_items_are_owned_by_demo_members_and_experts(seeded):
    authors = set(ContentPage.objects.values_list("author__username", flat=True))
    # member3 asks questions (issue 13); experts answer them; mitglied writes in German
    # (issue 18).
    assert authors == {"member1", "member2", "member3", "mitglied", "expert"}
    assert set(ExpertArticlePage.objects.values_list("author__username", flat=True)) == {"expert"}


def test_seeded_expert_articles_carry_their_medical_review(seeded):
    for article in ExpertArticlePage.objects.live():
        assert article.medically_reviewed_by.username == "medic"
        assert article.medically_reviewed_at is not None


def test_seed_demo_twice_adds_nothing(seeded):
    before = ContentPage.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert ContentPage.objects.count() == before


def test_seed_demo_items_adds_published_synthetic_items(db, capsys):
    call_command("seed_demo", items=7)

    synthetic = ContentPage.objects.filter(slug__startswith="synthetic-")
    assert synthetic.count() == 7
    assert all(page.live for page in synthetic)
    printed = capsys.readouterr()
    assert "Synthetic items: 7" in printed.out
    # The progress bar (tqdm, on stderr) counts the items as they are written.
    assert re.search(r"100%\|\S+\| 7/7 \[", printed.err), printed.err


@pytest.mark.parametrize("option", [{"items": -1}, {"workers": -1}])
def test_seed_demo_refuses_negative_numbers(db, option):
    with pytest.raises(CommandError, match="zero or more"):
        call_command("seed_demo", **option)
    assert not ContentPage.objects.exists()


def test_seed_demo_prints_one_login_per_role(db, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    for username in ("admin", "editor", "medic", "expert", "member1", "member2"):
        assert f"  {username} " in out
