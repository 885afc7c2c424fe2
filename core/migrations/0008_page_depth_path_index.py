"""An index on ``wagtailcore_page (depth, path)``: a page's children without reading its subtree.

Wagtail finds a page's children by ``depth = d AND path BETWEEN p AND pZZZZ
ORDER BY path``; with the unique ``path`` index alone the database walks every
descendant to keep the few at that depth. At 100,000 items the home page's
sections (``core.selectors.latest_by_section``: ``home.get_children()``) read
all 100,000 page rows: 0.4 s of the home page (issue 17). With this index it
is one range of the sections' own rows.

Wagtail's table, so raw SQL (Django does not manage this index; a migration of
Wagtail's that rebuilds the table on SQLite would drop it, and
tests/core/test_page_children_index.py would fail).
"""

from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS kindred_page_depth_path ON wagtailcore_page (depth, path)"
DROP = "DROP INDEX IF EXISTS kindred_page_depth_path"


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_tag_rows_listed_at"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]
