"""Record every profile's handle in ProfileHandle, and give a new handle to each profile
whose handle carries a name the member has since changed.

Until now a handle was kept when the display name changed, so a member who
switched to a pseudonym still had their earlier name in every link. Their old
handle is kept (never given to anyone else) but no longer leads anywhere: the
member may turn ``redirect_former_handles`` on from their profile form.

The handle rules are copied from ``social.services.profiles`` as they are
today, as a migration must not depend on code that may change later.
"""

import secrets
import string

from django.db import migrations
from django.utils.text import slugify

ALPHABET = "".join(c for c in string.ascii_lowercase + string.digits if c not in "01lo")


def stem(display_name):
    return slugify(display_name or "")[:40].strip("-") or "member"


def record_and_renew(apps, schema_editor):
    Profile = apps.get_model("social", "Profile")
    ProfileHandle = apps.get_model("social", "ProfileHandle")
    taken = set(Profile.objects.values_list("handle", flat=True))
    ProfileHandle.objects.bulk_create(
        [
            ProfileHandle(profile_id=pk, handle=handle)
            for pk, handle in Profile.objects.values_list("pk", "handle").iterator()
        ]
    )
    for profile in Profile.objects.select_related("user").iterator():
        name_stem = stem(profile.user.display_name)
        if profile.handle.rsplit("-", 1)[0] == name_stem:
            continue
        while True:
            suffix = "".join(secrets.choice(ALPHABET) for _ in range(6))
            handle = f"{name_stem}-{suffix}"
            if handle not in taken:
                break
        taken.add(handle)
        ProfileHandle.objects.create(profile_id=profile.pk, handle=handle)
        Profile.objects.filter(pk=profile.pk).update(handle=handle)


def forget_handles(apps, schema_editor):
    # Back to one handle per profile: the current ones stay as they are.
    apps.get_model("social", "ProfileHandle").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("social", "0005_profile_handles"),
    ]

    operations = [
        migrations.RunPython(record_and_renew, forget_handles),
    ]
