"""The demo data gives /feed/ and /people/ something to show, and seeding twice changes nothing."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command

import pytest

from portal.demo.seed import demo_accounts_ensure, demo_social_seed
from social.models import MemberFollow, Notification, TopicFollow
from social.selectors import feed_items, people_like_me

pytestmark = pytest.mark.django_db


def test_demo_members_have_a_feed_and_suggestions_and_reseeding_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    users = {user.username: user for user in get_user_model().objects.all()}
    member1, member2 = users["member1"], users["member2"]
    counts = (
        MemberFollow.objects.count(),
        TopicFollow.objects.count(),
        Notification.objects.count(),
    )

    assert [profile.user for profile in people_like_me(viewer=member1)] == [member2]
    assert feed_items(user=member1).exists()
    assert feed_items(user=member2).exists()

    demo_social_seed(accounts=demo_accounts_ensure())

    assert counts == (
        MemberFollow.objects.count(),
        TopicFollow.objects.count(),
        Notification.objects.count(),
    )
