"""Lobbying a treaty meeting in a real browser: staff create the delegation and assign a delegate to a state,
the delegate logs the bilateral from the day sheet, finds it on the state's timeline and in the delegation
report, and completes its follow-up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from coalition.accounts.roles import Role
from coalition.accounts.tests.factories import UserFactory
from coalition.engagement.models import FollowUp, OfficialMeeting
from coalition.members.tests.factories import OrganisationFactory
from coalition.states.tests.factories import MeetingFactory, signatory
from tests.browser.accounts import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _tab(browser, live_server, email):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    log_in(tab, live_server, email)
    return context, tab


def test_delegation_assignment_bilateral_timeline_report_and_follow_up(browser, live_server, carol):
    today = timezone.localdate()
    signatory("NOR", name="Norway")
    msp = MeetingFactory(slug="msp-15", name="Fifteenth Meeting of States Parties", start=today, end=today)
    organisation = OrganisationFactory(name="Alpha Aid", slug="alpha-aid")
    edna = UserFactory(email="edna@alpha.example.org", full_name="Edna Editor")
    edna.groups.add(Group.objects.get(name=Role.ORGANISATION_EDITOR))
    organisation.editors.add(edna)

    # Staff create the delegation, add Edna and give her Norway.
    context, staff = _tab(browser, live_server, carol.email)
    staff.goto(f"/meetings/{msp.slug}/delegation/")
    staff.get_by_label("Notes for the delegation").fill("Meet at the CMC booth at 9.")
    staff.get_by_role("button", name="Create the delegation").press("Enter")
    staff.get_by_role("heading", name="Delegates").wait_for()
    staff.get_by_label("Person").select_option(str(edna.pk))
    staff.get_by_label("Arrives on").fill(today.isoformat())
    staff.get_by_role("button", name="Add", exact=True).press("Enter")
    staff.get_by_text("The delegate was added.").wait_for()
    staff.get_by_label("Delegate:", exact=True).select_option(label="Edna Editor")
    staff.get_by_label("State:", exact=True).select_option("NOR")
    staff.get_by_label("The asks").fill("Ratify before the next Review Conference.")
    staff.get_by_role("button", name="Assign").press("Enter")
    staff.get_by_text("The state was assigned.").wait_for()
    assert "High" in staff.locator("table").nth(1).inner_text()  # a signatory comes first
    context.close()

    # Edna opens her day sheet and logs the bilateral with Norway from it.
    context, delegate = _tab(browser, live_server, edna.email)
    delegate.goto(f"/meetings/{msp.slug}/delegation/me/")
    delegate.get_by_text("Ratify before the next Review Conference.").wait_for()
    delegate.get_by_role("link", name="Log a bilateral with Norway").press("Enter")
    delegate.get_by_label("Who you spoke to").fill("Ambassador Berg; Permanent Representative")
    delegate.get_by_label("Stated position").select_option("supportive")
    delegate.get_by_label("Commitments").fill("Deposit the instrument of ratification this year")
    delegate.get_by_label("Follow-up (for you)").fill("Send the ratification kit")
    delegate.get_by_label("Follow-up due on").fill((today + timedelta(days=10)).isoformat())
    delegate.get_by_role("button", name="Log it").press("Enter")
    delegate.get_by_text("The bilateral with Norway was logged as a meeting record.").wait_for()
    meeting = OfficialMeeting.objects.get()
    assert meeting.state_id == "NOR" and meeting.delegation.meeting == msp

    # It is on Norway's engagement timeline and in the delegation report.
    delegate.goto("/states/NOR/")
    timeline = delegate.locator("section", has=delegate.get_by_role("heading", name="Engagement timeline"))
    timeline.get_by_text("Deposit the instrument of ratification this year").wait_for()
    assert "Ambassador Berg" in timeline.inner_text()
    delegate.goto(f"/meetings/{msp.slug}/delegation/report/")
    delegate.get_by_role("heading", name="1 state met").wait_for()
    assert "Send the ratification kit" in delegate.content()

    # Edna completes the follow-up from her list.
    delegate.goto("/engagement/follow-ups/")
    delegate.get_by_role("button", name="Mark “Send the ratification kit” done").press("Enter")
    delegate.get_by_text("Done: “Send the ratification kit”.").wait_for()
    assert FollowUp.objects.get().status == FollowUp.Status.DONE
    context.close()


def test_printing_the_briefs_for_a_meeting_with_the_keyboard(browser, live_server, carol):
    import io

    from pypdf import PdfReader

    from coalition.core.worker import run_pending_tasks
    from coalition.engagement import delegations
    from coalition.states.models import StateAsks

    today = timezone.localdate()
    norway = signatory("NOR", name="Norway")
    StateAsks.objects.create(state=norway, text="Press for the Article 7 report on time")
    msp = MeetingFactory(slug="msp-16", name="Sixteenth Meeting of States Parties", start=today, end=today)
    delegation = delegations.delegation_create(meeting=msp, by=carol)
    delegate = delegations.delegate_add(delegation=delegation, user=carol, by=carol)
    delegations.assignment_set(delegation=delegation, delegate=delegate, state=norway, asks="", by=carol)

    context, staff = _tab(browser, live_server, carol.email)
    staff.goto(f"/meetings/{msp.slug}/delegation/")
    button = staff.get_by_role("button", name="Print the briefs for this meeting")
    button.focus()
    staff.keyboard.press("Enter")
    staff.get_by_text("Drawing the briefs: 0 of 1 states done.").wait_for()

    assert run_pending_tasks() == 1  # the worker draws the PDF; the page refreshes itself
    download = staff.get_by_role("link", name="Download the PDF")
    download.wait_for(timeout=15_000)
    staff.get_by_text("The brief of 1 state is ready, in one PDF.").wait_for()
    download.focus()
    with staff.expect_download() as started:
        staff.keyboard.press("Enter")
    path = started.value.path()
    assert started.value.suggested_filename.startswith("briefs-msp-16-") and path is not None
    with open(path, "rb") as file:
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(file.read())).pages)
    assert "Country brief: Norway" in text and "Press for the Article 7 report on time" in text
    context.close()
