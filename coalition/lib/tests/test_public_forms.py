from __future__ import annotations

from django import forms
from django.core.cache import cache
from django.test import RequestFactory

from coalition.lib.honeypot import HoneypotFormMixin
from coalition.lib.public_forms import PostLimit, screen_post, screen_public_post


class _Form(HoneypotFormMixin):
    email = forms.EmailField()


def test_a_bot_is_answered_before_its_post_counts_against_any_limit():
    counted: list[bool] = []

    def limited() -> bool:
        counted.append(True)
        return True

    form = _Form({"email": "a@example.org", "fax_number": "123"})

    assert screen_post(form, limited=limited, limited_message="Too many") == "bot"
    assert counted == []


def test_over_the_limit_the_form_shows_its_own_errors_and_the_limit_message():
    form = _Form({"email": "not an address"})

    assert screen_post(form, limited=lambda: True, limited_message="Too many") == "limited"
    assert form.errors["__all__"] == ["Too many"]
    assert "email" in form.errors


def test_under_the_limit_the_form_is_valid_or_not_by_its_own_rules():
    assert screen_post(_Form({"email": "a@example.org"}), limited=lambda: False, limited_message="x") == "valid"
    assert screen_post(_Form({"email": "nope"}), limited=lambda: False, limited_message="x") == "invalid"


def test_the_usual_limit_counts_the_posted_address(settings):
    cache.clear()
    settings.TEST_FORM_RATE_PER_EMAIL, settings.TEST_FORM_RATE_PER_IP = "2/m", "100/m"
    limit = PostLimit("test-public-form", "TEST_FORM_RATE_PER_EMAIL", "TEST_FORM_RATE_PER_IP", message="Too many")
    request = RequestFactory().post("/", {"email": "a@example.org"})
    results = [screen_public_post(request, _Form(request.POST), limit) for _ in range(3)]
    assert results == ["valid", "valid", "limited"]
