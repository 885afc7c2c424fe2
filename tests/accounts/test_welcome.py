"""The welcome steps: reached right after confirming, every step saved or skipped on its own."""

import re

from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from taggit.models import Tag
from wagtail.models import PageViewRestriction

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC

from accounts.forms import WELCOME_MAX_CHOICES
from core.models import Condition
from moderation.services import page_submit_for_review
from social.models import Profile, ProfileVisibility, TopicFollow
from social.services import profile_get_or_create, topic_follow_create
from tests.accounts.conftest import STRONG_PASSWORD, link_in
from tests.factories import BlogPageFactory, ProfileFactory, UserFactory
from tests.html import without_csrf_tokens

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script>'
CANARY = "canary-unreadable"


@pytest.fixture
def conditions(portal):
    return [
        Condition.objects.create(name=name, slug=name.lower().replace(" ", "-"))
        for name in ("Relapsing-remitting MS", "Primary progressive MS", "Caring for someone")
    ]


@pytest.fixture
def topics(blog_index):
    """Readable tags: 'fatigue' on three items, 'pacing' on two, 'sleep' on one."""
    for number, tags in enumerate(
        [["fatigue", "pacing", "sleep"], ["fatigue", "pacing"], ["fatigue"]]
    ):
        BlogPageFactory(parent=blog_index, title=f"Readable {number}", tags=tags)
    return {tag.name: tag for tag in Tag.objects.all()}


@pytest.fixture
def unreadable_tag(blog_index, member):
    """A tag carried only by a draft, an item in review and a restricted published item."""
    BlogPageFactory(parent=blog_index, author=member, title="Draft", tags=[CANARY], publish=False)
    in_review = BlogPageFactory(
        parent=blog_index, author=member, title="In review", tags=[CANARY], publish=False
    )
    page_submit_for_review(page=in_review, user=member)
    restricted = BlogPageFactory(parent=blog_index, title="Restricted", tags=[CANARY])
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    return Tag.objects.get(name=CANARY)


@pytest.fixture
def newcomer(portal):
    """A member who has just joined: a default profile, nothing chosen."""
    user = UserFactory(group="Members", display_name="River Walker")
    profile_get_or_create(user=user)
    return user


def signed_in(client, user):
    client.force_login(user)
    return client


def state(user):
    """Everything the welcome steps may change, for before/after comparisons."""
    profile = Profile.objects.filter(user=user).first()
    return {
        "has_profile": profile is not None,
        "conditions": sorted(profile.conditions.values_list("name", flat=True)) if profile else [],
        "visibility": profile.visibility if profile else None,
        "topics": sorted(
            TopicFollow.objects.filter(follower=user).values_list("tag__name", flat=True)
        ),
    }


def checked_values(html, name):
    """The values of the checked inputs called ``name`` in ``html``."""
    values = []
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and " checked" in tag:
            values.append(re.search(r'value="([^"]*)"', tag).group(1))
    return values


# The layout (header, menu, bell, review queue link) costs some queries of its own;
# a step adds a few that never depend on how much there is to choose from.
STEP_MAX_QUERIES = 14
# Step 1 reads the profile, its conditions, every condition and two topic lists;
# each topic list asks Wagtail for the view restrictions (``.public()``).
STEP_ONE_MAX_QUERIES = STEP_MAX_QUERIES + 5


# --- Reaching the page -----------------------------------------------------------


def test_confirming_the_address_leads_to_the_welcome_page(client, portal, signup_data):
    client.post("/accounts/signup/", signup_data())

    response = client.post(link_in(mail.outbox[0]))

    assert response.status_code == 302
    assert response["Location"] == "/welcome/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Welcome to Kindred, River Walker" in page.content.decode()


def test_confirming_in_another_browser_leads_to_sign_in_then_welcome(client, portal, signup_data):
    client.post("/accounts/signup/", signup_data())
    path = link_in(mail.outbox[0])
    other_browser = Client()

    response = other_browser.post(path)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fwelcome%2F"
    login = other_browser.get(response["Location"]).content.decode()
    assert "Sign in to finish setting up your account." in login
    assert "is confirmed" in login
    signed = other_browser.post(
        response["Location"],
        {"login": "river@example.org", "password": STRONG_PASSWORD, "next": "/welcome/"},
    )
    assert signed.status_code == 302 and signed["Location"] == "/welcome/"


def test_a_changed_address_confirmed_elsewhere_does_not_lead_to_welcome(client, member):
    member.last_login = member.date_joined  # has signed in before
    member.save(update_fields=["last_login"])
    address = EmailAddress.objects.create(user=member, email="new@example.org", verified=False)
    key = EmailConfirmationHMAC(address).key

    response = client.post(f"/accounts/confirm-email/{key}/")

    assert response.status_code == 302
    assert "welcome" not in response["Location"]
    assert EmailAddress.objects.get(email="new@example.org").verified


def test_a_next_carried_through_sign_up_still_wins(client, portal, signup_data):
    client.post("/accounts/signup/?next=/write/", signup_data(next="/write/"))

    response = client.post(link_in(mail.outbox[0]))

    assert response.status_code == 302
    assert response["Location"] == "/write/"


def test_signing_in_normally_does_not_lead_to_welcome(client, member):
    from tests.factories.users import TEST_PASSWORD

    response = client.post("/accounts/login/", {"login": member.email, "password": TEST_PASSWORD})

    assert response["Location"] == "/"


def test_the_account_page_links_to_welcome(client, member):
    html = signed_in(client, member).get("/me/account/").content.decode()

    assert 'href="/welcome/"' in html


@pytest.mark.parametrize("path", ["/welcome/", "/welcome/profile/", "/welcome/start/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, portal, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"
    assert (
        "Sign in to finish setting up your account."
        in client.get(response["Location"]).content.decode()
    )


@pytest.mark.parametrize("path", ["/welcome/", "/welcome/profile/"])
def test_anonymous_posts_change_nothing(client, portal, conditions, path):
    response = client.post(path, {"conditions": [conditions[0].pk], "visibility": "everyone"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Profile.objects.filter(conditions__isnull=False).exists()
    assert not Profile.objects.filter(visibility="everyone").exists()


@pytest.mark.parametrize("path", ["/welcome/", "/welcome/profile/", "/welcome/start/"])
def test_steps_are_private_and_never_cached(client, newcomer, path):
    response = signed_in(client, newcomer).get(path)

    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


# --- Step 1: conditions and topics -----------------------------------------------


def test_step_one_offers_conditions_and_popular_topics_with_nothing_ticked(
    client, newcomer, conditions, topics
):
    html = signed_in(client, newcomer).get("/welcome/").content.decode()

    for condition in conditions:
        assert condition.name in html
    for name in ("fatigue", "pacing", "sleep"):
        assert f"<span>{name}</span>" in html
    assert checked_values(html, "conditions") == []
    assert checked_values(html, "topics") == []
    # Fieldsets with legends, labels tied to their boxes, no script needed.
    assert html.count("<fieldset") == 2 and html.count("<legend>") == 2
    assert '<label for="id_conditions_0">' in html
    assert 'action="/welcome/"' in html and 'method="post"' in html


def test_most_used_topics_come_first(client, newcomer, topics):
    html = signed_in(client, newcomer).get("/welcome/").content.decode()

    assert html.index(">fatigue<") < html.index(">pacing<") < html.index(">sleep<")


def test_topics_only_on_unreadable_items_are_never_offered(
    client, newcomer, topics, unreadable_tag
):
    # The canary: a tag on a draft, an item in review and a restricted item only.
    html = signed_in(client, newcomer).get("/welcome/").content.decode()

    assert CANARY not in html
    assert "fatigue" in html


def test_saving_step_one_sets_conditions_and_follows_topics(client, newcomer, conditions, topics):
    response = signed_in(client, newcomer).post(
        "/welcome/",
        {
            "conditions": [conditions[0].pk, conditions[2].pk],
            "topics": [topics["fatigue"].pk, topics["sleep"].pk],
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/welcome/profile/"
    assert state(newcomer) == {
        "has_profile": True,
        "conditions": ["Caring for someone", "Relapsing-remitting MS"],
        "visibility": ProfileVisibility.MEMBERS,
        "topics": ["fatigue", "sleep"],
    }
    follow_up = client.get("/welcome/profile/").content.decode()
    assert "Saved your conditions and topics." in follow_up


def test_saving_twice_keeps_one_follow_each(client, newcomer, topics):
    data = {"topics": [topics["fatigue"].pk]}
    signed_in(client, newcomer).post("/welcome/", data)
    client.post("/welcome/", data)

    assert TopicFollow.objects.filter(follower=newcomer).count() == 1


def test_coming_back_shows_choices_ticked_and_unticking_unfollows(
    client, newcomer, conditions, topics, unreadable_tag
):
    profile = Profile.objects.get(user=newcomer)
    profile.conditions.set([conditions[1]])
    topic_follow_create(follower=newcomer, tag=topics["pacing"])
    # Followed before its only items became unreadable: not shown, so left alone.
    topic_follow_create(follower=newcomer, tag=unreadable_tag)

    html = signed_in(client, newcomer).get("/welcome/").content.decode()
    assert checked_values(html, "conditions") == [str(conditions[1].pk)]
    assert checked_values(html, "topics") == [str(topics["pacing"].pk)]
    assert CANARY not in html

    client.post("/welcome/", {"conditions": [], "topics": [topics["sleep"].pk]})

    assert state(newcomer)["conditions"] == []
    assert state(newcomer)["topics"] == sorted([CANARY, "sleep"])


def test_a_member_without_a_profile_gets_one_on_saving(client, superuser, conditions):
    assert not Profile.objects.filter(user=superuser).exists()

    signed_in(client, superuser).post("/welcome/", {"conditions": [conditions[0].pk]})

    assert state(superuser)["conditions"] == [conditions[0].name]
    assert state(superuser)["visibility"] == ProfileVisibility.MEMBERS


@pytest.mark.parametrize(
    "data",
    [
        {"conditions": ["999999"]},  # unknown id
        {"conditions": ["abc"]},
        {"conditions": [XSS]},
        {"conditions": ["9" * 30]},  # past 64 bits
        {"conditions": ["1" * 10_000]},
        {"conditions": ["-1"]},
        {"conditions": [str(pk) for pk in range(1, WELCOME_MAX_CHOICES + 2)]},
        {"topics": ["999999"]},
        {"topics": [XSS]},
        {"topics": ["9" * 30]},
        {"topics": [str(pk) for pk in range(1, WELCOME_MAX_CHOICES + 2)]},
    ],
)
def test_hostile_step_one_input_changes_nothing(client, newcomer, conditions, topics, data):
    before = state(newcomer)

    response = signed_in(client, newcomer).post("/welcome/", data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose from the list shown." in html
    assert XSS not in html and "9" * 30 not in html
    assert state(newcomer) == before


def test_a_topic_only_on_unreadable_items_is_refused_like_an_unknown_one(
    client, newcomer, topics, unreadable_tag
):
    unknown = signed_in(client, newcomer).post("/welcome/", {"topics": ["999999"]})
    unreadable = client.post("/welcome/", {"topics": [str(unreadable_tag.pk)]})

    assert unreadable.status_code == unknown.status_code == 400
    assert CANARY not in unreadable.content.decode()
    assert without_csrf_tokens(unreadable.content) == without_csrf_tokens(unknown.content)
    assert not TopicFollow.objects.filter(follower=newcomer).exists()


def test_someone_elses_ids_only_ever_change_ones_own_profile(client, newcomer, conditions):
    other = UserFactory(group="Members")
    other_profile = ProfileFactory(user=other, conditions=[conditions[2]])
    before = state(other)

    response = signed_in(client, newcomer).post(
        "/welcome/",
        {
            "conditions": [conditions[0].pk],
            "user": other.pk,
            "profile": other_profile.pk,
            "follower": other.pk,
        },
    )
    client.post("/welcome/profile/", {"visibility": "everyone", "user": other.pk})

    assert response.status_code == 302
    assert state(other) == before
    assert state(newcomer)["conditions"] == [conditions[0].name]
    assert state(newcomer)["visibility"] == "everyone"


@pytest.mark.parametrize("path", ["/welcome/", "/welcome/profile/", "/welcome/start/"])
def test_get_never_changes_anything(client, superuser, conditions, topics, path):
    # Even with a query string that looks like a form.
    signed_in(client, superuser).get(
        path,
        {"conditions": conditions[0].pk, "topics": topics["fatigue"].pk, "visibility": "everyone"},
    )

    assert not Profile.objects.filter(user=superuser).exists()
    assert not TopicFollow.objects.exists()


@pytest.mark.parametrize(
    ("path", "data"),
    [("/welcome/", {"conditions": ["1"]}), ("/welcome/profile/", {"visibility": "everyone"})],
)
def test_posts_without_a_csrf_token_are_refused(newcomer, conditions, path, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(newcomer)
    before = state(newcomer)

    response = client.post(path, data)

    assert response.status_code == 403
    assert state(newcomer) == before


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_refused(client, newcomer, method):
    for path in ("/welcome/", "/welcome/profile/", "/welcome/start/"):
        assert getattr(signed_in(client, newcomer), method)(path).status_code == 405


def test_step_one_queries_do_not_grow_with_conditions_topics_or_items(
    client, newcomer, blog_index, django_assert_max_num_queries
):
    signed_in(client, newcomer)

    def count():
        client.get("/welcome/")  # warm the per-process caches (site, menus)
        with CaptureQueriesContext(connection) as context:
            assert client.get("/welcome/").status_code == 200
        return len(context.captured_queries)

    Condition.objects.create(name="One", slug="one")
    BlogPageFactory(parent=blog_index, tags=["first"])
    topic_follow_create(follower=newcomer, tag=Tag.objects.get(name="first"))
    few = count()
    for number in range(15):
        Condition.objects.create(name=f"Condition {number}", slug=f"condition-{number}")
        BlogPageFactory(parent=blog_index, tags=[f"topic-{number}", f"other-{number}"])
        topic_follow_create(follower=newcomer, tag=Tag.objects.get(name=f"topic-{number}"))
    many = count()

    assert many == few
    with django_assert_max_num_queries(STEP_ONE_MAX_QUERIES):
        client.get("/welcome/")


# --- Step 2: who sees the profile -------------------------------------------------


def test_step_two_explains_each_choice_and_keeps_the_default(client, newcomer):
    html = signed_in(client, newcomer).get("/welcome/profile/").content.decode()

    assert checked_values(html, "visibility") == [ProfileVisibility.MEMBERS]
    for value in ProfileVisibility.values:
        assert f'value="{value}"' in html
        assert 'aria-describedby="id_visibility_' in html
    assert "your conditions of interest, without signing in" in html, (
        "Everyone makes the conditions public, and the page says so"
    )
    assert html.count("<fieldset") == 1 and "<legend>Who can see your profile</legend>" in html


@pytest.mark.parametrize("visibility", ProfileVisibility.values)
def test_saving_step_two_sets_only_the_visibility(client, newcomer, conditions, visibility):
    profile = Profile.objects.get(user=newcomer)
    profile.bio = "Mine."
    profile.save()
    profile.conditions.set([conditions[0]])

    response = signed_in(client, newcomer).post("/welcome/profile/", {"visibility": visibility})

    assert response.status_code == 302
    assert response["Location"] == "/welcome/start/"
    profile.refresh_from_db()
    assert profile.visibility == visibility
    assert profile.bio == "Mine."
    assert state(newcomer)["conditions"] == [conditions[0].name]


def test_coming_back_to_step_two_shows_the_current_choice(client, newcomer):
    Profile.objects.filter(user=newcomer).update(visibility=ProfileVisibility.ONLY_ME)

    html = signed_in(client, newcomer).get("/welcome/profile/").content.decode()

    assert checked_values(html, "visibility") == [ProfileVisibility.ONLY_ME]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"visibility": ""},
        {"visibility": "public"},
        {"visibility": XSS},
        {"visibility": "x" * 10_000},
        {"visibility": "Everyone"},
    ],
)
def test_hostile_or_missing_step_two_input_changes_nothing(client, newcomer, data):
    before = state(newcomer)

    response = signed_in(client, newcomer).post("/welcome/profile/", data)

    assert response.status_code == 400
    html = response.content.decode()
    assert XSS not in html and "x" * 100 not in html
    assert state(newcomer) == before


def test_a_repeated_visibility_counts_once_like_any_field(client, newcomer):
    response = signed_in(client, newcomer).post(
        "/welcome/profile/", {"visibility": ["everyone", "only_me"]}
    )

    assert response.status_code == 302
    assert state(newcomer)["visibility"] == ProfileVisibility.ONLY_ME


def test_step_two_queries_are_few(client, newcomer, django_assert_max_num_queries):
    signed_in(client, newcomer).get("/welcome/profile/")
    with django_assert_max_num_queries(STEP_MAX_QUERIES):
        client.get("/welcome/profile/")


# --- Step 3: write or read ------------------------------------------------------


def test_step_three_offers_writing_and_the_feed(client, newcomer, django_assert_max_num_queries):
    from accounts.services import consent_give
    from core import consent

    for kind in consent.KINDS:
        consent_give(user=newcomer, kind=kind)
    signed_in(client, newcomer).get("/welcome/start/")

    with django_assert_max_num_queries(STEP_MAX_QUERIES):
        html = client.get("/welcome/start/").content.decode()

    assert 'href="/write/"' in html and 'href="/feed/"' in html
    assert "Review your consent" not in html


def test_step_three_says_when_consent_is_needed_to_write(client, newcomer):
    html = signed_in(client, newcomer).get("/welcome/start/").content.decode()

    assert "Review your consent" in html
    assert 'href="/write/"' in html


def test_every_step_can_be_skipped_by_a_link(client, newcomer):
    signed_in(client, newcomer)

    assert 'href="/welcome/profile/">Skip this step' in client.get("/welcome/").content.decode()
    assert (
        'href="/welcome/start/">Skip this step' in client.get("/welcome/profile/").content.decode()
    )
    assert "Skip to your feed" in client.get("/welcome/start/").content.decode()


# --- The services behind the steps ------------------------------------------------


def test_visibility_service_refuses_unknown_values(newcomer):
    from social.services import profile_visibility_set

    with pytest.raises(ValueError):
        profile_visibility_set(user=newcomer, visibility="public")
    assert state(newcomer)["visibility"] == ProfileVisibility.MEMBERS


def test_interests_service_leaves_follows_it_was_not_shown_alone(newcomer, topics):
    from accounts.services import member_interests_save

    topic_follow_create(follower=newcomer, tag=topics["sleep"])
    topic_follow_create(follower=newcomer, tag=topics["pacing"])

    member_interests_save(
        user=newcomer, conditions=[], topics=[topics["fatigue"]], shown_topics=[topics["pacing"]]
    )

    assert state(newcomer)["topics"] == ["fatigue", "sleep"]
