"""The summary's score and count on the content table, kept by the database (issue 17).

``ContentPage.rating_score`` and ``rating_count`` (core/migrations/0006) copy
``RatingSummary.bayesian_score`` and ``count`` so "Top rated" walks
``content_top_idx`` and stops after a page. Every writer of the summary keeps
them without code of its own, through triggers on ``ratings_ratingsummary``:
``ratings.services`` (votes, withdrawals, rebuilds), the bulk seeder's
``bulk_create``, any ``.update()``. A deleted summary gives the prior back.

The content row is also written by Django's ``save`` of a page (publishing a
revision made before the last vote, copying a page), which would write the
numbers the instance carries: a trigger on ``core_contentpage`` sets them
from the summary after any insert or update that names them, so the columns
never disagree with the summary. (SQLite remakes a table for some schema
changes and drops its triggers then: a later migration that alters
``core_contentpage`` on SQLite must run ``keep`` again;
tests/ratings/test_top_rated_index.py fails if the triggers are gone.)

Existing rows are filled from their summaries first.
"""

from django.db import migrations

# 3.0 below is the prior (ratings.models.PRIOR_MEAN): the score of an item nobody rated.

FILL = (
    "UPDATE core_contentpage SET"
    " rating_score = (SELECT s.bayesian_score FROM ratings_ratingsummary s"
    " WHERE s.page_id = core_contentpage.page_ptr_id),"
    " rating_count = (SELECT s.count FROM ratings_ratingsummary s"
    " WHERE s.page_id = core_contentpage.page_ptr_id)"
    " WHERE EXISTS (SELECT 1 FROM ratings_ratingsummary s"
    " WHERE s.page_id = core_contentpage.page_ptr_id)"
)

SQLITE = [
    """
CREATE TRIGGER ratings_summary_insert_to_content
AFTER INSERT ON ratings_ratingsummary
FOR EACH ROW
BEGIN
    UPDATE core_contentpage SET rating_score = NEW.bayesian_score, rating_count = NEW.count
    WHERE page_ptr_id = NEW.page_id;
END
""",
    """
CREATE TRIGGER ratings_summary_update_to_content
AFTER UPDATE ON ratings_ratingsummary
FOR EACH ROW
BEGIN
    UPDATE core_contentpage SET rating_score = NEW.bayesian_score, rating_count = NEW.count
    WHERE page_ptr_id = NEW.page_id;
END
""",
    """
CREATE TRIGGER ratings_summary_delete_to_content
AFTER DELETE ON ratings_ratingsummary
FOR EACH ROW
BEGIN
    UPDATE core_contentpage SET rating_score = 3.0, rating_count = 0
    WHERE page_ptr_id = OLD.page_id;
END
""",
    # Inserted or saved with numbers of its own: the summary's put back.
    """
CREATE TRIGGER ratings_content_insert_keeps_summary
AFTER INSERT ON core_contentpage
FOR EACH ROW WHEN NEW.rating_score IS NOT
    (SELECT COALESCE(MAX(s.bayesian_score), 3.0) FROM ratings_ratingsummary s
     WHERE s.page_id = NEW.page_ptr_id)
    OR NEW.rating_count IS NOT
    (SELECT COALESCE(MAX(s.count), 0) FROM ratings_ratingsummary s
     WHERE s.page_id = NEW.page_ptr_id)
BEGIN
    UPDATE core_contentpage SET
        rating_score = (SELECT COALESCE(MAX(s.bayesian_score), 3.0) FROM ratings_ratingsummary s
                        WHERE s.page_id = NEW.page_ptr_id),
        rating_count = (SELECT COALESCE(MAX(s.count), 0) FROM ratings_ratingsummary s
                        WHERE s.page_id = NEW.page_ptr_id)
    WHERE page_ptr_id = NEW.page_ptr_id;
END
""",
    """
CREATE TRIGGER ratings_content_update_keeps_summary
AFTER UPDATE OF rating_score, rating_count ON core_contentpage
FOR EACH ROW WHEN NEW.rating_score IS NOT
    (SELECT COALESCE(MAX(s.bayesian_score), 3.0) FROM ratings_ratingsummary s
     WHERE s.page_id = NEW.page_ptr_id)
    OR NEW.rating_count IS NOT
    (SELECT COALESCE(MAX(s.count), 0) FROM ratings_ratingsummary s
     WHERE s.page_id = NEW.page_ptr_id)
BEGIN
    UPDATE core_contentpage SET
        rating_score = (SELECT COALESCE(MAX(s.bayesian_score), 3.0) FROM ratings_ratingsummary s
                        WHERE s.page_id = NEW.page_ptr_id),
        rating_count = (SELECT COALESCE(MAX(s.count), 0) FROM ratings_ratingsummary s
                        WHERE s.page_id = NEW.page_ptr_id)
    WHERE page_ptr_id = NEW.page_ptr_id;
END
""",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "ratings_summary_insert_to_content",
        "ratings_summary_update_to_content",
        "ratings_summary_delete_to_content",
        "ratings_content_insert_keeps_summary",
        "ratings_content_update_keeps_summary",
    )
]

POSTGRES = [
    """
CREATE FUNCTION ratings_summary_to_content() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE core_contentpage SET rating_score = 3.0, rating_count = 0
        WHERE page_ptr_id = OLD.page_id;
    ELSE
        UPDATE core_contentpage SET rating_score = NEW.bayesian_score, rating_count = NEW.count
        WHERE page_ptr_id = NEW.page_id;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER ratings_summary_to_content
AFTER INSERT OR UPDATE OR DELETE ON ratings_ratingsummary
FOR EACH ROW EXECUTE FUNCTION ratings_summary_to_content()
""",
    """
CREATE FUNCTION ratings_content_keeps_summary() RETURNS trigger AS $$
DECLARE
    summary record;
BEGIN
    SELECT s.bayesian_score, s.count INTO summary
    FROM ratings_ratingsummary s WHERE s.page_id = NEW.page_ptr_id;
    IF FOUND THEN
        NEW.rating_score := summary.bayesian_score;
        NEW.rating_count := summary.count;
    ELSE
        NEW.rating_score := 3.0;
        NEW.rating_count := 0;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER ratings_content_keeps_summary
BEFORE INSERT OR UPDATE OF rating_score, rating_count ON core_contentpage
FOR EACH ROW EXECUTE FUNCTION ratings_content_keeps_summary()
""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS ratings_summary_to_content ON ratings_ratingsummary",
    "DROP FUNCTION IF EXISTS ratings_summary_to_content()",
    "DROP TRIGGER IF EXISTS ratings_content_keeps_summary ON core_contentpage",
    "DROP FUNCTION IF EXISTS ratings_content_keeps_summary()",
]


def keep(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = SQLITE
    elif vendor == "postgresql":
        statements = POSTGRES
    else:  # pragma: no cover - Kindred runs on SQLite and PostgreSQL only
        raise NotImplementedError(f"No top-rated triggers for {vendor}")
    schema_editor.execute(FILL)
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_top_rated_columns"),
        ("ratings", "0003_content_page_moves_to_core"),
    ]

    operations = [migrations.RunPython(keep, drop)]
