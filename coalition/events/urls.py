from __future__ import annotations

from django.urls import path

from coalition.core.secret_links import secret_link
from coalition.events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("calendar/", views.event_calendar, name="calendar"),
    path("feed.ics", views.feed, name="feed"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.create, name="create"),
    path("review/", views.review_queue, name="review-queue"),
    path("reply/<str:token>/", secret_link(views.rsvp_manage), name="rsvp-manage"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/event.ics", views.event_ics, name="ics"),
    path("<int:pk>/rsvp/", views.rsvp, name="rsvp"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/attendees/", views.attendees, name="attendees"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/photos/<int:photo_pk>/", views.photo, name="photo"),
]
