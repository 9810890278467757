"""URLs of workflows.hall (namespace ``hall``), mounted at /hall/."""

from django.urls import path

from workflows.hall import views

app_name = "hall"

urlpatterns = [
    path("book/", views.book_centers, name="book"),
    path("book/done/", views.book_done, name="book_done"),
    path("book/<str:code>/", views.book_center, name="book_center"),
    path("book/<str:code>/<str:item>/", views.book_item, name="book_item"),
    path("booking/", views.manage, name="manage"),
    path("kiosk/<str:code>/", views.kiosk, name="kiosk"),
    path("kiosk/<str:code>/ticket/<str:token>/", views.ticket, name="ticket"),
    path("display/<str:code>/", views.display, name="display"),
    path("display/<str:code>/calls.json", views.display_calls, name="display_calls"),
    path("window/", views.window, name="window"),
    path("window/call/", views.call_next, name="call_next"),
    path("window/tickets/<int:pk>/intake/", views.start_intake, name="start_intake"),
    path("window/tickets/<int:pk>/<str:action>/", views.ticket_action, name="ticket_action"),
    path("stats/", views.stats, name="stats"),
    path("hours/", views.hours, name="hours"),
    path("stats/export.csv", views.stats_export, name="stats_export"),
]
