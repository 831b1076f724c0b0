"""The benchmarks' baselines answer through the project's middleware: a baseline that failed would make every
ratio in docs/benchmarks.md compare a page with an error page."""

from __future__ import annotations

import pytest
from django.test import override_settings


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls")
@pytest.mark.parametrize("path", ["/bench/ok", "/bench/ok.json", "/", "/fr/", "/api/v1/states/"])
def test_the_baselines_and_the_pages_answer_under_the_benchmarks_urls(client, path):
    assert client.get(path).status_code == 200
