"""The coalition's delegation to a treaty meeting, under that meeting's address (`/meetings/<slug>/delegation/`),
mounted beside the states app's meeting pages."""

from __future__ import annotations

from django.urls import include, path

from coalition.engagement import delegation_views

app_name = "delegation"

urlpatterns = [
    # Every page of a meeting's delegation, under the meeting's own address.
    path(
        "<slug:slug>/delegation/",
        include(
            [
                path("", delegation_views.delegation_detail, name="detail"),
                path("me/", delegation_views.day_sheet, name="day-sheet"),
                path("log/", delegation_views.bilateral_log, name="log"),
                path("report/", delegation_views.delegation_report, name="report"),
                path("briefs/", delegation_views.delegation_briefs, name="briefs"),
                path("briefs/<int:pk>/", delegation_views.delegation_briefs_job, name="briefs-job"),
            ]
        ),
    ),
]
