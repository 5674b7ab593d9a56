"""Residents' photos of what they report: taken in, made safe, and served only to who may see them.

A phone's photo carries where it was taken (GPS) and the camera's details in its EXIF, and is
often 5–10 MB. What is kept is a new JPEG of at most 1600 px on its long side, turned upright by
its EXIF orientation, with nothing else of the original: Pillow writes EXIF, XMP and ICC data
only when they are passed to save(), and they never are. Photos live in the private storage
(settings.STORAGES["private"]) and are served by views that check who asks, never cached.
"""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
LONG_SIDE = 1600
QUALITY = 85
# Beyond this a picture would take gigabytes to decode (a "decompression bomb").
MAX_PIXELS = Image.MAX_IMAGE_PIXELS

TOO_LARGE = _("The photo is larger than 10 MB. Please choose a smaller one.")
NOT_A_PHOTO = _("This file is not a photo we can read. Please choose a picture such as a JPEG or PNG.")


def _upright_rgb(image):
    """The picture turned as the camera meant, on white where it was transparent."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def cleaned_photo(upload):
    """The uploaded file as the JPEG that is kept: ValidationError for a file over 10 MB or one
    that is not a picture."""
    if upload.size > MAX_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")
    try:
        with Image.open(upload) as original:
            if original.width * original.height > MAX_PIXELS:
                raise ValidationError(TOO_LARGE, code="too_large")
            original.draft("RGB", (LONG_SIDE, LONG_SIDE))  # JPEGs decode at a fraction of their size
            image = _upright_rgb(original)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise ValidationError(NOT_A_PHOTO, code="not_a_photo") from None
    image.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    kept = io.BytesIO()
    image.save(kept, "JPEG", quality=QUALITY, optimize=True)
    return ContentFile(kept.getvalue(), name="photo.jpg")


def photo_response(suggestion):
    """The suggestion's photo, for a view that has checked who asks (never cached: the views
    are wrapped in never_cache)."""
    if not suggestion.photo:
        raise Http404
    try:
        file = suggestion.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(file, content_type="image/jpeg")
    response["Content-Disposition"] = f'inline; filename="{suggestion.number}.jpg"'
    return response
