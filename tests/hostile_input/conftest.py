"""The world the endpoints act on: the fixtures their rows ask for (`w.published_event`), on top of the
shared cast (coalition/conftest.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.authtoken.models import Token

from coalition.events.models import RSVP, Event, EventReport, ReportPhoto
from coalition.events.tests.factories import EventFactory, RSVPFactory
from coalition.letters import services as letters_services
from coalition.letters import tokens as letters_tokens
from coalition.letters.models import Letter, Message
from coalition.letters.tests.factories import ActionFactory, official
from coalition.letters.tests.helpers import write
from coalition.members.supporters import DATA_LINK_SALT, supporter_token
from coalition.members.tests.factories import ApplicationFactory, SupporterFactory
from coalition.research.models import Status
from coalition.research.tests.factories import AreaFactory, CasualtyFactory, ReportFactory, StrikeFactory
from coalition.states.tests.factories import NationalMeasureFactory, StateFactory


@pytest.fixture
def laos(db):
    return StateFactory(iso3="LAO", name="Laos")


@pytest.fixture
def api_token(carol):
    return Token.objects.create(user=carol).key


@pytest.fixture
def published_event(org_a):
    return EventFactory(organisation=org_a, capacity=50)


@pytest.fixture
def draft_event(org_a):
    return EventFactory(organisation=org_a, status=Event.Status.DRAFT, published_at=None)


@pytest.fixture
def submitted_event(org_a):
    return EventFactory(organisation=org_a, status=Event.Status.SUBMITTED, published_at=None)


@pytest.fixture
def past_event(org_a):
    start = timezone.now().replace(microsecond=0) - timedelta(days=3)
    return EventFactory(organisation=org_a, starts_at=start, ends_at=start + timedelta(hours=2))


def _real_png() -> bytes:
    """A picture Pillow and the photo check accept (photos are checked by their content)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def report_photo(past_event, edna):
    report = EventReport.objects.create(event=past_event, attendance=40, written_by=edna)
    image = SimpleUploadedFile("panel.png", _real_png(), content_type="image/png")
    return ReportPhoto.objects.create(report=report, image=image, caption="The panel")


@pytest.fixture
def sam_with_two_factors(sam):
    """Sam chose to use two factors (optional for supporters), so he may turn them off."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=sam, confirmed=True)
    StaticDevice.objects.create(user=sam, confirmed=True)
    return sam


@pytest.fixture
def rsvp(published_event):
    return RSVPFactory(event=published_event, status=RSVP.Status.CONFIRMED)


@pytest.fixture
def live_action(norway):
    minister = official(state=norway, name="Espen Barth Eide", email="minister@mfa.no.example")
    return ActionFactory(slug="write-to-norway", title="Write to Norway", targets=[minister])


@pytest.fixture
def held_message(live_action):
    letter = write(live_action, email="held@example.org")
    letters_services.letter_confirm(letter=letter)
    message = Message.objects.filter(letter=letter).first()
    Message.objects.filter(pk=message.pk).update(status=Message.Status.HELD)
    return message


@pytest.fixture
def letter_link(live_action):
    """The supporter's own link to their sent letter (its follow-up question)."""
    letter = write(live_action, email="sent@example.org")
    letters_services.letter_confirm(letter=letter)
    Message.objects.filter(letter=letter).update(status=Message.Status.SENT)
    letter = Letter.objects.get(pk=letter.pk)
    messages = list(letter.messages.all())
    return letters_tokens.letter_token(letter, salt=letters_tokens.LETTER_LINK_SALT), messages


@pytest.fixture
def confirm_link(live_action):
    """The link in the e-mail asking a writer to confirm their letter."""
    return letters_tokens.letter_token(write(live_action, email="confirm-me@example.org"))


@pytest.fixture
def data_link(db):
    supporter = SupporterFactory(email="erase-me@example.org")
    return supporter_token(supporter, salt=DATA_LINK_SALT)


@pytest.fixture
def application(db):
    return ApplicationFactory()


@pytest.fixture
def norway(db):
    return StateFactory(iso3="NOR", name="Norway")


@pytest.fixture
def measure(norway):
    return NationalMeasureFactory(state=norway)


@pytest.fixture
def draft_records(org_a, laos):
    draft = {"organisation": org_a, "status": Status.DRAFT}
    return {
        "casualty": CasualtyFactory(state=laos, **draft),
        "strike": StrikeFactory(state=laos, **draft),
        "area": AreaFactory(state=laos, **draft),
        "report": ReportFactory(**draft),
    }


@pytest.fixture
def submitted_casualty(org_a, laos):
    return CasualtyFactory(state=laos, organisation=org_a, status=Status.SUBMITTED)


@pytest.fixture
def official_meeting(org_a, norway):
    """A meeting with Norway's officials recorded by Alpha Aid, with one commitment."""
    from coalition.engagement.tests.factories import CommitmentFactory, OfficialMeetingFactory

    meeting = OfficialMeetingFactory(state=norway, organisation=org_a)
    CommitmentFactory(meeting=meeting)
    return meeting


@pytest.fixture
def norway_minister(norway):
    return official(state=norway, name="Espen Barth Eide", email="espen@mfa.no.example")


@pytest.fixture
def msp_delegation(carol, edna, bruno, norway):
    """The coalition's delegation to a treaty meeting: Edna sits in it; Bruno may be added."""
    from coalition.engagement.models import Delegate, Delegation
    from coalition.states.tests.factories import MeetingFactory

    delegation = Delegation.objects.create(meeting=MeetingFactory(slug="msp-hostile"), created_by=carol)
    Delegate.objects.create(delegation=delegation, user=edna)
    return delegation


@pytest.fixture
def newsletter_list(db):
    from coalition.mailings.tests.factories import MailingListFactory

    return MailingListFactory(name="Newsletter", slug="newsletter")


@pytest.fixture
def draft_mailing(newsletter_list, carol):
    from coalition.mailings.tests.factories import MailingFactory, subscriber

    subscriber(newsletter_list, email="reader@example.org")
    return MailingFactory(mailing_list=newsletter_list, created_by=carol)
