"""Issue 10, finding 6: no shared-password restrictions, no stored passwords, no guessing form.

Wagtail's shared-password view restriction keeps the password in plain text
and its form had no throttle (60 guesses in 2.2 s). Kindred turns that kind
of restriction off, migrates existing ones to sign-in restrictions, and the
password forms' addresses answer 404.
"""

import importlib

from django.apps import apps as django_apps

from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

import pytest

from tests.factories import BlogPageFactory

migration = importlib.import_module("portal.migrations.0006_password_restrictions_to_login")

SECRET = "hunter2-shared"  # noqa: S105 (a test value)


def password_restriction(page):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=SECRET
    )


def test_the_page_privacy_form_offers_no_password(client, superuser, blog_index):
    page = BlogPageFactory(parent=blog_index, title="A post")
    client.force_login(superuser)
    response = client.get(f"/admin/pages/{page.pk}/privacy/")
    assert response.status_code == 200
    html = response.json()["html"]
    assert 'value="login"' in html
    assert 'value="password"' not in html
    assert 'name="password"' not in html


def test_the_page_privacy_form_refuses_a_posted_password_restriction(client, superuser, blog_index):
    page = BlogPageFactory(parent=blog_index, title="A post")
    client.force_login(superuser)
    client.post(
        f"/admin/pages/{page.pk}/privacy/",
        {"restriction_type": "password", "password": SECRET},
    )
    assert not PageViewRestriction.objects.filter(restriction_type="password").exists()
    assert not PageViewRestriction.objects.filter(password=SECRET).exists()


def test_the_collection_privacy_form_offers_no_password(client, superuser, portal):
    collection = Collection.get_first_root_node().add_child(name="Leaflets")
    client.force_login(superuser)
    response = client.get(f"/admin/collections/{collection.pk}/privacy/")
    assert response.status_code == 200
    html = response.json()["html"]
    assert 'value="login"' in html
    assert 'value="password"' not in html
    assert 'name="password"' not in html


def test_the_migration_turns_password_restrictions_into_login_ones(blog_index):
    page = BlogPageFactory(parent=blog_index, title="A post")
    other = BlogPageFactory(parent=blog_index, title="Another post")
    on_page = password_restriction(page)
    # A restriction switched to "login" in the admin keeps its old password in Wagtail.
    left_behind = PageViewRestriction.objects.create(
        page=other, restriction_type=PageViewRestriction.LOGIN, password=SECRET
    )
    collection = Collection.get_first_root_node().add_child(name="Leaflets")
    on_collection = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password=SECRET
    )

    migration.password_restrictions_to_login(django_apps, None)

    for restriction in (on_page, left_behind, on_collection):
        restriction.refresh_from_db()
        assert restriction.restriction_type == "login"
        assert restriction.password == ""
    assert not PageViewRestriction.objects.exclude(password="").exists()
    assert not CollectionViewRestriction.objects.exclude(password="").exists()


def test_a_migrated_page_asks_visitors_to_sign_in(client, blog_index):
    page = BlogPageFactory(parent=blog_index, title="Members only now")
    password_restriction(page)
    migration.password_restrictions_to_login(django_apps, None)
    response = client.get(page.url)
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert b"Members only now" not in response.content


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_page_password_form_answers_404_like_a_missing_one(client, blog_index, method):
    page = BlogPageFactory(parent=blog_index, title="A post")
    restriction = password_restriction(page)
    missing = getattr(client, method)(f"/_util/authenticate_with_password/999999/{page.pk}/")
    assert missing.status_code == 404
    for guess in ("wrong", SECRET, "<script>alert(1)</script>", "x" * 10_000):
        response = getattr(client, method)(
            f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
            {"password": guess, "return_url": page.url},
        )
        assert response.status_code == 404
        assert response.content == missing.content


def test_the_document_password_form_answers_404(client, portal):
    collection = Collection.get_first_root_node().add_child(name="Leaflets")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password=SECRET
    )
    for url in (
        f"/documents/authenticate_with_password/{restriction.pk}/",
        "/documents/authenticate_with_password/999999/",
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"password": SECRET, "return_url": "/"}).status_code == 404
