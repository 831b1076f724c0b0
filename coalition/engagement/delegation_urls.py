"""The coalition's delegation to a treaty meeting, under that meeting's address (`/meetings/<slug>/delegation/`),
mounted beside the states app's meeting pages."""

from __future__ import annotations

from django.urls import path

from coalition.engagement import views

app_name = "delegation"

urlpatterns = [
    path("<slug:slug>/delegation/", views.delegation_detail, name="detail"),
    path("<slug:slug>/delegation/me/", views.day_sheet, name="day-sheet"),
    path("<slug:slug>/delegation/log/", views.bilateral_log, name="log"),
    path("<slug:slug>/delegation/report/", views.delegation_report, name="report"),
    path("<slug:slug>/delegation/briefs/", views.delegation_briefs, name="briefs"),
    path("<slug:slug>/delegation/briefs/<int:pk>/", views.delegation_briefs_job, name="briefs-job"),
]
