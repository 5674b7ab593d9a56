from django.urls import path

from booking import views

app_name = "booking"

urlpatterns = [
    path("rooms/", views.room_list, name="rooms"),
    path("rooms/<slug:slug>/", views.room_detail, name="room"),
    path("rooms/<slug:slug>/day/", views.room_day, name="room_day_form"),
    path("rooms/<slug:slug>/<str:day>/", views.room_day, name="room_day"),
    path("rooms/<slug:slug>/<str:day>/<str:time>/", views.book, name="book"),
    path("bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/<int:pk>/", views.reservation_detail, name="reservation"),
    path("bookings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("bookings/<int:pk>/booking.ics", views.reservation_calendar, name="reservation_ics"),
]
