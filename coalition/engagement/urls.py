from __future__ import annotations

from django.urls import path

from coalition.engagement import views

app_name = "engagement"

urlpatterns = [
    path("", views.index, name="index"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/export.csv", views.meeting_export, name="meetings-export"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/commitments/<int:commitment_id>/", views.commitment_status, name="commitment-status"),
    path("meetings/<int:pk>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("follow-ups/", views.follow_up_list, name="follow-ups"),
    path("follow-ups/new/", views.follow_up_create, name="follow-up-create"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow-up-done"),
]
