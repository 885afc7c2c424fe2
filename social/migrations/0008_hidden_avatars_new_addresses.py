"""Avatars of profiles not open to everyone move to new addresses (issue 10, finding 9).

Until this release an avatar was shown beside its owner's comments to every
reader, whoever the profile was hidden from, so the addresses of those
pictures may have been seen. Each such file is copied under a new random name
and the old one deleted; a missing file just leaves the profile without an
avatar (initials are shown). Reversing it keeps the new addresses: the old
ones must stay dead.
"""

import secrets

from django.core.files.base import ContentFile
from django.db import migrations


def move_hidden_avatars(apps, schema_editor):
    Profile = apps.get_model("social", "Profile")
    hidden = Profile.objects.exclude(visibility="everyone").exclude(avatar="")
    for profile in hidden.iterator():
        storage = profile.avatar.storage
        old_name = profile.avatar.name
        if not storage.exists(old_name):
            Profile.objects.filter(pk=profile.pk).update(avatar="")
            continue
        with storage.open(old_name, "rb") as old_file:
            content = old_file.read()
        extension = old_name.rsplit(".", 1)[-1] if "." in old_name else "jpg"
        new_name = storage.save(
            f"avatars/{secrets.token_hex(16)}.{extension}", ContentFile(content)
        )
        Profile.objects.filter(pk=profile.pk).update(avatar=new_name)
        storage.delete(old_name)


class Migration(migrations.Migration):
    dependencies = [
        ("social", "0007_profile_show_followed_topics"),
    ]

    operations = [
        migrations.RunPython(move_hidden_avatars, migrations.RunPython.noop, elidable=True),
    ]
