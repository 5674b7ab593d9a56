from django.urls import path

from outreach import record_views, views

app_name = "outreach"

urlpatterns = [
    path("suggestions/", views.board, name="board"),
    path("suggestions/print/", views.print_sheet, name="print"),
    path("suggestions/new/", views.new, name="new"),
    path("suggestions/mine/", views.mine, name="mine"),
    path("suggestions/<int:pk>/", views.detail, name="suggestion"),
    path("suggestions/<int:pk>/photo/", views.photo, name="photo"),
    path("suggestions/<int:pk>/rate/", views.rate, name="rate"),
    path("suggestions/<int:pk>/support/", views.support, name="support"),
    path("suggestions/visits/", record_views.mine, name="my_visits"),
    path("suggestions/visits/<slug:kind>/<int:pk>/rate/", record_views.rate, name="rate_record"),
    path("accounts/me/corrections/", views.ask_correction, name="ask_correction"),
]
