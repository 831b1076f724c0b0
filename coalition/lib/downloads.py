"""`Content-Disposition` for every download, built by Django's `content_disposition_header` (RFC 6266).

A file name may come from a user (an uploaded attachment's name, an action's slug): written between quotes by
hand, a `"` ends the name early and a CR/LF starts a new header, so `evil".html;\\r\\nX: y.pdf` could change
the saved extension or add a header. Django quotes and escapes an ASCII name and sends any other (Arabic,
control characters) as RFC 5987 `filename*=utf-8''…`. Before that, control characters, quotes and path
separators become spaces here: they have no place in a saved file's name, and a client that parses the header
loosely then has no escaped quote to trip on.
"""

from __future__ import annotations

import re
from typing import TypeVar

from django.http import HttpResponseBase
from django.utils.http import content_disposition_header

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\"]+')
MAX_LENGTH = 200
# The files staff may attach to a record (research reports, meetings with officials): extension -> content type.
ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}
R = TypeVar("R", bound=HttpResponseBase)


def safe_filename(name: str, *, default: str = "download") -> str:
    """The name without control characters, quotes, path separators or surrounding dots and spaces; never empty."""
    cleaned = _UNSAFE.sub(" ", name).strip(" .")
    if len(cleaned) > MAX_LENGTH:  # shortened before the extension, which is kept
        stem, dot, extension = cleaned.rpartition(".")
        keep = f"{dot}{extension}" if dot and len(extension) <= 16 else ""
        cleaned = cleaned[: MAX_LENGTH - len(keep)].rstrip(" .") + keep
    return cleaned or default


def attachment_header(filename: str, *, as_attachment: bool = True) -> str:
    """The header's value: `attachment; filename="…"` (or `filename*=utf-8''…` for a name that needs it)."""
    return content_disposition_header(as_attachment, safe_filename(filename)) or "attachment"


def set_attachment(response: R, filename: str, *, as_attachment: bool = True) -> R:
    """Mark the response as a download saved under `filename` (made safe), and hand it back."""
    response["Content-Disposition"] = attachment_header(filename, as_attachment=as_attachment)
    return response
