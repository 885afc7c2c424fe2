"""The core takes over the content models that lived in ``portal`` (issue 11).

Their tables were renamed by ``portal.0012_tables_move_to_core_and_moderation``;
here the models enter this app's state and their content types change app.
"""

import django.db.models.deletion
import modelcluster.contrib.taggit
import modelcluster.fields
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


MOVED = ["condition", "communitysettings", "contentpage", "contentpagetag", "homepage", "informationpage", "outboundemail", "submissionreceipt", "workerheartbeat"]


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
        ContentType.objects.filter(app_label="core", model=model).delete()
        moving.app_label = "core"
        moving.save(update_fields=["app_label"])


def content_types_return(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="core", model__in=MOVED).update(app_label="portal")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("portal", "0012_tables_move_to_core_and_moderation"),
        ('contenttypes', '0002_remove_content_type_name'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist already (portal 0012 renamed them): state only.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Condition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, unique=True)),
                        ('slug', models.SlugField(blank=True, max_length=100, unique=True)),
                    ],
                    options={
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='HomePage',
                    fields=[
                        ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                        ('intro', wagtail.fields.RichTextField(blank=True)),
                    ],
                    options={
                        'abstract': False,
                    },
                    bases=('wagtailcore.page', models.Model),
                ),
                migrations.CreateModel(
                    name='WorkerHeartbeat',
                    fields=[
                        ('worker_id', models.CharField(max_length=64, primary_key=True, serialize=False)),
                        ('started_at', models.DateTimeField(auto_now_add=True)),
                        ('seen_at', models.DateTimeField(db_index=True)),
                        ('pid', models.PositiveIntegerField(null=True)),
                        ('host', models.CharField(blank=True, max_length=255)),
                    ],
                    options={
                        'verbose_name': 'worker heartbeat',
                    },
                ),
                migrations.CreateModel(
                    name='CommunitySettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('allow_anonymous_ratings', models.BooleanField(default=False, help_text='Off: visitors are invited to sign in to rate (one account, one vote). On: visitors may also rate without an account, once per browser (remembered by a signed cookie, so clearing cookies allows another vote), at most 20 new visitor ratings per item an hour and 10 attempts per address; a browser a member signed in with rates only signed in. Their ratings count in the same average.', verbose_name='Accept ratings from visitors who are not signed in')),
                        ('site', models.OneToOneField(editable=False, on_delete=django.db.models.deletion.CASCADE, to='wagtailcore.site')),
                    ],
                    options={
                        'verbose_name': 'community settings',
                    },
                ),
                migrations.CreateModel(
                    name='ContentPage',
                    fields=[
                        ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                        ('is_anonymous', models.BooleanField(default=False, help_text="Hide the author's name everywhere on the public site.", verbose_name='publish anonymously')),
                        ('summary', models.CharField(help_text='One or two sentences shown in listings and search results.', max_length=300)),
                        ('body', wagtail.fields.StreamField([('paragraph', 0), ('heading', 3), ('image', 7), ('quote', 10), ('callout', 16)], blank=True, block_lookup={0: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'ol', 'ul', 'link'], 'template': 'blocks/paragraph_block.html'}), 1: ('wagtail.blocks.CharBlock', (), {'max_length': 120}), 2: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('h2', 'Section heading'), ('h3', 'Sub-heading')]}), 3: ('wagtail.blocks.StructBlock', [[('text', 1), ('level', 2)]], {}), 4: ('wagtail.images.blocks.ImageChooserBlock', (), {}), 5: ('wagtail.blocks.CharBlock', (), {'help_text': 'Describe the image for people who cannot see it.', 'max_length': 250}), 6: ('wagtail.blocks.CharBlock', (), {'max_length': 250, 'required': False}), 7: ('wagtail.blocks.StructBlock', [[('image', 4), ('alt_text', 5), ('caption', 6)]], {}), 8: ('wagtail.blocks.TextBlock', (), {'max_length': 1000}), 9: ('wagtail.blocks.CharBlock', (), {'max_length': 120, 'required': False}), 10: ('wagtail.blocks.StructBlock', [[('text', 8), ('attribution', 9)]], {}), 11: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('info', 'Information'), ('tip', 'Tip'), ('warning', 'Safety note')]}), 12: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'ol', 'ul', 'link']}), 13: ('wagtail.blocks.PageChooserBlock', (), {'required': False}), 14: ('wagtail.blocks.URLBlock', (), {'required': False}), 15: ('wagtail.blocks.CharBlock', (), {'max_length': 80, 'required': False}), 16: ('wagtail.blocks.StructBlock', [[('tone', 11), ('text', 12), ('link_page', 13), ('link_url', 14), ('link_label', 15)]], {})})),
                        ('medically_reviewed_at', models.DateTimeField(blank=True, editable=False, null=True)),
                        ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='authored_pages', to=settings.AUTH_USER_MODEL)),
                        ('medically_reviewed_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'content page',
                    },
                    bases=('wagtailcore.page', models.Model),
                ),
                migrations.CreateModel(
                    name='ContentPageTag',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('content_object', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='tagged_items', to='core.contentpage')),
                        ('tag', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='%(app_label)s_%(class)s_items', to='taggit.tag')),
                    ],
                    options={
                        'abstract': False,
                    },
                ),
                migrations.AddField(
                    model_name='contentpage',
                    name='tags',
                    field=modelcluster.contrib.taggit.ClusterTaggableManager(blank=True, help_text='A comma-separated list of tags.', through='core.ContentPageTag', to='taggit.Tag', verbose_name='Tags'),
                ),
                migrations.CreateModel(
                    name='InformationPage',
                    fields=[
                        ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                        ('body', wagtail.fields.StreamField([('paragraph', 0), ('heading', 3), ('image', 7), ('quote', 10), ('callout', 16)], blank=True, block_lookup={0: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'ol', 'ul', 'link'], 'template': 'blocks/paragraph_block.html'}), 1: ('wagtail.blocks.CharBlock', (), {'max_length': 120}), 2: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('h2', 'Section heading'), ('h3', 'Sub-heading')]}), 3: ('wagtail.blocks.StructBlock', [[('text', 1), ('level', 2)]], {}), 4: ('wagtail.images.blocks.ImageChooserBlock', (), {}), 5: ('wagtail.blocks.CharBlock', (), {'help_text': 'Describe the image for people who cannot see it.', 'max_length': 250}), 6: ('wagtail.blocks.CharBlock', (), {'max_length': 250, 'required': False}), 7: ('wagtail.blocks.StructBlock', [[('image', 4), ('alt_text', 5), ('caption', 6)]], {}), 8: ('wagtail.blocks.TextBlock', (), {'max_length': 1000}), 9: ('wagtail.blocks.CharBlock', (), {'max_length': 120, 'required': False}), 10: ('wagtail.blocks.StructBlock', [[('text', 8), ('attribution', 9)]], {}), 11: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('info', 'Information'), ('tip', 'Tip'), ('warning', 'Safety note')]}), 12: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'ol', 'ul', 'link']}), 13: ('wagtail.blocks.PageChooserBlock', (), {'required': False}), 14: ('wagtail.blocks.URLBlock', (), {'required': False}), 15: ('wagtail.blocks.CharBlock', (), {'max_length': 80, 'required': False}), 16: ('wagtail.blocks.StructBlock', [[('tone', 11), ('text', 12), ('link_page', 13), ('link_url', 14), ('link_label', 15)]], {})})),
                        ('intro', wagtail.fields.RichTextField(blank=True)),
                        ('setup_key', models.CharField(blank=True, editable=False, max_length=40)),
                        ('consent_kind', models.CharField(blank=True, editable=False, help_text='The consent text (accounts.consent) this page shows, if any.', max_length=20)),
                        ('show_in_footer', models.BooleanField(default=True, help_text='Link this page from the footer of every page.', verbose_name='show in footer')),
                    ],
                    options={
                        'verbose_name': 'information page',
                        'constraints': [models.UniqueConstraint(condition=models.Q(('setup_key', ''), _negated=True), fields=('setup_key',), name='portal_informationpage_setup_key_unique'), models.UniqueConstraint(condition=models.Q(('consent_kind', ''), _negated=True), fields=('consent_kind',), name='portal_informationpage_consent_kind_unique')],
                    },
                    bases=('wagtailcore.page', models.Model),
                ),
                migrations.CreateModel(
                    name='OutboundEmail',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=200, unique=True)),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('sending', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed')], default='queued', max_length=10)),
                        ('message', models.JSONField()),
                        ('to', models.TextField(help_text='The recipients, for the admin list.')),
                        ('subject', models.TextField()),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('task_id', models.CharField(blank=True, max_length=64)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('last_attempt_at', models.DateTimeField(blank=True, null=True)),
                        ('next_attempt_at', models.DateTimeField(blank=True, null=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('last_error', models.TextField(blank=True)),
                    ],
                    options={
                        'verbose_name': 'outbound email',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['status', 'created_at'], name='portal_outbound_status_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('status__in', ['queued', 'sending', 'sent', 'failed'])), name='portal_outboundemail_status_valid'), models.CheckConstraint(condition=models.Q(models.Q(('sent_at__isnull', False), ('status', 'sent')), models.Q(('status', 'sent'), _negated=True), _connector='OR'), name='portal_outboundemail_sent_has_time')],
                    },
                ),
                migrations.CreateModel(
                    name='SubmissionReceipt',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token', models.UUIDField()),
                        ('fingerprint', models.CharField(max_length=64)),
                        ('object_id', models.PositiveBigIntegerField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('content_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'indexes': [models.Index(fields=['created_at'], name='submission_receipt_created')],
                        'constraints': [models.UniqueConstraint(fields=('user', 'token', 'fingerprint'), name='submission_receipt_once')],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
