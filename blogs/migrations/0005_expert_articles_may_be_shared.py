"""Expert articles are written to be read widely: those already published may be shared.

Members' own items stay unshared until their authors choose otherwise
(core.models.SharingChoiceMixin); experts can turn it off for any article.
"""

from django.db import migrations


def expert_articles_shareable(apps, schema_editor):
    ExpertArticlePage = apps.get_model("blogs", "ExpertArticlePage")
    ExpertArticlePage.objects.update(may_be_shared=True)


class Migration(migrations.Migration):
    dependencies = [
        ("blogs", "0004_content_page_moves_to_core"),
        ("core", "0004_content_may_be_shared"),
    ]

    operations = [migrations.RunPython(expert_articles_shareable, migrations.RunPython.noop)]
