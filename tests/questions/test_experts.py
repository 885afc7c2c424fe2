"""Verified clinicians: the Experts group AND a verification record; the badge; the admin
where Medical reviewers verify them and Editors keep the standard replies."""

from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

import pytest

from core import roles
from core.models import CommunityIndexPage, Condition
from questions.models import ExpertVerification, StandardReply
from questions.selectors.experts import (
    is_verified_clinician,
    verification_for,
    verified_clinicians,
)
from tests.factories import (
    CommunityPageFactory,
    ExpertVerificationFactory,
    QuestionPageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# --- Helpers the other test modules of this folder share ----------------------------


def condition(name="Multiple sclerosis"):
    return Condition.objects.get_or_create(name=name, defaults={"slug": name.lower()[:50]})[0]


def verified(name="Dr Verified", conditions=(), profession="Neurologist"):
    """A verified clinician: in the Experts group, with a verification record."""
    user = UserFactory(group=roles.EXPERTS, display_name=name)
    ExpertVerificationFactory(user=user, conditions=list(conditions), profession=profession)
    return user


def ask(question_index, conditions=(), **kwargs):
    """A published question (everyone may read it unless ``audience`` says otherwise)."""
    kwargs.setdefault("author", UserFactory(group=roles.MEMBERS, display_name="Asker Real Name"))
    return QuestionPageFactory(parent=question_index, conditions=list(conditions), **kwargs)


def place(**fields):
    """A published, listed community (open to join)."""
    return CommunityPageFactory(parent=CommunityIndexPage.objects.get(), **fields)


def signed_in(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


# --- The selector -------------------------------------------------------------------


def test_verified_means_the_group_and_the_record(portal):
    both = verified()
    group_only = UserFactory(group=roles.EXPERTS)
    record_only = UserFactory(group=roles.MEMBERS)
    ExpertVerificationFactory(user=record_only)

    assert is_verified_clinician(both)
    assert not is_verified_clinician(group_only)
    assert not is_verified_clinician(record_only)
    assert verification_for(both).profession == "Neurologist"
    assert verification_for(None) is None


def test_a_visitor_is_not_a_verified_clinician(portal):
    from django.contrib.auth.models import AnonymousUser

    assert not is_verified_clinician(AnonymousUser())


def test_verified_clinicians_maps_ids_to_professions_in_one_query(
    portal, django_assert_num_queries
):
    neuro = verified(profession="Neurologist")
    nurse = verified(name="Nurse", profession="MS specialist nurse")
    plain = UserFactory()
    left_group = verified(name="Left")
    left_group.groups.clear()

    with django_assert_num_queries(1):
        found = verified_clinicians([neuro.pk, nurse.pk, plain.pk, left_group.pk, None])

    assert found == {neuro.pk: "Neurologist", nurse.pk: "MS specialist nurse"}


def test_verified_clinicians_of_nobody_asks_nothing(portal, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert verified_clinicians([]) == {}


def test_the_badge_names_the_profession_escaped():
    html = render_to_string(
        "questions/includes/expert_badge.html", {"profession": "<script>alert(1)</script>GP"}
    )

    assert "Verified clinician · &lt;script&gt;alert(1)&lt;/script&gt;GP" in html
    assert "<script>" not in html
    assert render_to_string("questions/includes/expert_badge.html", {}).strip() == ""


# --- The admin ----------------------------------------------------------------------

VERIFICATIONS = "expert-verifications"
REPLIES = "standard-replies"


def admin_url(name, action="index", *args):
    return reverse(f"{name}:{action}", args=args)


@pytest.mark.parametrize(
    ("group", "verifications", "replies"),
    [
        (roles.MEDICAL_REVIEWERS, 200, 302),
        (roles.EDITORS, 302, 200),
        (roles.EXPERTS, 302, 302),
        (roles.MEMBERS, 302, 302),
        (roles.COMMUNITY_MANAGERS, 302, 302),
    ],
)
def test_each_admin_list_opens_to_its_own_group_only(portal, group, verifications, replies):
    client = signed_in(UserFactory(group=group))

    for name, expected in ((VERIFICATIONS, verifications), (REPLIES, replies)):
        for action in ("index", "add"):
            response = client.get(admin_url(name, action))
            assert response.status_code == expected, (name, action)
            if expected == 302:
                # Wagtail sends those without the permission away, never shows the page.
                assert "verification" not in response.content.decode().lower()


def test_a_medical_reviewer_verifies_an_expert_and_is_recorded_as_verifier(portal, medic):
    clinician = UserFactory(group=roles.EXPERTS, display_name="Dr New")
    ms = condition()

    response = signed_in(medic).post(
        admin_url(VERIFICATIONS, "add"),
        {
            "user": clinician.pk,
            "profession": "Neurologist",
            "registration_body": "General Medical Council",
            "registration_number": "GMC1234567",
            "conditions": [ms.pk],
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    record = ExpertVerification.objects.get(user=clinician)
    assert record.verified_by == medic
    assert list(record.conditions.all()) == [ms]
    assert is_verified_clinician(clinician)


def test_only_people_in_the_experts_group_can_be_verified(portal, medic):
    member = UserFactory(group=roles.MEMBERS, display_name="Just A Member")
    client = signed_in(medic)

    form_page = client.get(admin_url(VERIFICATIONS, "add")).content.decode()
    response = client.post(
        admin_url(VERIFICATIONS, "add"),
        {
            "user": member.pk,
            "profession": "Neurologist",
            "registration_body": "GMC",
            "registration_number": "1",
        },
    )

    assert "Just A Member" not in form_page
    assert response.status_code == 200
    assert not ExpertVerification.objects.exists()


def test_a_change_of_registration_is_stamped_by_whoever_checked_it(portal, medic):
    clinician = verified()
    record = ExpertVerification.objects.get(user=clinician)
    record.verified_by, record.verified_at = None, record.verified_at.replace(year=2020)
    record.save()
    client = signed_in(medic)
    data = {
        "user": clinician.pk,
        "profession": "Consultant neurologist",
        "registration_body": record.registration_body,
        "registration_number": record.registration_number,
    }

    client.post(admin_url(VERIFICATIONS, "edit", record.pk), data)
    record.refresh_from_db()
    assert record.verified_by is None  # the profession alone is no new registration
    assert record.profession == "Consultant neurologist"

    client.post(admin_url(VERIFICATIONS, "edit", record.pk), {**data, "registration_number": "X9"})
    record.refresh_from_db()
    assert record.verified_by == medic
    assert record.verified_at.year > 2020


def test_hostile_input_in_the_verification_form_is_a_form_error(portal, medic):
    client = signed_in(medic)

    for user in ("abc", "999999", "", "-1"):
        response = client.post(
            admin_url(VERIFICATIONS, "add"),
            {
                "user": user,
                "profession": "x" * 500,
                "registration_body": "<script>alert(1)</script>",
                "registration_number": "1",
            },
        )
        assert response.status_code == 200
    assert not ExpertVerification.objects.exists()


def test_an_editor_keeps_the_standard_replies(portal, editor):
    client = signed_in(editor)

    response = client.post(
        admin_url(REPLIES, "add"),
        {"name": "Personal diagnosis", "text": "We cannot assess you here. Ask your GP."},
    )

    assert response.status_code == 302
    reply = StandardReply.objects.get()
    listing = client.get(admin_url(REPLIES)).content.decode()
    assert "Personal diagnosis" in listing
    response = client.post(
        admin_url(REPLIES, "edit", reply.pk), {"name": "Diagnosis", "text": "x" * 5000}
    )
    assert response.status_code == 200  # too long: the form says so
    reply.refresh_from_db()
    assert reply.name == "Personal diagnosis"


def test_a_medical_reviewer_cannot_change_a_standard_reply_by_address(portal, medic, editor):
    reply = StandardReply.objects.create(name="Diagnosis", text="Ask your GP.")

    response = signed_in(medic).post(
        admin_url(REPLIES, "edit", reply.pk), {"name": "Changed", "text": "Changed"}
    )

    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.name == "Diagnosis"


def test_an_editor_cannot_verify_anyone_by_address(portal, editor):
    clinician = UserFactory(group=roles.EXPERTS)

    response = signed_in(editor).post(
        admin_url(VERIFICATIONS, "add"),
        {
            "user": clinician.pk,
            "profession": "Neurologist",
            "registration_body": "GMC",
            "registration_number": "1",
        },
    )

    assert response.status_code == 302
    assert not ExpertVerification.objects.exists()


def test_the_verification_list_names_clinicians_by_public_name_only(portal, medic):
    clinician = verified(name="Dr <b>Bold</b>", profession="Neurologist")
    record = ExpertVerification.objects.get(user=clinician)
    record.verified_by = medic
    record.save()

    html = signed_in(medic).get(admin_url(VERIFICATIONS)).content.decode()

    assert "Dr &lt;b&gt;Bold&lt;/b&gt;" in html
    assert "Neurologist" in html
    assert record.registration_number in html
    assert "Dr Medical Reviewer" in html
    assert clinician.email not in html
    assert clinician.username not in html
