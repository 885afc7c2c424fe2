"""Step 3: copy each expert article's medical review to the shared columns, then drop its own.

The revisions need no change: a revision holds the specific page's fields by
name, parents' included, and the names stay ``medically_reviewed_by`` and
``medically_reviewed_at``.
"""

from django.db import migrations


def copy_to_contentpage(apps, schema_editor):
    ContentPage = apps.get_model("portal", "ContentPage")
    ExpertArticlePage = apps.get_model("blogs", "ExpertArticlePage")
    reviewed = ExpertArticlePage.objects.filter(legacy_medically_reviewed_at__isnull=False)
    for pk, by_id, at in reviewed.values_list(
        "pk", "legacy_medically_reviewed_by", "legacy_medically_reviewed_at"
    ):
        ContentPage.objects.filter(pk=pk).update(
            medically_reviewed_by_id=by_id, medically_reviewed_at=at
        )


def copy_back(apps, schema_editor):
    ContentPage = apps.get_model("portal", "ContentPage")
    ExpertArticlePage = apps.get_model("blogs", "ExpertArticlePage")
    shared = ContentPage.objects.filter(
        pk__in=ExpertArticlePage.objects.values("pk"), medically_reviewed_at__isnull=False
    )
    for pk, by_id, at in shared.values_list("pk", "medically_reviewed_by", "medically_reviewed_at"):
        ExpertArticlePage.objects.filter(pk=pk).update(
            legacy_medically_reviewed_by_id=by_id, legacy_medically_reviewed_at=at
        )


class Migration(migrations.Migration):
    dependencies = [
        ("blogs", "0002_expertarticlepage_legacy_medical_review"),
        ("portal", "0003_contentpage_medical_review"),
    ]

    operations = [
        migrations.RunPython(copy_to_contentpage, copy_back),
        migrations.RemoveField(model_name="expertarticlepage", name="legacy_medically_reviewed_at"),
        migrations.RemoveField(model_name="expertarticlepage", name="legacy_medically_reviewed_by"),
    ]
