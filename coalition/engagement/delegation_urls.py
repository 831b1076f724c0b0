"""The coalition's delegation to a treaty meeting, under that meeting's address (`/meetings/<slug>/delegation/`),
mounted beside the states app's meeting pages."""

from __future__ import annotations

from django.urls import path

from coalition.engagement import delegation_views

app_name = "delegation"

urlpatterns = [
    path("<slug:slug>/delegation/", delegation_views.delegation_detail, name="detail"),
    path("<slug:slug>/delegation/me/", delegation_views.day_sheet, name="day-sheet"),
    path("<slug:slug>/delegation/log/", delegation_views.bilateral_log, name="log"),
    path("<slug:slug>/delegation/report/", delegation_views.delegation_report, name="report"),
    path("<slug:slug>/delegation/briefs/", delegation_views.delegation_briefs, name="briefs"),
    path("<slug:slug>/delegation/briefs/<int:pk>/", delegation_views.delegation_briefs_job, name="briefs-job"),
]
