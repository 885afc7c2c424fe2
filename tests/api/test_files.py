"""Images and documents in the public read API: only those a readable page uses, outside
restricted collections."""

import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction
from wagtail.rich_text import RichText

import pytest
from PIL import Image as PILImage

from core.models import Audience
from tests.api.conftest import API
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db

IMAGES = f"{API}images/"
DOCUMENTS = f"{API}documents/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def collection(name, restricted=False):
    made = Collection.get_first_root_node().add_child(name=name)
    if restricted:
        CollectionViewRestriction.objects.create(collection=made, restriction_type="login")
    return made


def image(title, in_collection=None):
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 3), "white").save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title,
        file=ImageFile(io.BytesIO(buffer.getvalue()), name=f"{title}.png"),
        collection=in_collection or Collection.get_first_root_node(),
    )


def document(title, in_collection=None):
    return get_document_model().objects.create(
        title=title,
        file=ContentFile(b"%PDF-1.4\n", name=f"{title}.pdf"),
        collection=in_collection or Collection.get_first_root_node(),
    )


def showing(blog_index, *, images=(), documents=(), **kwargs):
    body = [("image", {"image": shown, "alt_text": "A picture"}) for shown in images]
    links = "".join(f'<a linktype="document" id="{doc.pk}">{doc.title}</a>' for doc in documents)
    if links:
        body.append(("paragraph", RichText(f"<p>{links}</p>")))
    return BlogPageFactory(parent=blog_index, body=body, **kwargs)


@pytest.fixture
def files(blog_index):
    shown = image("imagepublicmarker")
    leaflet = document("docpublicmarker")
    showing(blog_index, images=[shown], documents=[leaflet])
    hidden_images = {
        "unused": image("imageunusedmarker"),
        "draft": image("imagedraftmarker"),
        "members": image("imagemembersmarker"),
        "restrictedpage": image("imagerestrictedpagemarker"),
        "restrictedcollection": image("imagecollectionmarker", collection("Staff", True)),
        "newerdraft": image("imagenewerdraftmarker"),
    }
    hidden_documents = {
        "unused": document("docunusedmarker"),
        "draft": document("docdraftmarker"),
        "members": document("docmembersmarker"),
        "restrictedcollection": document("doccollectionmarker", collection("Board", True)),
    }
    showing(
        blog_index,
        images=[hidden_images["draft"]],
        documents=[hidden_documents["draft"]],
        publish=False,
    )
    showing(
        blog_index,
        images=[hidden_images["members"]],
        documents=[hidden_documents["members"]],
        audience=Audience.MEMBERS,
    )
    restricted = showing(blog_index, images=[hidden_images["restrictedpage"]])
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    showing(
        blog_index,
        images=[hidden_images["restrictedcollection"]],
        documents=[hidden_documents["restrictedcollection"]],
    )
    live = showing(blog_index, images=[shown])
    live.body = [("image", {"image": hidden_images["newerdraft"], "alt_text": "Later"})]
    live.save_revision()
    return shown, leaflet, hidden_images, hidden_documents


def test_only_images_on_readable_pages(client, files):
    shown, _, hidden_images, _ = files
    listing = client.get(IMAGES, {"fields": "*"})
    assert [item["title"] for item in listing.json()["items"]] == ["imagepublicmarker"]
    assert "marker" not in listing.content.decode().replace("imagepublicmarker", "")
    detail = client.get(f"{IMAGES}{shown.pk}/").json()
    assert (detail["title"], detail["width"], detail["height"]) == ("imagepublicmarker", 4, 3)
    # No link to the original upload (it may carry the camera's metadata).
    assert "download_url" not in detail["meta"]
    missing = client.get(f"{IMAGES}987654321/")
    for kind, hidden_image in hidden_images.items():
        response = client.get(f"{IMAGES}{hidden_image.pk}/")
        assert (response.status_code, response.content) == (404, missing.content), kind
        assert client.get(IMAGES, {"id": hidden_image.pk}).json()["items"] == [], kind


def test_only_documents_linked_from_readable_pages(client, files):
    _, leaflet, _, hidden_documents = files
    listing = client.get(DOCUMENTS, {"fields": "*"})
    items = listing.json()["items"]
    assert [item["title"] for item in items] == ["docpublicmarker"]
    assert items[0]["meta"]["download_url"].endswith(f"/documents/{leaflet.pk}/docpublicmarker.pdf")
    assert "marker" not in listing.content.decode().replace("docpublicmarker", "")
    missing = client.get(f"{DOCUMENTS}987654321/")
    for kind, hidden_document in hidden_documents.items():
        response = client.get(f"{DOCUMENTS}{hidden_document.pk}/")
        assert (response.status_code, response.content) == (404, missing.content), kind


def test_files_have_no_search_and_no_filter_on_other_fields(client, files):
    for endpoint in (IMAGES, DOCUMENTS):
        assert client.get(endpoint, {"search": "marker"}).status_code == 400
        assert client.get(endpoint, {"collection": "1"}).status_code == 400
        assert client.get(endpoint, {"uploaded_by_user": "1"}).status_code == 400
        assert client.get(endpoint, {"fields": "uploaded_by_user"}).status_code == 400
