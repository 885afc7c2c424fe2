"""Experts write expert articles on the site: the admin's page editor is closed to them."""

from django.urls import reverse

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


@pytest.mark.parametrize("action", ["action-submit", "action-publish", None])
def test_experts_write_on_the_site_never_in_the_admin(client, expert, expert_index, action):
    # Issue 10, finding 2: the admin would show them other people's pages;
    # they write on the site (tests/authoring/test_writing.py).
    client.force_login(expert)
    data = article_form(**({action: "1"} if action else {}))

    shown = client.get(add_url(expert_index))
    posted = client.post(add_url(expert_index), data)

    for response in (shown, posted):
        assert response.status_code == 302
        assert not response.url.startswith("/admin/")
    assert not ExpertArticlePage.objects.filter(slug="fatigue-explained").exists()


def test_expert_cannot_write_in_the_blogs_section(client, expert, blog_index):
    client.force_login(expert)

    response = client.get(
        reverse("wagtailadmin_pages:add", args=("blogs", "blogpage", blog_index.pk))
    )

    assert response.status_code in (302, 403)
