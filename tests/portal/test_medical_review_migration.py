"""Moving the medical-review record to ContentPage keeps what expert articles had,
and fills it in for posts and stories that went through the medical review before."""

from django.db import connection

import pytest

from moderation.services import page_submit_for_review, review_approve
from tests.factories import BlogPageFactory, ExpertArticlePageFactory
from tests.migrations import latest, migrate

BEFORE = [("blogs", "0001_initial"), ("portal", "0002_communitysettings")]


def reviewed(page, *, author, editor, medic):
    page_submit_for_review(page=page, user=author)
    review_approve(page=page, user=editor)
    review_approve(page=page, user=medic)
    page.refresh_from_db()
    return page


def columns(table):
    with connection.cursor() as cursor:
        return {col.name for col in connection.introspection.get_table_description(cursor, table)}


@pytest.mark.django_db(transaction=True)
def test_migration_keeps_expert_reviews_and_backfills_the_others(
    expert_index, blog_index, expert, member, editor, medic
):
    article = reviewed(
        ExpertArticlePageFactory(parent=expert_index, author=expert, publish=False),
        author=expert,
        editor=editor,
        medic=medic,
    )
    post = reviewed(
        BlogPageFactory(parent=blog_index, author=member, publish=False),
        author=member,
        editor=editor,
        medic=medic,
    )
    unreviewed = BlogPageFactory(parent=blog_index, author=member)
    article_review = (article.medically_reviewed_by_id, article.medically_reviewed_at)
    post_review = (post.medically_reviewed_by_id, post.medically_reviewed_at)
    assert None not in article_review + post_review

    migrate(BEFORE)
    # As it was: only expert articles had the columns; nothing on the shared table.
    assert "medically_reviewed_at" in columns("blogs_expertarticlepage")
    assert "medically_reviewed_at" not in columns("portal_contentpage")
    from wagtail.models import Revision

    post_revision = Revision.objects.get(pk=post.live_revision_id)
    post_revision.content.pop("medically_reviewed_by")
    post_revision.content.pop("medically_reviewed_at")
    post_revision.save(update_fields=["content"])

    migrate(latest())

    assert "medically_reviewed_at" not in columns("blogs_expertarticlepage")
    article.refresh_from_db()
    post.refresh_from_db()
    unreviewed.refresh_from_db()
    assert (article.medically_reviewed_by_id, article.medically_reviewed_at) == article_review
    assert (post.medically_reviewed_by_id, post.medically_reviewed_at) == post_review
    assert Revision.objects.get(pk=post.live_revision_id).content["medically_reviewed_by"] == (
        medic.pk
    )
    assert unreviewed.medically_reviewed_at is None
    assert unreviewed.medically_reviewed_by_id is None
