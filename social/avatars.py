"""Avatar uploads: identify, check, strip and re-encode before anything is stored.

Members upload phone photos, which carry GPS coordinates, camera serials and
sometimes a name in their metadata. Nothing of the uploaded file is kept: the
pixels are decoded (first frame only), rotated as the EXIF says, cropped to a
square of at most 512 px, and written into a brand-new image that has no
metadata at all, under a random name.
"""

import io
import logging
import secrets
from dataclasses import dataclass

from django.utils.translation import gettext as _

from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

# Identified by Pillow from the bytes; the file name and the browser's
# content type are ignored. No SVG (script), no HEIC/TIFF/BMP (rarely needed,
# larger attack surface).
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# Checked from the header, before the pixels are decoded: a 2 MB PNG can
# decode to gigabytes (a decompression bomb).
MAX_PIXELS = 25_000_000
MIN_SIDE = 32
OUTPUT_SIDE = 512
JPEG_QUALITY = 85


class AvatarError(ValueError):
    """The upload cannot be an avatar; the message is safe to show the member."""


@dataclass(frozen=True)
class PreparedAvatar:
    """A re-encoded avatar ready to store: bytes, format and size."""

    content: bytes
    extension: str  # "jpg" or "png"
    width: int
    height: int

    def random_name(self):
        """A file name that says nothing about the member or the original file."""
        return f"{secrets.token_hex(16)}.{self.extension}"


def avatar_prepare(upload):
    """Check ``upload`` (a Django UploadedFile) and return a clean ``PreparedAvatar``.

    Raises ``AvatarError`` with a message for the member when the file is too
    big, is not a JPEG, PNG, WebP or GIF by its content, has too many or too
    few pixels, or cannot be decoded. Never raises anything else for bad input.
    """
    size = getattr(upload, "size", None)
    if not size:
        raise AvatarError(_("The file is empty."))
    if size > MAX_UPLOAD_BYTES:
        raise AvatarError(_("Please choose an image of at most 2 MB."))
    upload.seek(0)
    try:
        # ``formats`` limits which decoders Pillow even tries.
        with Image.open(upload, formats=ALLOWED_FORMATS) as image:
            _check_header(image)
            return _reencode(image)
    except AvatarError:
        raise
    except Exception as error:
        # Malformed files make Pillow's decoders raise many kinds of error
        # (OSError, SyntaxError, struct.error, DecompressionBombError...).
        # Any of them means "not an image we can use", never a server error.
        logger.info("Avatar upload refused: %s: %s", type(error).__name__, error)
        raise AvatarError(
            _("This file is not a JPEG, PNG, WebP or GIF image we can read.")
        ) from error


def _check_header(image):
    """Refuse by format and dimensions, read from the header only."""
    if image.format not in ALLOWED_FORMATS:
        raise AvatarError(_("Please upload a JPEG, PNG, WebP or GIF image."))
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise AvatarError(_("This image has too many pixels; please use one under 25 megapixels."))
    if width < MIN_SIDE or height < MIN_SIDE:
        raise AvatarError(
            _("This image is too small; it needs at least %(side)s×%(side)s px.")
            % {"side": MIN_SIDE}
        )


def _reencode(image):
    # GIF and WebP may be animated: the first frame is the avatar.
    image.seek(0)
    if image.format == "JPEG":
        # Let the JPEG decoder scale down while decoding (cheaper on big photos);
        # it keeps at least twice the output size for a sharp result.
        image.draft("RGB", (OUTPUT_SIDE * 2, OUTPUT_SIDE * 2))
    image.load()
    image = _apply_orientation(image)

    transparent = _has_transparency(image)
    mode, image_format, extension = (
        ("RGBA", "PNG", "png") if transparent else ("RGB", "JPEG", "jpg")
    )
    image = image.convert(mode)

    side = min(OUTPUT_SIDE, *image.size)
    image = ImageOps.fit(image, (side, side), method=Image.Resampling.LANCZOS)

    # A brand-new image from the raw pixels has an empty ``info``: no EXIF,
    # GPS, XMP, ICC profile or comment can ride along (Pillow copies some of
    # these from ``info`` when saving, e.g. JPEG comments).
    clean = Image.frombytes(mode, image.size, image.tobytes())
    buffer = io.BytesIO()
    if image_format == "JPEG":
        clean.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        clean.save(buffer, "PNG", optimize=True)
    return PreparedAvatar(buffer.getvalue(), extension, *clean.size)


def _apply_orientation(image):
    """Rotate as the EXIF orientation says; a broken EXIF block is ignored, not fatal."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:
        logger.info("Ignoring an unreadable EXIF orientation in an avatar upload")
        return image


def _has_transparency(image):
    """True when some pixel is not fully opaque (opaque images become JPEG)."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        alpha = image.convert("RGBA").getchannel("A")
        return alpha.getextrema()[0] < 255
    return False
