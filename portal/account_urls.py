"""A resident's own pages, under /accounts/ beside allauth's (and /en/accounts/ in English)."""

from django.urls import path

from portal import account_views as views

urlpatterns = [
    path("welcome/", views.welcome, name="account_welcome"),
    path("me/", views.my_data, name="account_my_data"),
    path("me/download/", views.my_data_download, name="account_my_data_download"),
    path("me/apps/<int:pk>/sign-out/", views.revoke_app, name="account_revoke_app"),
    path("me/sign-out-everywhere/", views.sign_out_everywhere, name="account_sign_out_everywhere"),
    path("details/", views.details, name="account_details"),
    path("close/", views.close_account, name="account_close"),
    path("closed/", views.account_closed, name="account_closed"),
    path("privacy/", views.privacy_notice, name="privacy_notice"),
]
