"""The site package keeps no models (issue 11): its tables move to ``core`` and ``moderation``.

The rows stay where they are; only the tables' names change, and every foreign
key that points at them follows (PostgreSQL keeps constraints by table, SQLite
rewrites references on rename). ``core.0001_initial`` and
``moderation.0001_initial`` then take the models over, their content types
included, and ``0013_models_moved_out`` forgets them here.

This runs after the other apps' existing migrations, which create tables whose
foreign keys name the old tables.
"""

from django.db import migrations

MOVED = {
    "Condition": "core_condition",
    "CommunitySettings": "core_communitysettings",
    "ContentPage": "core_contentpage",
    "ContentPageTag": "core_contentpagetag",
    "HomePage": "core_homepage",
    "InformationPage": "core_informationpage",
    "OutboundEmail": "core_outboundemail",
    "SubmissionReceipt": "core_submissionreceipt",
    "WorkerHeartbeat": "core_workerheartbeat",
    "ReviewTask": "moderation_reviewtask",
}


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0011_anonymous_ratings_help_text"),
        ("blogs", "0003_move_medical_review_to_contentpage"),
        ("experience_stories", "0001_initial"),
        ("ratings", "0002_visitor_limits_and_rater_browsers"),
        ("social", "0008_hidden_avatars_new_addresses"),
    ]

    operations = [
        migrations.AlterModelTable(name=name, table=table) for name, table in MOVED.items()
    ]
