"""An index on the comments' target (content type, object id): the listing's comment count.

``discussion.selectors.with_comment_counts`` counts each listed item's visible
comments in a correlated subquery; the comments table (django-contrib-comments'
``django_comments``, not ours to declare indexes on) had ``content_type_id`` and
``object_pk`` indexed apart, and SQLite chose the first: every card's count read
every comment on every page. With both in one index each count is a lookup
(issue 17, listings at 100,000 items).
"""

from django.db import migrations

INDEX = "discussion_comment_target_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0001_initial"),
        ("django_comments", "0004_add_object_pk_is_removed_index"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON django_comments (content_type_id, object_pk)",
            f"DROP INDEX IF EXISTS {INDEX}",
            elidable=False,
        )
    ]
