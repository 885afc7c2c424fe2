"""The site package forgets the models that moved to ``core`` and ``moderation`` (issue 11).

State only: the tables live on under their new names (0012), and every app
that pointed at these models points at the moved ones first.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0012_tables_move_to_core_and_moderation'),
        ('core', '0001_initial'),
        ('moderation', '0001_initial'),
        ('blogs', '0004_content_page_moves_to_core'),
        ('experience_stories', '0002_content_models_move_to_core'),
        ('ratings', '0003_content_page_moves_to_core'),
        ('social', '0009_conditions_move_to_core'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='communitysettings',
                    name='site',
                ),
                migrations.DeleteModel(
                    name='Condition',
                ),
                migrations.RemoveField(
                    model_name='contentpage',
                    name='author',
                ),
                migrations.RemoveField(
                    model_name='contentpage',
                    name='medically_reviewed_by',
                ),
                migrations.RemoveField(
                    model_name='contentpage',
                    name='page_ptr',
                ),
                migrations.RemoveField(
                    model_name='contentpage',
                    name='tags',
                ),
                migrations.RemoveField(
                    model_name='contentpagetag',
                    name='content_object',
                ),
                migrations.RemoveField(
                    model_name='contentpagetag',
                    name='tag',
                ),
                migrations.RemoveField(
                    model_name='homepage',
                    name='page_ptr',
                ),
                migrations.RemoveField(
                    model_name='informationpage',
                    name='page_ptr',
                ),
                migrations.DeleteModel(
                    name='OutboundEmail',
                ),
                migrations.RemoveField(
                    model_name='reviewtask',
                    name='groups',
                ),
                migrations.RemoveField(
                    model_name='reviewtask',
                    name='task_ptr',
                ),
                migrations.RemoveField(
                    model_name='submissionreceipt',
                    name='content_type',
                ),
                migrations.RemoveField(
                    model_name='submissionreceipt',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='WorkerHeartbeat',
                ),
                migrations.DeleteModel(
                    name='CommunitySettings',
                ),
                migrations.DeleteModel(
                    name='ContentPage',
                ),
                migrations.DeleteModel(
                    name='ContentPageTag',
                ),
                migrations.DeleteModel(
                    name='HomePage',
                ),
                migrations.DeleteModel(
                    name='InformationPage',
                ),
                migrations.DeleteModel(
                    name='ReviewTask',
                ),
                migrations.DeleteModel(
                    name='SubmissionReceipt',
                ),
            ],
        ),
    ]
