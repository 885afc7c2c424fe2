"""Issue 10, finding 6: shared-password view restrictions become sign-in restrictions.

Wagtail keeps the shared password in plain text and its password form has no
throttle, so Kindred no longer offers that kind of restriction (see
``WAGTAIL_PRIVATE_PAGE_OPTIONS`` in the settings). Anything that was private
behind a password stays private: it now asks for a signed-in account, and no
password is left stored.
"""

from django.db import migrations

PASSWORD = "password"  # noqa: S105 (Wagtail's name for the restriction type, not a secret)
LOGIN = "login"


def password_restrictions_to_login(apps, schema_editor):
    """Turn every shared-password restriction, on pages and collections, into a login one."""
    for model_name in ("PageViewRestriction", "CollectionViewRestriction"):
        model = apps.get_model("wagtailcore", model_name)
        model.objects.filter(restriction_type=PASSWORD).update(restriction_type=LOGIN)
        # No row keeps a password, including one Wagtail left behind when an
        # editor switched a restriction to another type.
        model.objects.exclude(password="").update(password="")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0005_informationpage"),
        ("wagtailcore", "0098_apitoken"),
    ]

    # Not reversible into passwords: they are gone on purpose.
    operations = [
        migrations.RunPython(password_restrictions_to_login, migrations.RunPython.noop),
    ]
