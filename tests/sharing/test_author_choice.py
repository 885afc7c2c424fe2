"""The author's "may be shared outside Kindred": offered per kind, withdrawn at once, given
through review."""

import re

from django.urls import reverse

from wagtail.models import PageLogEntry

import pytest

from accounts.services import consent_give
from authoring.services import SHARING_WITHDRAWN
from moderation.services import review_approve
from questions.kinds import QUESTION
from sharing.models import ShareCount
from tests.factories import BlogPageFactory, UserFactory

pytestmark = pytest.mark.django_db

BLOG = {
    "title": "How I learned to pace",
    "summary": "Energy is a budget.",
    "body": "I was tired all the time.",
    "tags": "fatigue",
    "audience": "everyone",
}
CHECKBOX = re.compile(r'<input type="checkbox" name="may_be_shared"[^>]*>')


@pytest.fixture
def writer(portal):
    user = UserFactory(group="Members", display_name="PacingPat")
    consent_give(user=user, kind="guidelines")
    consent_give(user=user, kind="health_data")
    return user


@pytest.fixture
def expert_writer(expert):
    consent_give(user=expert, kind="guidelines")
    consent_give(user=expert, kind="health_data")
    return expert


def _checkbox(client, slug):
    html = client.get(reverse("authoring:write_new", args=(slug,))).content.decode()
    box = CHECKBOX.search(html)
    assert box, f"no sharing choice on the {slug} form"
    assert "never your name" in html
    return "checked" in box.group(0)


def test_members_writing_starts_unshared(client, writer):
    client.force_login(writer)

    assert _checkbox(client, "blog") is False
    assert _checkbox(client, "story") is False
    assert _checkbox(client, QUESTION.slug) is False


def test_an_expert_article_starts_shareable(client, expert_writer):
    client.force_login(expert_writer)

    assert _checkbox(client, "article") is True


def _published(blog_index, writer, *, shared):
    return BlogPageFactory(parent=blog_index, author=writer, owner=writer, may_be_shared=shared)


def test_withdrawing_consent_applies_at_once_and_is_in_the_history(client, writer, blog_index):
    page = _published(blog_index, writer, shared=True)
    client.force_login(writer)
    assert client.post(reverse("sharing:share", args=(page.pk, "x"))).status_code == 303

    response = client.post(
        reverse("authoring:edit", args=(page.pk,)), {**BLOG, "action": "save"}
    )  # the checkbox left unticked

    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live and page.may_be_shared is False
    assert page.live_revision.as_object().may_be_shared is False
    assert PageLogEntry.objects.filter(page=page, action=SHARING_WITHDRAWN, user=writer).exists()
    before = ShareCount.objects.get().count
    assert client.post(reverse("sharing:share", args=(page.pk, "x"))).status_code == 403
    assert ShareCount.objects.get().count == before
    assert "og:title" not in client.get(page.url).content.decode()


def test_giving_consent_waits_for_review(client, writer, blog_index, editor, medic):
    page = _published(blog_index, writer, shared=False)
    client.force_login(writer)

    client.post(
        reverse("authoring:edit", args=(page.pk,)),
        {**BLOG, "may_be_shared": "on", "action": "submit"},
    )

    page.refresh_from_db()
    assert page.may_be_shared is False
    assert client.post(reverse("sharing:share", args=(page.pk, "x"))).status_code == 403
    review_approve(page=page, user=editor)
    review_approve(page=page, user=medic)
    page.refresh_from_db()
    assert page.may_be_shared is True
    assert client.post(reverse("sharing:share", args=(page.pk, "x"))).status_code == 303


@pytest.mark.parametrize("value", ["maybe", "<script>alert(1)</script>", "0" * 10000])
def test_a_strange_value_for_the_choice_is_read_as_no_choice_or_a_yes(client, writer, value):
    client.force_login(writer)

    response = client.post(
        reverse("authoring:write_new", args=("blog",)),
        {**BLOG, "may_be_shared": value, "action": "save"},
    )

    # A checkbox is ticked by any value a browser would not send for "off".
    assert response.status_code == 302
