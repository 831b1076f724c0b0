"""Where organisation logos are stored, and the address they are served from.

MEDIA_ROOT also holds private files of other apps (research attachments…), so it is never served as a
whole: logos get their own URL (`members:logo`), and `Organisation.logo.url` points there.
"""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils.deconstruct import deconstructible

LOGO_DIR = "members/logos/"
# The only files served: what the profile form accepts (forms.LOGO_FORMATS), by the extension it stores.
LOGO_CONTENT_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp"}


@deconstructible
class LogoStorage(FileSystemStorage):
    """MEDIA_ROOT as usual, but the URL of a logo is the members app's logo view, not /media/."""

    def url(self, name: str | None) -> str:
        name = (name or "").replace("\\", "/")
        if not name.startswith(LOGO_DIR) or "/" in name[len(LOGO_DIR) :]:
            raise ValueError(f"{name!r} is not a logo")
        return reverse("members:logo", args=[name[len(LOGO_DIR) :]])


logo_storage = LogoStorage()
