"""A contribution refuses like every other service: ``core.refusals.Refused`` (issue 11)."""

import inspect
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from authoring import kinds, selectors, services
from authoring.forms import ContributionForm
from authoring.kinds import KINDS
from core.refusals import Refused

pytestmark = pytest.mark.django_db


def _blog_data(title="Pacing"):
    form = ContributionForm(
        {"title": title, "summary": "s", "body": "b", "tags": "", "audience": "everyone"}
    )
    assert form.is_valid(), form.errors
    return form.cleaned_data


def test_withdrawing_a_draft_is_a_refusal_with_its_status_and_words(writer, portal):
    draft = services.contribution_save_draft(user=writer, kind=KINDS["blog"], data=_blog_data())

    with pytest.raises(Refused) as refusal:
        services.contribution_withdraw(user=writer, page=draft)

    assert refusal.value.status == 400
    assert refusal.value.message == "This item is not in review."


def test_the_daily_limit_is_a_refusal_that_names_the_saved_draft(client, writer, portal):
    writer.date_joined = timezone.now() - timedelta(days=1)
    writer.save(update_fields=["date_joined"])
    blog = KINDS["blog"]
    for number in range(services.NEW_MEMBER_DAILY_SUBMISSIONS):
        services.contribution_save_and_submit(
            user=writer, kind=blog, data=_blog_data(f"Post {number}")
        )

    with pytest.raises(Refused) as refusal:
        services.contribution_save_and_submit(user=writer, kind=blog, data=_blog_data("One more"))

    assert refusal.value.status == 429
    assert "Your draft is saved" in refusal.value.message
    assert refusal.value.page.title == "One more"
    assert not selectors.contribution_state(refusal.value.page).in_review

    # The view answers with the same status and the same words.
    client.force_login(writer)
    response = client.post(
        reverse("authoring:submit", args=(refusal.value.page.pk,)), {"action": "submit"}
    )
    assert response.status_code == 429
    assert refusal.value.message in response.content.decode()


@pytest.mark.parametrize("module", [services, selectors, kinds])
def test_every_service_and_selector_signature_has_type_hints(module):
    functions = [
        function
        for _name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
    ]
    assert functions
    for function in functions:
        signature = inspect.signature(function)
        unhinted = [
            name
            for name, parameter in signature.parameters.items()
            if parameter.annotation is inspect.Parameter.empty
        ]
        assert unhinted == [], f"{function.__qualname__}: no type for {unhinted}"
        assert signature.return_annotation is not inspect.Signature.empty, function.__qualname__
