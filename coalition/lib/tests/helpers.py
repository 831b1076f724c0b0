"""Helpers for tests of downloads, shared by every app's tests."""

from __future__ import annotations

from email.message import Message
from typing import Any


def saved_name(response: Any) -> str:
    """The file name a browser saves the download under, read from `Content-Disposition` as RFC 6266 says.

    Fails if the header is missing, not an attachment, or holds a line break (which would start another header).
    """
    header = response["Content-Disposition"]
    assert "\r" not in header and "\n" not in header, header
    assert header.startswith("attachment;"), header
    assert header.count("filename") == 1, header
    message = Message()
    message["Content-Disposition"] = header
    name = message.get_filename()
    assert name, header
    return name


def body(response: Any) -> str:
    """The text of a response, streamed (a CSV download) or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")
