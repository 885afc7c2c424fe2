"""Experts write expert articles in the admin; whoever writes is the author."""

from django.urls import reverse

from wagtail.models import WorkflowState

import pytest

from blogs.models import ExpertArticlePage

pytestmark = pytest.mark.django_db


def article_form(**overrides):
    data = {
        "title": "Fatigue explained",
        "slug": "fatigue-explained",
        "summary": "Why MS fatigue is different.",
        "credentials": "Consultant neurologist",
        "tags": "fatigue",
        "body-count": "0",
        "references-count": "0",
    }
    data.update(overrides)
    return data


def add_url(parent):
    return reverse("wagtailadmin_pages:add", args=("blogs", "expertarticlepage", parent.pk))


def test_expert_submits_an_article_for_review_from_the_admin(client, expert, expert_index):
    client.force_login(expert)

    response = client.post(add_url(expert_index), article_form(**{"action-submit": "1"}))

    assert response.status_code == 302
    article = ExpertArticlePage.objects.get(slug="fatigue-explained")
    assert not article.live
    assert article.author == expert
    assert article.get_latest_revision().content["author"] == expert.pk
    state = article.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.specific.stage == "editorial"


def test_expert_cannot_name_someone_else_as_author(client, expert, expert_index, member):
    client.force_login(expert)

    client.post(add_url(expert_index), article_form(author=str(member.pk)))

    assert ExpertArticlePage.objects.get(slug="fatigue-explained").author == expert


def test_expert_cannot_publish_a_new_article(client, expert, expert_index):
    client.force_login(expert)

    client.post(add_url(expert_index), article_form(**{"action-publish": "1"}))

    assert not ExpertArticlePage.objects.get(slug="fatigue-explained").live


def test_expert_cannot_write_in_the_blogs_section(client, expert, blog_index):
    client.force_login(expert)

    response = client.get(
        reverse("wagtailadmin_pages:add", args=("blogs", "blogpage", blog_index.pk))
    )

    assert response.status_code in (302, 403)
