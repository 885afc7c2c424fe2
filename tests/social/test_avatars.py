"""Avatar uploads: checked by content, capped, stripped of metadata, randomly named."""

import io
import os
import re
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import ExifTags, Image, ImageCms

from social.avatars import MAX_UPLOAD_BYTES
from social.models import Profile
from social.services import profile_get_or_create

pytestmark = pytest.mark.django_db

URL = "/me/profile/"
RED = (255, 0, 0)
BLUE = (0, 0, 255)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    # Each test gets its own media directory so files can be counted.
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    profile_get_or_create(user=member)
    return client


def image_bytes(size=(64, 64), image_format="PNG", color=RED, mode="RGB", **save_options):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, image_format, **save_options)
    return buffer.getvalue()


def photo_with_gps(size=(1200, 900)):
    """A JPEG like a phone makes: EXIF with GPS and camera, orientation, XMP, ICC, comment."""
    image = Image.new("RGB", size, RED)
    # Right half blue, so the orientation test can tell which way is up.
    image.paste(BLUE, (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.Base.Model] = "Serial 12345"
    exif[ExifTags.Base.Orientation] = 6  # shown rotated 90° clockwise
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    image.save(
        buffer,
        "JPEG",
        exif=exif.tobytes(),
        icc_profile=icc,
        comment=b"Jane Doe, 12 Home Street",
        xmp=b"<x:xmpmeta>Jane Doe</x:xmpmeta>",
    )
    return buffer.getvalue()


def upload(client, content, name="avatar.jpg", content_type="image/jpeg", **extra):
    data = {"display_name": "Sky Walker", "visibility": "members", **extra}
    if content is not None:
        data["avatar"] = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(URL, data)


def stored_files(root):
    return sorted(path for path in Path(root).rglob("*") if path.is_file())


def test_phone_photo_is_stripped_rotated_resized_and_renamed(signed_in, member, media_root):
    original = photo_with_gps()
    with Image.open(io.BytesIO(original)) as check:
        assert check.getexif().get_ifd(ExifTags.IFD.GPSInfo), "the fixture really carries GPS"

    response = upload(signed_in, original, name="jane-doe-home.jpg")

    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    assert re.fullmatch(r"avatars/[0-9a-f]{32}\.jpg", profile.avatar.name)
    assert "jane" not in profile.avatar.url
    stored = default_storage.open(profile.avatar.name).read()
    for secret in (b"Jane Doe", b"PhoneCo", b"Serial 12345", b"Exif", b"xmpmeta", b"ICC_PROFILE"):
        assert secret not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert max(image.size) <= 512
        assert image.size == (512, 512)
        assert not image.getexif()
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "icc_profile" not in image.info
        assert "comment" not in image.info
        assert "xmp" not in image.info
        # Orientation 6 turns the left (red) half to the top; unrotated, the
        # top right would be blue and the bottom left red.
        rgb = image.convert("RGB")
        top, bottom = rgb.getpixel((384, 20)), rgb.getpixel((128, 490))
    assert top[0] > 200 and top[2] < 60, top
    assert bottom[2] > 200 and bottom[0] < 60, bottom


def test_the_stored_avatar_is_shown_on_the_profile(signed_in, member):
    upload(signed_in, photo_with_gps())
    profile = Profile.objects.get(user=member)

    html = signed_in.get(profile.get_absolute_url()).content.decode()

    assert f'src="{profile.avatar.url}"' in html


@pytest.mark.parametrize(
    ("image_format", "extension"),
    [("PNG", "jpg"), ("WEBP", "jpg"), ("GIF", "jpg"), ("JPEG", "jpg")],
)
def test_each_accepted_format_is_reencoded(signed_in, member, image_format, extension):
    response = upload(
        signed_in, image_bytes((100, 80), image_format), name="a.bin", content_type="x/y"
    )

    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    assert profile.avatar.name.endswith(f".{extension}")
    with default_storage.open(profile.avatar.name) as stored, Image.open(stored) as image:
        assert image.size == (80, 80), "cropped to a square, never enlarged"


def test_transparent_png_stays_png_with_its_alpha(signed_in, member):
    response = upload(
        signed_in, image_bytes((64, 64), "PNG", color=(0, 0, 0, 0), mode="RGBA"), name="t.png"
    )

    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    assert profile.avatar.name.endswith(".png")
    with default_storage.open(profile.avatar.name) as stored, Image.open(stored) as image:
        assert image.mode == "RGBA"
        assert image.getpixel((0, 0))[3] == 0
        assert not image.text


def test_animated_gif_keeps_its_first_frame(signed_in, member):
    frames = [Image.new("RGB", (64, 64), color) for color in (RED, BLUE, BLUE)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)

    response = upload(signed_in, buffer.getvalue(), name="a.gif", content_type="image/gif")

    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    with default_storage.open(profile.avatar.name) as stored, Image.open(stored) as image:
        assert getattr(image, "n_frames", 1) == 1
        red, _, blue = image.convert("RGB").getpixel((32, 32))
    assert red > 200 and blue < 60


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
    b"<script>alert(document.cookie)</script><rect width='64' height='64'/></svg>"
)


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (SVG, "avatar.svg", "image/svg+xml"),
        (SVG, "avatar.png", "image/png"),
        (b"<html><script>alert(1)</script></html>", "avatar.jpg", "image/jpeg"),
        (b"just some text, honestly\n" * 20, "avatar.png", "image/png"),
        (b"%PDF-1.4\n" + b"0" * 200, "avatar.jpg", "image/jpeg"),
        (image_bytes((64, 64), "BMP"), "avatar.png", "image/png"),
        (image_bytes((64, 64), "TIFF"), "avatar.jpg", "image/jpeg"),
        (image_bytes((64, 64), "JPEG")[:300], "avatar.jpg", "image/jpeg"),
        (image_bytes((16, 16), "PNG"), "tiny.png", "image/png"),
        (image_bytes((800, 20), "PNG"), "thin.png", "image/png"),
        (b"", "empty.png", "image/png"),
    ],
    ids=[
        "svg",
        "svg-named-png",
        "html-named-jpg",
        "text-named-png",
        "pdf",
        "bmp",
        "tiff",
        "truncated-jpeg",
        "tiny",
        "thin",
        "empty",
    ],
)
def test_what_is_not_an_acceptable_image_is_refused_cleanly(
    signed_in, member, media_root, content, name, content_type
):
    response = upload(signed_in, content, name=name, content_type=content_type)

    assert response.status_code == 200
    assert "avatar" in response.context["form"].errors
    assert not Profile.objects.get(user=member).avatar
    assert stored_files(media_root) == []


def test_a_file_over_2_mb_is_refused(signed_in, member, media_root):
    # Noise does not compress: a genuine PNG just over the limit.
    noise = Image.frombytes("RGB", (900, 900), os.urandom(900 * 900 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    content = buffer.getvalue()
    assert len(content) > MAX_UPLOAD_BYTES

    response = upload(signed_in, content, name="big.png", content_type="image/png")

    assert response.status_code == 200
    assert "2 MB" in str(response.context["form"].errors["avatar"])
    assert stored_files(media_root) == []


def test_a_30_megapixel_png_is_refused_before_decoding(signed_in, member, media_root):
    # Compresses to a few kilobytes but would decode to 30 million pixels.
    content = image_bytes((6000, 5000), "PNG", color=0, mode="L")
    assert len(content) < MAX_UPLOAD_BYTES

    response = upload(signed_in, content, name="bomb.png", content_type="image/png")

    assert response.status_code == 200
    assert "megapixels" in str(response.context["form"].errors["avatar"])
    assert stored_files(media_root) == []


def test_a_decompression_bomb_beyond_pillows_own_limit_is_refused(signed_in, member):
    # A PNG header claiming 20000×20000 (400 MP): Pillow itself raises on open.
    content = image_bytes((64, 64), "PNG")
    ihdr = content.index(b"IHDR")
    forged = bytearray(content)
    forged[ihdr + 4 : ihdr + 12] = (20000).to_bytes(4, "big") * 2

    response = upload(signed_in, bytes(forged), name="bomb.png", content_type="image/png")

    assert response.status_code == 200
    assert "avatar" in response.context["form"].errors


def test_replacing_the_avatar_deletes_the_old_file(
    signed_in, member, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(signed_in, image_bytes((64, 64), "PNG"))
    first = Profile.objects.get(user=member).avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        upload(signed_in, image_bytes((64, 64), "PNG", color=BLUE))
    second = Profile.objects.get(user=member).avatar.name

    assert first != second
    assert not default_storage.exists(first)
    assert default_storage.exists(second)
    assert len(stored_files(media_root)) == 1


def test_removing_the_avatar_deletes_the_file_and_shows_initials(
    signed_in, member, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(signed_in, image_bytes((64, 64), "PNG"))
    name = Profile.objects.get(user=member).avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(signed_in, None, remove_avatar="on")

    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    assert not profile.avatar
    assert not default_storage.exists(name)
    assert stored_files(media_root) == []
    html = signed_in.get(profile.get_absolute_url()).content.decode()
    assert 'class="avatar avatar-initials' in html
    assert ">SW</span>" in html


def test_saving_other_fields_keeps_the_avatar(
    signed_in, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(signed_in, image_bytes((64, 64), "PNG"))
    name = Profile.objects.get(user=member).avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        upload(signed_in, None, bio="New bio")

    assert Profile.objects.get(user=member).avatar.name == name
    assert default_storage.exists(name)


def test_a_refused_upload_keeps_the_previous_avatar(
    signed_in, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(signed_in, image_bytes((64, 64), "PNG"))
    name = Profile.objects.get(user=member).avatar.name

    upload(signed_in, SVG, name="a.svg", content_type="image/svg+xml")

    assert Profile.objects.get(user=member).avatar.name == name
    assert default_storage.exists(name)
