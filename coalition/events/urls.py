from __future__ import annotations

from django.urls import path

from coalition.core.secret_links import secret_link
from coalition.events.views import organisers, public, staff

app_name = "events"

urlpatterns = [
    path("", public.event_list, name="list"),
    path("calendar/", public.event_calendar, name="calendar"),
    path("feed.ics", public.feed, name="feed"),
    path("mine/", organisers.mine, name="mine"),
    path("new/", organisers.create, name="create"),
    path("review/", staff.review_queue, name="review-queue"),
    path("reply/", public.rsvp_links, name="rsvp-links"),
    path("reply/<str:token>/", secret_link(public.rsvp_manage), name="rsvp-manage"),
    path("<int:pk>/", public.event_detail, name="detail"),
    path("<int:pk>/event.ics", public.event_ics, name="ics"),
    path("<int:pk>/rsvp/", public.rsvp, name="rsvp"),
    path("<int:pk>/edit/", organisers.edit, name="edit"),
    path("<int:pk>/submit/", organisers.submit, name="submit"),
    path("<int:pk>/cancel/", organisers.cancel, name="cancel"),
    path("<int:pk>/attendees/", organisers.attendees, name="attendees"),
    path("<int:pk>/report/", organisers.report, name="report"),
    path("<int:pk>/review/", staff.review, name="review"),
    path("<int:pk>/photos/<int:photo_pk>/", public.photo, name="photo"),
]
