"""How people are named in the admin: the display name, never the username or the email.

Wagtail names users through ``get_user_display_name`` (``get_full_name``, else
the username) in the review queue, page histories, reports and the emails it
sends reviewers. Members' usernames are random (``member-<hex>``) and staff
usernames may be real names, so ``get_full_name`` answers the public name.
"""

from django.template import Context, Template

from wagtail.admin.utils import get_user_display_name

import pytest

from accounts.models import FALLBACK_PUBLIC_NAME
from core import pseudonyms
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_full_name_is_the_display_name_not_the_username_or_real_name():
    user = UserFactory(
        username="member-c8781cbd9ee8",
        email="sam.kowalski@example.org",
        first_name="Samantha",
        last_name="Kowalski",
        display_name="Sam K",
    )

    assert user.get_full_name() == "Sam K"
    assert get_user_display_name(user) == "Sam K"


def test_without_a_display_name_the_fallback_is_shown_never_the_username():
    user = UserFactory(username="member-0a1b2c3d4e5f", display_name="")

    assert user.get_full_name() == FALLBACK_PUBLIC_NAME
    assert get_user_display_name(user) == FALLBACK_PUBLIC_NAME
    assert user.username not in get_user_display_name(user)


def test_admin_template_filter_shows_the_display_name():
    user = UserFactory(username="member-99aa88bb77cc", display_name="River Walker")

    rendered = Template("{% load wagtailadmin_tags %}{{ user|user_display_name }}").render(
        Context({"user": user})
    )

    assert rendered == "River Walker"


def test_a_pseudonym_names_the_account_only_inside_its_scope():
    asker = UserFactory(display_name="Sam K")
    other = UserFactory(display_name="River Walker")

    with pseudonyms.shown_as({asker.pk: "Member K7Q2MX"}):
        assert get_user_display_name(asker) == "Member K7Q2MX"
        assert str(asker) == "Member K7Q2MX"
        assert get_user_display_name(other) == "River Walker"
        with pseudonyms.scope():
            pseudonyms.show_as({other.pk: "Member 9ZZ2AB"})
            assert get_user_display_name(other) == "Member 9ZZ2AB"
            assert get_user_display_name(asker) == "Member K7Q2MX"
        assert get_user_display_name(other) == "River Walker"

    assert get_user_display_name(asker) == "Sam K"
    assert pseudonyms.name_shown_for(asker.pk) is None
