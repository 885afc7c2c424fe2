"""/me/profile/: what a member may change, and what hostile input gets back."""

from django.test import Client

import pytest
from bs4 import BeautifulSoup

from core.models import Condition
from social.models import Profile
from social.services import profile_get_or_create
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/me/profile/"


@pytest.fixture
def conditions(portal):
    return [
        Condition.objects.create(name="Relapsing-remitting MS", slug="rrms"),
        Condition.objects.create(name="Primary progressive MS", slug="ppms"),
    ]


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def valid_data(**overrides):
    data = {
        "display_name": "Sky Walker",
        "bio": "Diagnosed in 2019.",
        "visibility": "everyone",
    }
    data.update(overrides)
    return data


def test_anonymous_visitor_is_sent_to_sign_in(client, portal):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_form_is_private_and_prefilled(signed_in, member):
    ProfileFactory(user=member, bio="Cyclist, slowly.")

    response = signed_in.get(URL)

    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "Cyclist, slowly." in html
    assert member.display_name in html


def test_opening_the_form_creates_no_profile(signed_in, member):
    response = signed_in.get(URL)

    assert response.status_code == 200
    assert not Profile.objects.filter(user=member).exists()
    assert "/members/" not in response.content.decode()


def test_first_save_creates_the_profile(signed_in, member):
    signed_in.post(URL, valid_data())

    profile = Profile.objects.get(user=member)
    assert profile.visibility == "everyone"
    assert profile.get_absolute_url() in signed_in.get(URL).content.decode()


def test_saving_every_field(signed_in, member, conditions):
    response = signed_in.post(
        URL,
        valid_data(
            display_name="  Sky   Walker  ",
            bio="Line one\r\nLine two",
            conditions=[conditions[1].pk],
            visibility="only_me",
            show_in_suggestions="on",
        ),
    )

    assert response.status_code == 302
    assert response.url == URL
    assert "no-store" in response["Cache-Control"]
    member.refresh_from_db()
    profile = Profile.objects.get(user=member)
    assert member.display_name == "Sky   Walker", "trimmed at the ends"
    assert profile.bio == "Line one\nLine two"
    assert list(profile.conditions.all()) == [conditions[1]]
    assert profile.visibility == "only_me"
    assert profile.show_in_suggestions is True


def test_unticking_clears_conditions_and_suggestions(signed_in, member, conditions):
    ProfileFactory(user=member, conditions=conditions, show_in_suggestions=True)

    signed_in.post(URL, valid_data())

    profile = Profile.objects.get(user=member)
    assert list(profile.conditions.all()) == []
    assert profile.show_in_suggestions is False


def test_get_does_not_change_anything(signed_in, member):
    signed_in.get(URL, valid_data(display_name="Changed By Get"))

    member.refresh_from_db()
    assert member.display_name == "MemberOne"


def test_post_needs_csrf(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post(URL, valid_data(display_name="Forged Name"))

    assert response.status_code == 403
    member.refresh_from_db()
    assert member.display_name == "MemberOne"


def test_post_with_the_csrf_token_works(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    client.get(URL)
    token = client.cookies["csrftoken"].value

    response = client.post(URL, valid_data(csrfmiddlewaretoken=token))

    assert response.status_code == 302


def test_extra_fields_cannot_touch_another_profile(signed_in, member, portal):
    other = ProfileFactory(user=UserFactory(display_name="Other Person"), bio="Theirs")

    signed_in.post(
        URL,
        valid_data(
            bio="Mine",
            user=other.user_id,
            user_id=other.user_id,
            profile=other.pk,
            handle=other.handle,
            avatar_name="../../etc/passwd",
        ),
    )

    other.refresh_from_db()
    other.user.refresh_from_db()
    assert other.bio == "Theirs"
    assert other.user.display_name == "Other Person"
    mine = Profile.objects.get(user=member)
    assert mine.bio == "Mine"
    assert mine.handle != other.handle


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"display_name": ""}, "display_name"),
        ({"display_name": "   "}, "display_name"),
        ({"display_name": "x"}, "display_name"),
        ({"display_name": " x "}, "display_name"),
        ({"display_name": "x" * 61}, "display_name"),
        ({"display_name": "jane@example.org"}, "display_name"),
        ({"display_name": "Call me: jane.doe@mail.example.com"}, "display_name"),
        ({"display_name": "Bell\x07Ringer"}, "display_name"),
        ({"display_name": "Nul\x00Byte"}, "display_name"),
        ({"display_name": "Line\nBreak"}, "display_name"),
        ({"display_name": "evil\u202emoc.liame"}, "display_name"),
        ({"bio": "x" * 10_000}, "bio"),
        ({"bio": "x" * 501}, "bio"),
        ({"bio": "Escape\x1b[31m"}, "bio"),
        ({"visibility": "root"}, "visibility"),
        ({"visibility": ""}, "visibility"),
        ({"conditions": [999999]}, "conditions"),
        ({"conditions": ["abc"]}, "conditions"),
        ({"conditions": ["1 OR 1=1"]}, "conditions"),
        ({"conditions": ["99999999999999999999999999"]}, "conditions"),
        ({"show_in_suggestions": "maybe"}, None),
    ],
)
def test_bad_input_is_a_form_error_never_a_500(signed_in, member, overrides, field):
    profile_get_or_create(user=member)

    response = signed_in.post(URL, valid_data(**overrides))

    if field is None:
        # A checkbox sends anything or nothing; any value means "ticked".
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'class="errorlist' in response.content.decode()
    member.refresh_from_db()
    assert member.display_name == "MemberOne", "nothing is saved from an invalid form"


def test_missing_fields_are_form_errors(signed_in, member):
    response = signed_in.post(URL, {})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"display_name", "visibility"}


def test_a_bio_of_exactly_500_characters_with_line_breaks_is_accepted(signed_in, member):
    # 500 characters once a line break counts as one.
    bio = ("x" * 99 + "\r\n") * 4 + "x" * 100

    response = signed_in.post(URL, valid_data(bio=bio))

    assert response.status_code == 302
    assert len(Profile.objects.get(user=member).bio) == 500


def test_emoji_names_are_allowed(signed_in, member):
    # The zero-width joiner inside the emoji is not a control character.
    response = signed_in.post(URL, valid_data(display_name="Nurse 👩\u200d⚕️ Jo"))

    assert response.status_code == 302


def test_another_members_condition_choice_is_just_a_shared_condition(signed_in, member, conditions):
    # Conditions are one managed list: ticking one someone else ticked is fine
    # and does not touch their profile.
    other = ProfileFactory(user=UserFactory(), conditions=[conditions[0]])

    signed_in.post(URL, valid_data(conditions=[conditions[0].pk]))

    assert list(other.conditions.all()) == [conditions[0]]
    assert list(Profile.objects.get(user=member).conditions.all()) == [conditions[0]]


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_refused(signed_in, method):
    assert getattr(signed_in, method)(URL).status_code == 405


def test_the_form_says_plainly_that_everyone_makes_the_conditions_public(signed_in, conditions):
    """Said next to the fields, so it stays true whichever choice is ticked, without scripts."""
    soup = BeautifulSoup(signed_in.get(URL).content.decode(), "html.parser")

    everyone = soup.select_one("input[name=visibility][value=everyone]")
    label = soup.select_one(f"label[for={everyone['id']}]").get_text(" ", strip=True)
    assert "conditions of interest, is public" in label
    fieldset = soup.select_one("input[name=conditions]").find_parent("fieldset")
    help_text = soup.select_one(f"#{fieldset['aria-describedby']}").get_text(" ", strip=True)
    assert "If you choose “Everyone” below, your conditions of interest are public" in help_text
    assert fieldset.select_one(f"#{fieldset['aria-describedby']}") is not None
    # Other choices do not claim it.
    members = soup.select_one("input[name=visibility][value=members]")
    assert "public" not in soup.select_one(f"label[for={members['id']}]").get_text()
