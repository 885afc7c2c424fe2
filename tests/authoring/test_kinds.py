"""Each kind carries its own mapping: form to page and page back to form (issue 11).

The services and views only ask the kind; a field one kind has and another
lacks is never looked up by the kind's slug.
"""

import ast
import inspect
from pathlib import Path

from django.urls import reverse

import pytest

from authoring import forms, services
from authoring.kinds import KINDS, kind_of
from authoring.services import contribution_save_draft
from blogs.models import BlogPage
from core.models import Condition

pytestmark = pytest.mark.django_db

COMMON = {
    "title": "How I learned to pace",
    "summary": "Energy is a budget.",
    "body": "## The start\n\nI was **tired** all the time.",
    "tags": "fatigue, work",
    "audience": "everyone",
    # The author's consent to sharing (a checkbox: its initial value comes back as "True").
    "may_be_shared": "True",
    # Not the default language, so the mapping both ways is seen (issue 18).
    "language": "de",
}


def _data_for(slug):
    """Form data for ``slug``, with a value in every one of its own fields."""
    if slug == "story":
        condition, _ = Condition.objects.get_or_create(name="Relapsing-remitting MS")
        return {
            **COMMON,
            "condition": str(condition.pk),
            "treatments": "physiotherapy, rest",
            "year_of_diagnosis": "2019",
            "byline": "anonymous",
        }
    if slug == "article":
        return {
            **COMMON,
            "credentials": "Consultant neurologist, MS clinic",
            "references": "Smith 2020, Lancet | https://example.org/a\nJones 2021, BMJ",
        }
    return dict(COMMON)


def _cleaned(kind, data):
    form = kind.form_class(data)
    assert form.is_valid(), form.errors
    return form.cleaned_data


def _as_posted(initial):
    """The edit form's initial values as the browser sends them back."""
    return {name: "" if value is None else str(value) for name, value in initial.items()}


@pytest.mark.parametrize("slug", list(KINDS))
def test_each_kind_maps_its_form_onto_a_page_and_back(slug, writer, expert_writer, portal):
    kind = KINDS[slug]
    author = expert_writer if kind.experts_only else writer
    data = _data_for(slug)

    page = contribution_save_draft(user=author, kind=kind, data=_cleaned(kind, data))
    initial = kind.initial(page.get_latest_revision_as_object())

    # Every field of the kind's form is filled from the page, nothing else.
    assert set(initial) == set(kind.form_class.base_fields) - {"submission"}
    # What the writer typed comes back as they typed it (the body is re-rendered
    # from blocks, so it is compared after one round trip below).
    assert {name: value for name, value in _as_posted(initial).items() if name != "body"} == {
        name: value for name, value in data.items() if name != "body"
    }
    # Saving the edit form unchanged gives the same page again.
    again = contribution_save_draft(
        user=author, kind=kind, data=_cleaned(kind, _as_posted(initial)), page=page
    )
    assert kind.initial(again.get_latest_revision_as_object()) == initial
    assert kind_of(again) is kind


def test_another_kinds_fields_posted_to_a_blog_are_ignored(client, writer, portal):
    client.force_login(writer)
    response = client.post(
        reverse("authoring:write_new", args=("blog",)),
        {
            **COMMON,
            "action": "save",
            # A story's and an article's fields, crafted onto a blog post.
            "byline": "anonymous",
            "treatments": "physiotherapy",
            "credentials": "Consultant neurologist",
            "references": "Smith 2020",
        },
    )

    assert response.status_code == 302
    blog = BlogPage.objects.get().get_latest_revision_as_object()
    assert blog.is_anonymous is False
    assert set(KINDS["blog"].initial(blog)) == {
        "title",
        "summary",
        "body",
        "tags",
        "audience",
        "may_be_shared",
        "language",
    }


@pytest.mark.parametrize("module", [services, forms])
def test_services_and_forms_never_branch_on_a_kind_slug(module):
    tree = ast.parse(Path(inspect.getfile(module)).read_text())
    slug_reads = [
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.Attribute) and node.attr == "slug")
        or (isinstance(node, ast.Name) and node.id == "kind_slug")
    ]
    assert slug_reads == [], f"{module.__name__} looks at a kind's slug on lines {slug_reads}"


@pytest.mark.parametrize("slug", list(KINDS))
def test_the_edit_form_costs_little_more_with_the_most_tags_and_references(
    slug, client, writer, expert_writer, portal, django_assert_max_num_queries
):
    kind = KINDS[slug]
    author = expert_writer if kind.experts_only else writer
    client.force_login(author)

    def edit_page_queries(data):
        page = contribution_save_draft(user=author, kind=kind, data=_cleaned(kind, data))
        with django_assert_max_num_queries(70) as counted:
            response = client.get(reverse("authoring:edit", args=(page.pk,)))
        assert response.status_code == 200
        assert data["tags"].split(", ")[-1] in response.content.decode()
        return len(counted.captured_queries)

    few = _data_for(slug)
    most = {
        **few,
        "title": "With everything",
        "tags": ", ".join(f"topic {number}" for number in range(forms.MAX_TAGS)),
    }
    if slug == "story":
        most["treatments"] = ", ".join(f"care {number}" for number in range(forms.MAX_TAGS))
    if slug == "article":
        most["references"] = "\n".join(f"Source {number}" for number in range(forms.MAX_REFERENCES))
    extra_tags = sum(
        len(most[name].split(", ")) - len(few[name].split(", "))
        for name in ("tags", "treatments")
        if name in few
    )

    with_few = edit_page_queries(few)
    with_most = edit_page_queries(most)

    assert with_few <= 36
    # Wagtail's revision loading (modelcluster's check_fks) looks up each tag and
    # its page once: two queries a tag, at most MAX_TAGS of each kind. Reading the
    # names for the form is one query however many tags; references cost nothing.
    assert with_most <= with_few + 2 * extra_tags
