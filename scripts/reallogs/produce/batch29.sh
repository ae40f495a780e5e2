#!/bin/bash
# batch29 (issue #13 round 6, logs7): servers and app errors on Django 3.2 / Python 3.10 (gunicorn 20.1,
# uvicorn 0.22, whitenoise 6.5, Celery 5.2) and Django 5.1 / Python 3.13 (gunicorn 23, waitress 3.0,
# uvicorn 0.32, whitenoise), Flask 2.0 and 3.0. Every server on 127.0.0.1.
P=/tmp/p7; O=$P/out; B=$P/b29; mkdir -p $O $B; V310=$P/v310/bin; V313=$P/v313/bin
mk() { # mk DIR VENVBIN: a project with one app, a template view and static files, migrated on SQLite
  rm -rf $1 && mkdir -p $1 && (cd $1 && $2/django-admin startproject mysite . && $2/python manage.py startapp shop
  mkdir -p shop/templates/shop static/css && echo '<h1>{{ title }}</h1>' > shop/templates/shop/home.html && echo 'body{}' > static/css/site.css
  printf 'from django.shortcuts import render\ndef home(request):\n    return render(request, "shop/home.html", {"title": "Shop"})\ndef about(request):\n    return render(request, "shop/about.html", {})\n' > shop/views.py
  printf 'from django.contrib import admin\nfrom django.urls import path\nfrom shop import views\nurlpatterns = [path("admin/", admin.site.urls), path("", views.home), path("about/", views.about)]\n' > mysite/urls.py
  sed -i "s/'django.contrib.staticfiles',/'django.contrib.staticfiles',\n    'shop',/" mysite/settings.py
  printf '\nimport os\nSTATIC_ROOT = os.environ.get("STATIC_ROOT") or None\nSTATICFILES_DIRS = [BASE_DIR / "static"]\nif os.environ.get("DJANGO_DEBUG") == "0":\n    DEBUG = False\n    ALLOWED_HOSTS = ["127.0.0.1", "localhost"]\n' >> mysite/settings.py
  $2/python manage.py migrate > /dev/null)
}
mk $B/d32 $V310; mk $B/d51 $V313
# healthy: gunicorn 20.1 and 23 with access logs, waitress 3.0, uvicorn 0.22/0.32 (ASGI)
(cd $B/d32 && timeout -s TERM 12 $V310/gunicorn mysite.wsgi -b 127.0.0.1:8290 -w 2 --access-logfile - & sleep 6; curl -s -o /dev/null http://127.0.0.1:8290/; curl -s -o /dev/null http://127.0.0.1:8290/nope; wait) > $O/d32-gunicorn-ok.txt 2>&1
(cd $B/d51 && timeout -s TERM 12 $V313/gunicorn mysite.wsgi -b 127.0.0.1:8291 --access-logfile - & sleep 6; curl -s -o /dev/null http://127.0.0.1:8291/; curl -s -o /dev/null http://127.0.0.1:8291/admin/; wait) > $O/d51-gunicorn-ok.txt 2>&1
(cd $B/d51 && timeout -s TERM 10 $V313/waitress-serve --listen=127.0.0.1:8292 mysite.wsgi:application & sleep 5; curl -s -o /dev/null http://127.0.0.1:8292/; wait) > $O/d51-waitress-ok.txt 2>&1
(cd $B/d32 && timeout -s TERM 10 $V310/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8293 & sleep 5; curl -s -o /dev/null http://127.0.0.1:8293/; wait) > $O/d32-uvicorn-ok.txt 2>&1
# a template the view names but nobody wrote (DEBUG on and off)
(cd $B/d32 && timeout -s TERM 12 $V310/gunicorn mysite.wsgi -b 127.0.0.1:8294 & sleep 6; curl -s -o /dev/null http://127.0.0.1:8294/about/; wait) > $O/d32-gunicorn-notemplate.txt 2>&1
(cd $B/d51 && DJANGO_DEBUG=0 timeout -s TERM 12 $V313/waitress-serve --listen=127.0.0.1:8295 mysite.wsgi:application & sleep 5; curl -s -o /dev/null http://127.0.0.1:8295/about/; wait) > $O/d51-waitress-notemplate.txt 2>&1
# waitress: a bad app string (missing attribute, missing module)
(cd $B/d51 && timeout -s TERM 8 $V313/waitress-serve --listen=127.0.0.1:8296 mysite.wsgi:app) > $O/d51-waitress-badattr.txt 2>&1
(cd $B/d51 && timeout -s TERM 8 $V313/waitress-serve --listen=127.0.0.1:8296 mysite.wsgii:application) > $O/d51-waitress-nomodule.txt 2>&1
# port already in use: gunicorn 23, waitress 3.0, uvicorn 0.32, runserver 5.1
(cd $B/d51 && timeout -s TERM 40 $V313/gunicorn mysite.wsgi -b 127.0.0.1:8297) > /dev/null 2>&1 &
sleep 6
(cd $B/d51 && timeout -s TERM 10 $V313/gunicorn mysite.wsgi -b 127.0.0.1:8297) > $O/d51-gunicorn-inuse.txt 2>&1
(cd $B/d51 && timeout -s TERM 8 $V313/waitress-serve --listen=127.0.0.1:8297 mysite.wsgi:application) > $O/d51-waitress-inuse.txt 2>&1
(cd $B/d51 && timeout -s TERM 8 $V313/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8297) > $O/d51-uvicorn-inuse.txt 2>&1
(cd $B/d51 && timeout -s TERM 8 $V313/python manage.py runserver 127.0.0.1:8297 --noreload) > $O/d51-runserver-inuse.txt 2>&1
(cd $B/d32 && timeout -s TERM 8 $V310/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8297) > $O/d32-uvicorn-inuse.txt 2>&1
wait
# an import error in the worker: views import a module the image lacks
cp -r $B/d51 $B/d51imp && sed -i '1i import stripe' $B/d51imp/shop/views.py
(cd $B/d51imp && timeout -s TERM 10 $V313/gunicorn mysite.wsgi -b 127.0.0.1:8298 & sleep 6; curl -s -o /dev/null http://127.0.0.1:8298/; wait) > $O/d51-gunicorn-viewimport.txt 2>&1
(cd $B/d51imp && timeout -s TERM 10 $V313/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8299 & sleep 5; curl -s -o /dev/null http://127.0.0.1:8299/; wait) > $O/d51-uvicorn-viewimport.txt 2>&1
# django.conf.urls.url() in Django 5.1 (removed in 4.0), under runserver and check
cp -r $B/d51 $B/d51url && printf 'from django.conf.urls import url\nfrom django.contrib import admin\nfrom shop import views\nurlpatterns = [url(r"^admin/", admin.site.urls), url(r"^$", views.home)]\n' > $B/d51url/mysite/urls.py
(cd $B/d51url && $V313/python manage.py check) > $O/d51-check-url-removed.txt 2>&1
(cd $B/d51url && timeout -s TERM 10 $V313/gunicorn mysite.wsgi -b 127.0.0.1:8300 & sleep 6; curl -s -o /dev/null http://127.0.0.1:8300/; wait) > $O/d51-gunicorn-url-removed.txt 2>&1
# old MIDDLEWARE_CLASSES entries moved into MIDDLEWARE (SessionAuthenticationMiddleware, removed in 2.0)
cp -r $B/d32 $B/d32mw && sed -i "s/    'django.contrib.auth.middleware.AuthenticationMiddleware',/    'django.contrib.auth.middleware.AuthenticationMiddleware',\n    'django.contrib.auth.middleware.SessionAuthenticationMiddleware',/" $B/d32mw/mysite/settings.py
(cd $B/d32mw && timeout -s TERM 10 $V310/gunicorn mysite.wsgi -b 127.0.0.1:8301) > $O/d32-gunicorn-old-middleware.txt 2>&1
(cd $B/d32mw && timeout -s TERM 10 $V310/python manage.py runserver 127.0.0.1:8302 --noreload) > $O/d32-runserver-old-middleware.txt 2>&1
# whitenoise: collectstatic without STATIC_ROOT, with the manifest storage and a CSS url() to a missing file,
# and DEBUG off with no manifest (collectstatic never run)
for d in d32:$V310 d51:$V313; do n=${d%%:*}; V=${d#*:}; cp -r $B/$n $B/${n}wn
  sed -i "s/    'django.middleware.security.SecurityMiddleware',/    'django.middleware.security.SecurityMiddleware',\n    'whitenoise.middleware.WhiteNoiseMiddleware',/" $B/${n}wn/mysite/settings.py
  if [ $n = d32 ]; then echo 'STATICFILES_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"' >> $B/${n}wn/mysite/settings.py
  else echo 'STORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}' >> $B/${n}wn/mysite/settings.py; fi
  (cd $B/${n}wn && $V/python manage.py collectstatic --noinput) > $O/$n-whitenoise-no-static-root.txt 2>&1
  printf '<link rel="stylesheet" href="{%% static %s %%}">\n<h1>{{ title }}</h1>\n' "'css/site.css'" > $B/${n}wn/shop/templates/shop/home.html; sed -i '1i {% load static %}' $B/${n}wn/shop/templates/shop/home.html
  (cd $B/${n}wn && DJANGO_DEBUG=0 timeout -s TERM 10 $V/gunicorn mysite.wsgi -b 127.0.0.1:8303 & sleep 6; curl -s -o /dev/null http://127.0.0.1:8303/; wait) > $O/$n-whitenoise-no-manifest.txt 2>&1
  echo '.logo{background:url("../img/logo.png")}' >> $B/${n}wn/static/css/site.css
  (cd $B/${n}wn && STATIC_ROOT=$B/${n}wn/staticfiles $V/python manage.py collectstatic --noinput) > $O/$n-whitenoise-missing-ref.txt 2>&1
  mkdir -p $B/${n}wn/static/img && cp /usr/share/pixmaps/debian-logo.png $B/${n}wn/static/img/logo.png 2>/dev/null || echo png > $B/${n}wn/static/img/logo.png
  (cd $B/${n}wn && STATIC_ROOT=$B/${n}wn/staticfiles $V/python manage.py collectstatic --noinput) > $O/$n-whitenoise-collectstatic-ok.txt 2>&1
done
# Flask 2.0 and 3.0: FLASK_APP / --app typos, a missing template, an import error in the app module
mkdir -p $B/fl && printf 'from flask import Flask, render_template\napp = Flask(__name__)\n@app.route("/")\ndef index():\n    return render_template("index.html")\n' > $B/fl/app.py
(cd $B/fl && FLASK_APP=ap timeout -s TERM 8 $V310/flask run -h 127.0.0.1 -p 8304) > $O/fl20-flask-app-typo.txt 2>&1
(cd $B/fl && timeout -s TERM 8 $V313/flask --app ap run -h 127.0.0.1 -p 8304) > $O/fl30-flask-app-typo.txt 2>&1
(cd $B/fl && timeout -s TERM 10 $V313/gunicorn app:app -b 127.0.0.1:8305 & sleep 5; curl -s -o /dev/null http://127.0.0.1:8305/; wait) > $O/fl30-gunicorn-notemplate.txt 2>&1
(cd $B/fl && FLASK_APP=app timeout -s TERM 10 $V310/flask run -h 127.0.0.1 -p 8306 & sleep 5; curl -s -o /dev/null http://127.0.0.1:8306/; wait) > $O/fl20-run-notemplate.txt 2>&1
mkdir -p $B/fl2 && printf 'from flask import Flask\nfrom flask_cors import CORS\napp = Flask(__name__)\nCORS(app)\n' > $B/fl2/app.py
(cd $B/fl2 && timeout -s TERM 10 $V313/gunicorn app:app -b 127.0.0.1:8307) > $O/fl30-gunicorn-importerror.txt 2>&1
(cd $B/fl2 && FLASK_APP=app timeout -s TERM 10 $V310/flask run -h 127.0.0.1 -p 8308) > $O/fl20-run-importerror.txt 2>&1
# Flask healthy under waitress and the dev server (its WARNING)
mkdir -p $B/fl3 && printf 'from flask import Flask\napp = Flask(__name__)\n@app.route("/")\ndef index():\n    return "ok"\n' > $B/fl3/app.py
(cd $B/fl3 && timeout -s TERM 10 $V313/flask --app app run -h 127.0.0.1 -p 8309 & sleep 5; curl -s -o /dev/null http://127.0.0.1:8309/; curl -s -o /dev/null http://127.0.0.1:8309/x; wait) > $O/fl30-run-ok.txt 2>&1
(cd $B/fl3 && timeout -s TERM 10 $V310/waitress-serve --listen=127.0.0.1:8310 app:app & sleep 5; curl -s -o /dev/null http://127.0.0.1:8310/; wait) > $O/fl20-waitress-ok.txt 2>&1
