"""Issue 10, finding 3: live items whose address carries words since removed from their title.

Before this release an item kept the address of its first title. For every
live content page whose address carries a word that was in one of its
titles and is not in its live title, the address is made afresh from the
live title (free among its siblings), with no redirect from the old one.
New publications follow ``moderation.addresses``.
"""

import re

from django.db import migrations
from django.utils.text import slugify

SLUG_MAX_LENGTH = 80
# Wagtail's tree path: four characters a level (treebeard's ``steplen``).
STEPLEN = 4


def _words(text):
    return set(slugify(text or "", allow_unicode=True).split("-")) - {""}


def _title_slug(title):
    return slugify(title or "", allow_unicode=True)[:SLUG_MAX_LENGTH].strip("-") or "untitled"


def addresses_without_removed_words(apps, schema_editor):
    """Give each live content page whose slug carries a removed word the slug of its title."""
    Page = apps.get_model("wagtailcore", "Page")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentPage = apps.get_model("portal", "ContentPage")
    page_type = ContentType.objects.filter(app_label="wagtailcore", model="page").first()
    if page_type is None:
        return
    live_ids = ContentPage.objects.filter(live=True).values_list("pk", flat=True)
    for page in Page.objects.filter(pk__in=list(live_ids)):
        titles = Revision.objects.filter(
            base_content_type=page_type, object_id=str(page.pk)
        ).values_list("content__title", flat=True)
        earlier = [t for t in [*titles, page.draft_title] if isinstance(t, str)]
        removed = set().union(*(_words(t) for t in earlier)) - _words(page.title)
        if not _words(page.slug) & removed:
            continue
        parent_path = page.path[:-STEPLEN]
        siblings = set(
            Page.objects.filter(path__startswith=parent_path, depth=page.depth)
            .exclude(pk=page.pk)
            .values_list("slug", flat=True)
        )
        base = _title_slug(page.title)
        # As wagtail.coreutils.find_available_slug: base, base-1, base-2...
        slug, number = base, 1
        while slug in siblings:
            slug = f"{base}-{number}"
            number += 1
        old_url_path = page.url_path
        new_url_path = re.sub(r"[^/]+/$", f"{slug}/", old_url_path)
        Page.objects.filter(pk=page.pk).update(slug=slug, url_path=new_url_path)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0009_experts_leave_the_admin"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(addresses_without_removed_words, migrations.RunPython.noop),
    ]
