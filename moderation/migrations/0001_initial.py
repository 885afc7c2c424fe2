"""Moderation takes over the review task that lived in ``portal`` (issue 11).

Its table was renamed by ``portal.0012_tables_move_to_core_and_moderation``;
here the model enters this app's state and its content type changes app.
"""

import django.db.models.deletion
from django.db import migrations, models


MOVED = ["reviewtask"]


def content_types_follow(apps, schema_editor):
    """Existing rows keep their content type ids: pages, revisions, permissions and
    comments point at those ids, so the rows are relabelled rather than made anew."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        moving = ContentType.objects.filter(app_label="portal", model=model).first()
        if moving is None:
            continue
        # A stand-in made by ``migrate`` after this migration was once rolled back:
        # the moving row is the one that pages, revisions and comments point at.
        ContentType.objects.filter(app_label="moderation", model=model).delete()
        moving.app_label = "moderation"
        moving.save(update_fields=["app_label"])


def content_types_return(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="moderation", model__in=MOVED).update(app_label="portal")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("portal", "0012_tables_move_to_core_and_moderation"),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        # The tables exist already (portal 0012 renamed them): state only.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ReviewTask',
                    fields=[
                        ('task_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='wagtailcore.task')),
                        ('stage', models.CharField(choices=[('editorial', 'Editorial review'), ('medical', 'Medical review')], default='editorial', max_length=20)),
                        ('groups', models.ManyToManyField(help_text='Pages/snippets at this step in a workflow will be moderated or approved by these groups of users', to='auth.group', verbose_name='groups')),
                    ],
                    options={
                        'verbose_name': 'review task',
                        'verbose_name_plural': 'review tasks',
                    },
                    bases=('wagtailcore.task',),
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
