"""The one-view Django app the bench measures the portal against: settings and URLs in one
module, served by the same gunicorn set-up (`django.core.wsgi:get_wsgi_application()` with
DJANGO_SETTINGS_MODULE=bench.hello). No database, no templates: what a request costs Django
and gunicorn alone on this machine."""

from django.http import HttpResponse
from django.urls import path

DEBUG = False
SECRET_KEY = "bench-hello-not-secret"
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = __name__
INSTALLED_APPS = []
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.middleware.common.CommonMiddleware"]
USE_TZ = True


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain; charset=utf-8")


urlpatterns = [path("", hello)]
