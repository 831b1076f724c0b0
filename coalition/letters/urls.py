from __future__ import annotations

from django.urls import path

from coalition.core.secret_links import secret_link
from coalition.letters import staff_views, views

app_name = "letters"

# Fixed paths first: an action's slug never takes one of these names (views.RESERVED_SLUGS).
urlpatterns = [
    path("", views.actions, name="actions"),
    path("confirm/<str:token>/", secret_link(views.confirm), name="confirm"),
    path("letter/<str:token>/letter.pdf", secret_link(views.letter_pdf), name="letter-pdf"),
    path("replied/<str:token>/", secret_link(views.follow_up), name="follow-up"),
    path("brought/<slug:slug>/", views.brought, name="brought"),
    path("staff/officials/", staff_views.staff_officials, name="staff-officials"),
    path("staff/new/", staff_views.staff_action_new, name="editor-new"),
    path("<slug:slug>/", views.action, name="action"),
    path("<slug:slug>/thanks/", views.thanks, name="thanks"),
    path("<slug:slug>/preview/", staff_views.staff_preview, name="preview"),
    path("<slug:slug>/publish/", staff_views.staff_publish, name="publish"),
    path("<slug:slug>/staff/edit/", staff_views.staff_action_edit, name="editor"),
    path("<slug:slug>/staff/", staff_views.staff_action, name="staff-action"),
    path("<slug:slug>/staff/messages.csv", staff_views.staff_export, name="staff-export"),
    path("<slug:slug>/staff/review/<int:pk>/", staff_views.staff_review, name="staff-review"),
    path(
        "<slug:slug>/staff/officials/<int:position_id>.pdf", staff_views.staff_official_pdf, name="staff-official-pdf"
    ),
]
