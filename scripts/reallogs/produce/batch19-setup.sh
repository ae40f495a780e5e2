#!/bin/bash
# batch19 setup (issue #13 round 5): base Django projects under /tmp/p5 for Django 5.2 (Python 3.12,
# venv v52), 4.2 (Python 3.11, /tmp/rl/v42) and 3.2 (Python 3.9, /tmp/rl/v32). Each has an app `shop`
# with one model, a view, a template and a URLconf; settings read DB*, DJANGO_DEBUG, STATIC_ROOT.
set -e
P=/tmp/p5
mk() { # mk NAME VENV
  local d=$P/$1 V=$2
  rm -rf $d; mkdir -p $d; cd $d
  $V/bin/django-admin startproject mysite .
  $V/bin/python manage.py startapp shop
  mkdir -p shop/templates/shop shop/static/shop
  cat > shop/models.py <<'PY'
from django.db import models


class Product(models.Model):
    name = models.CharField(max_length=100)

    def __str__(self):
        return self.name
PY
  cat > shop/views.py <<'PY'
from django.shortcuts import render

from .models import Product


def index(request):
    return render(request, "shop/index.html", {"products": Product.objects.all()})
PY
  cat > shop/templates/shop/index.html <<'HT'
<h1>Shop</h1>
<ul>{% for p in products %}<li>{{ p.name }}</li>{% endfor %}</ul>
HT
  echo 'body { color: #333; }' > shop/static/shop/site.css
  cat > mysite/urls.py <<'PY'
from django.contrib import admin
from django.urls import path

from shop import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", views.index),
]
PY
  cat >> mysite/settings.py <<'PY'

import os
INSTALLED_APPS += ["shop"]
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
if os.environ.get("DB") == "pg":
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": os.environ.get("DB_NAME", "app"),
        "USER": os.environ.get("DB_USER", "django"), "PASSWORD": os.environ.get("DB_PASSWORD", "secret"),
        "HOST": os.environ.get("DB_HOST", "127.0.0.1"), "PORT": os.environ.get("DB_PORT", "5443"),
        "OPTIONS": {"connect_timeout": 5}}}
elif os.environ.get("DB") == "mysql":
    DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "NAME": os.environ.get("DB_NAME", "app"),
        "USER": os.environ.get("DB_USER", "django"), "PASSWORD": os.environ.get("DB_PASSWORD", "secret"),
        "HOST": os.environ.get("DB_HOST", "127.0.0.1"), "PORT": os.environ.get("DB_PORT", "3317")}}
STATIC_ROOT = os.environ.get("STATIC_ROOT", str(BASE_DIR / "staticfiles"))
LOGGING = {"version": 1, "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"}}
PY
  $V/bin/python manage.py makemigrations shop > /dev/null
}
mk base52 $P/v52
mk base42 /tmp/rl/v42
mk base32 /tmp/rl/v32
