"""Photos of event reports: what they are is read from their bytes, never from the name they were uploaded with.

A photo is served to every visitor of a published event, so only plain raster pictures are kept (no SVG, which
can hold script), and the stored name ends with the extension of the detected type: a PNG uploaded as
`crowd.html` is stored as `crowd.png` and served as image/png; an HTML page uploaded as `crowd.png` is refused.
Organisation logos follow the same rule (coalition/members/forms.py, LOGO_FORMATS).
"""

from __future__ import annotations

from pathlib import PurePath
from typing import IO, Any

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

# Detected type → the extension the stored name gets, and back for serving.
PHOTO_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}
# Names stored before photos were renamed may end in .jpeg; they were checked by Pillow when uploaded.
PHOTO_CONTENT_TYPES = {extension: mime for mime, extension in PHOTO_TYPES.items()} | {".jpeg": "image/jpeg"}
# What Pillow calls the same formats: both readings must agree, so a file built to be two things is refused.
_PILLOW_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
NOT_A_PHOTO = _("The photo must be a JPEG, PNG, GIF or WebP picture.")


def photo_extension(file: IO[bytes] | Any) -> str | None:
    """The extension of the picture `file` holds (".jpg", ".png", ".gif" or ".webp"), or None if it holds
    anything else. The file is read from its start and left there."""
    try:
        file.seek(0)
        kind = filetype.guess(file.read(8192))
        if kind is None or kind.mime not in PHOTO_TYPES:
            return None
        file.seek(0)
        with Image.open(file) as image:
            pillow_format = image.format
            image.verify()
    except Exception:  # Pillow raises many kinds of errors for a broken or hostile file
        return None
    finally:
        file.seek(0)
    if _PILLOW_FORMATS.get(pillow_format or "") != kind.mime:
        return None
    return PHOTO_TYPES[kind.mime]


def validate_photo(file: Any) -> None:
    if photo_extension(file) is None:
        raise ValidationError(NOT_A_PHOTO, code="not_a_photo")


def photo_name(uploaded_name: str, extension: str) -> str:
    """The uploaded name's stem, without dots (some servers act on every extension in a name), and `extension`."""
    stem = PurePath(uploaded_name or "").name.rsplit(".", 1)[0].replace(".", "-").strip()[:60]
    return (stem or "photo") + extension
