from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def mailing_settings(settings):
    settings.MAILINGS_RATE_PER_MINUTE = 0  # batches follow each other at once in tests
    settings.MAILINGS_BATCH_SIZE = 3
    settings.MAILINGS_APPROVAL_THRESHOLD = 5
    settings.SITE_URL = "https://campaign.example.org"
