from __future__ import annotations

from django.urls import path

from coalition.research import views

app_name = "research"

urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    path("exports/<uuid:token>/", views.export_job, name="export-job"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("reports/<int:pk>/attachments/add/", views.attachment_add, name="attachment-add"),
    path("workspace/", views.workspace, name="workspace"),
    path("workspace/<str:kind>/new/", views.record_create, name="record-create"),
    path("workspace/<str:kind>/<int:pk>/", views.record_detail, name="record"),
    path("workspace/<str:kind>/<int:pk>/edit/", views.record_edit, name="record-edit"),
    path("workspace/<str:kind>/<int:pk>/submit/", views.record_submit, name="record-submit"),
    path("review/", views.review_inbox, name="inbox"),
    path("review/approve/", views.review_bulk_approve, name="bulk-approve"),
    path("review/<str:kind>/<int:pk>/decide/", views.review_decide, name="decide"),
    path("review/<str:kind>/<int:pk>/assign/", views.review_assign, name="assign"),
    path("import/", views.import_start, name="import"),
    path("import/<int:pk>/", views.import_job, name="import-job"),
]
