"""Experts leave the Wagtail admin (issue 10, finding 2).

They write their expert articles on the site, like members; in the admin they
could read other people's unpublished titles and tags. ``portal.roles`` now
gives the Experts group nothing there, and this brings existing databases in
line without waiting for ``setup_portal`` to run again: no admin access, no
page permissions, no image collection permissions. Reversing restores nothing
(``setup_portal`` of an older release would).
"""

from django.db import migrations


def experts_leave_the_admin(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    experts = Group.objects.filter(name="Experts").first()
    if experts is None:
        return
    experts.permissions.remove(
        *experts.permissions.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    GroupPagePermission.objects.filter(group=experts).delete()
    GroupCollectionPermission.objects.filter(group=experts).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("portal", "0008_submission_receipt"),
    ]

    operations = [migrations.RunPython(experts_leave_the_admin, migrations.RunPython.noop)]
