"""URLs of workflows.tasks: the workbench (namespace ``tasks``)."""

from django.urls import path

from workflows.tasks import views

app_name = "tasks"

urlpatterns = [
    path("", views.index, name="index"),
    path("queue/", views.queue, name="queue"),
    path("inbox/", views.inbox, name="inbox"),
    path("archive/", views.archive, name="archive"),
    path("delivery/", views.delivery, name="delivery"),
    path("open/", views.open_tasks, name="open"),
    path("extensions/", views.extensions, name="extensions"),
    path("extensions/<int:extension_id>/decide/", views.decide_extension, name="decide_extension"),
    path("<int:task_id>/", views.task_detail, name="task"),
    path("<int:task_id>/claim/", views.task_claim, name="claim"),
    path("<int:task_id>/release/", views.task_release, name="release"),
    path("<int:task_id>/extension/", views.request_extension, name="request_extension"),
    path("<int:task_id>/special/", views.special_procedure, name="special_procedure"),
    path("<int:task_id>/special/end/", views.special_procedure_end, name="special_procedure_end"),
]
