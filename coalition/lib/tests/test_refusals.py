"""A refusal reaches the person who asked: as page messages, as a form's errors, and as the API's 400."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from coalition.lib.refusals import Refused, show_refusal


class NameForm(forms.Form):
    name = forms.CharField()


def _request_with_messages():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_refusal_without_a_form_becomes_one_page_message_per_reason():
    request = _request_with_messages()
    show_refusal(request, Refused("The event is full.", "Replies are closed."))
    assert [str(m) for m in get_messages(request)] == ["The event is full.", "Replies are closed."]


def test_a_refusal_naming_a_field_is_shown_on_that_field_of_the_form():
    form = NameForm({"name": "Ana"})
    assert form.is_valid()
    show_refusal(_request_with_messages(), Refused("This name is taken.", field="name"), form=form)
    assert form.errors == {"name": ["This name is taken."]}


def test_a_refusal_naming_no_field_of_the_form_is_an_error_of_the_whole_form():
    form = NameForm({"name": "Ana"})
    assert form.is_valid()
    show_refusal(_request_with_messages(), Refused("Too late.", field="deadline"), form=form)
    assert form.non_field_errors() == ["Too late."]


class RefusingView(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    def post(self, request):
        raise Refused("The mailing has no subject.", field="subject")


@pytest.mark.django_db
def test_the_api_answers_a_refusal_with_400_and_its_messages():
    response = RefusingView.as_view()(APIRequestFactory().post("/", {}, format="json"))
    assert response.status_code == 400
    assert response.data == {"subject": ["The mailing has no subject."]}
