"""Finding 15 (issue 10): a private document answers exactly as a missing one does.

A visitor is sent to sign in (with ``next=``) for both; a signed-in member
without access gets the same 404 for both. Only a reader who passes the
collection's restriction gets the file (core.documents).
"""

import re
from urllib.parse import parse_qs, urlsplit

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

import pytest

from core import roles

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% Kindred test document\n"
# Measured on SQLite: the session and user, the site's middleware, the document
# with its collection, its restrictions (ours, then Wagtail's check again) and
# the reader's groups; the same for 1 or 20 documents.
SERVE_QUERIES = 17


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def collection(name, restriction=None, groups=()):
    made = Collection.get_first_root_node().add_child(name=name)
    if restriction is not None:
        rule = CollectionViewRestriction.objects.create(
            collection=made, restriction_type=restriction
        )
        rule.groups.set(groups)
    return made


def document(title, in_collection):
    return get_document_model().objects.create(
        title=title, collection=in_collection, file=ContentFile(PDF, name=f"{title}.pdf")
    )


@pytest.fixture
def docs(portal):
    editors = Group.objects.get(name=roles.EDITORS)
    return {
        "public": document("leaflet", collection("Public")),
        "members": document("members-handout", collection("Members", "login")),
        "editors": document("editors-notes", collection("Editors", "groups", [editors])),
    }


def missing_urls(docs):
    """Addresses that name no document: unknown id, wrong name, absurd id."""
    private = docs["members"]
    return [
        f"/documents/{private.pk + 1000}/{private.filename}",
        f"/documents/{private.pk}/someone-else.pdf",
        f"/documents/{'9' * 30}/x.pdf",
        f"/documents/{private.pk}/",
    ]


def answer(response):
    """What a reader can tell from a response, minus the address it was asked for."""
    if response.status_code == 302:
        location = urlsplit(response["Location"])
        return (302, location.path, sorted(parse_qs(location.query)))
    body = response.content.decode() if response.status_code == 404 else ""
    # Per-response secrets (CSRF token, CSP nonce) differ on every page.
    return (response.status_code, re.sub(r'(value|nonce)="[^"]*"', "", body))


def test_a_visitor_is_sent_to_sign_in_for_private_and_missing_documents_alike(client, docs):
    private = client.get(docs["members"].url)
    assert private.status_code == 302
    location = urlsplit(private["Location"])
    assert location.path == "/accounts/login/"
    assert parse_qs(location.query)["next"] == [docs["members"].url]
    assert "no-store" in private["Cache-Control"]

    for url in [docs["editors"].url, *missing_urls(docs)]:
        response = client.get(url)
        assert answer(response) == answer(private), url
        assert parse_qs(urlsplit(response["Location"]).query)["next"] == [url]
        assert "no-store" in response["Cache-Control"]


def test_a_member_without_access_gets_the_404_of_a_missing_document(client, docs, member):
    client.force_login(member)
    refused = client.get(docs["editors"].url)
    assert refused.status_code == 404

    for url in missing_urls(docs):
        assert answer(client.get(url)) == answer(refused), url


def test_readers_who_may_have_a_document_get_it(client, docs, member, editor):
    assert client.get(docs["public"].url).status_code == 200

    client.force_login(member)
    response = client.get(docs["members"].url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "no-store" in response["Cache-Control"]

    client.force_login(editor)
    assert client.get(docs["editors"].url).status_code == 200


def test_wagtails_own_view_answers_the_same_through_the_hook(rf, docs, member):
    # Should any route reach Wagtail's view directly, the hook refuses alike.
    from django.contrib.auth.models import AnonymousUser

    from wagtail.documents.views.serve import serve

    request = rf.get(docs["members"].url)
    request.user = AnonymousUser()
    response = serve(request, str(docs["members"].pk), docs["members"].filename)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/accounts/login/"

    request.user = member
    from django.http import Http404

    with pytest.raises(Http404):
        serve(request, str(docs["editors"].pk), docs["editors"].filename)


@pytest.mark.parametrize(
    "path",
    [
        "/documents/1/<script>alert(1)</script>.pdf",
        "/documents/1/" + "a" * 5000 + ".pdf",
        "/documents/-1/x.pdf",
        "/documents/1/../../etc/passwd",
    ],
)
def test_hostile_addresses_answer_like_missing_ones(client, docs, member, path):
    visitor = client.get(path)
    assert visitor.status_code in (302, 404)
    if visitor.status_code == 302:
        assert urlsplit(visitor["Location"]).path == "/accounts/login/"
    client.force_login(member)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("count", [1, 20])
def test_serving_costs_the_same_however_many_documents_exist(
    client, docs, editor, django_assert_max_num_queries, count
):
    for number in range(count):
        document(f"extra-{number}", docs["editors"].collection)
    client.force_login(editor)
    with django_assert_max_num_queries(SERVE_QUERIES):
        assert client.get(docs["editors"].url).status_code == 200
