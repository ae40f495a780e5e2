#!/bin/bash
# batch27 (issue #13 round 6, logs7): Python 2.7.18 with Django 1.8.19, Flask 0.12.5, gunicorn 19.10,
# pymongo 3.12, waitress 1.4.4 (packages in /tmp/p7/py27 via PYTHONPATH). Servers on 127.0.0.1 only.
P=/tmp/p7; O=$P/out; B=$P/b27; mkdir -p $O $B; PY2=/root/.pyenv/versions/2.7.18/bin/python
export PYTHONPATH=$P/py27 PYTHONDONTWRITEBYTECODE=1
cd $B && rm -rf dj18 && mkdir dj18 && cd dj18 && $PY2 $P/py27/django/bin/django-admin.py startproject mysite . && $PY2 manage.py startapp shop
cp mysite/settings.py $B/settings18.orig
# 1 healthy: migrate then runserver with two requests
(cd $B/dj18 && $PY2 manage.py migrate) > $O/dj18-migrate-ok.txt 2>&1
(cd $B/dj18 && timeout -s TERM 20 $PY2 manage.py runserver 127.0.0.1:8271 --noreload) > $O/dj18-runserver-ok.txt 2>&1 &
sleep 8; curl -s -o /dev/null http://127.0.0.1:8271/admin/; curl -s -o /dev/null http://127.0.0.1:8271/nothing; wait
# 2 healthy: gunicorn 19.10 serving the project
(cd $B/dj18 && timeout -s TERM 12 $PY2 $P/py27/bin/gunicorn mysite.wsgi:application -b 127.0.0.1:8272 --access-logfile -) > $O/dj18-gunicorn-ok.txt 2>&1 &
sleep 6; curl -s -o /dev/null http://127.0.0.1:8272/admin/login/; curl -s -o /dev/null http://127.0.0.1:8272/missing; wait
# 3 INSTALLED_APPS typo under gunicorn 19.10 (Python 2 ImportError wording)
cp -r $B/dj18 $B/dj18typo && sed -i "s/'django.contrib.staticfiles',/'django.contrib.staticfiles',\n    'shopp',/" $B/dj18typo/mysite/settings.py
(cd $B/dj18typo && timeout -s TERM 12 $PY2 $P/py27/bin/gunicorn mysite.wsgi:application -b 127.0.0.1:8273) > $O/dj18-gunicorn-typo.txt 2>&1
# 4 the same typo under runserver
(cd $B/dj18typo && timeout -s TERM 12 $PY2 manage.py runserver 127.0.0.1:8274 --noreload) > $O/dj18-runserver-typo.txt 2>&1
# 5 gunicorn with a wrong attribute name in the app string
(cd $B/dj18 && timeout -s TERM 12 $PY2 $P/py27/bin/gunicorn mysite.wsgi:app -b 127.0.0.1:8275) > $O/dj18-gunicorn-badattr.txt 2>&1
# 6 DEBUG=False with empty ALLOWED_HOSTS
cp -r $B/dj18 $B/dj18hosts && sed -i "s/^DEBUG = True/DEBUG = False/" $B/dj18hosts/mysite/settings.py
(cd $B/dj18hosts && timeout -s TERM 12 $PY2 manage.py runserver 127.0.0.1:8276 --noreload) > $O/dj18-allowed-hosts.txt 2>&1
# 7 a Host header not in ALLOWED_HOSTS (DEBUG=False, ALLOWED_HOSTS set) under gunicorn
cp -r $B/dj18 $B/dj18dis && sed -i "s/^DEBUG = True/DEBUG = False/; s/^ALLOWED_HOSTS = \[\]/ALLOWED_HOSTS = ['app.example.com']/" $B/dj18dis/mysite/settings.py
(cd $B/dj18dis && timeout -s TERM 12 $PY2 $P/py27/bin/gunicorn mysite.wsgi:application -b 127.0.0.1:8277) > $O/dj18-disallowed.txt 2>&1 &
sleep 6; curl -s -o /dev/null http://127.0.0.1:8277/admin/; wait
# 8 Flask 0.12: app string with a missing attribute, module import error, healthy
mkdir -p $B/fl && cat > $B/fl/app.py <<'PY'
from flask import Flask, render_template
app = Flask(__name__)
@app.route("/")
def index():
    return "ok"
@app.route("/page")
def page():
    return render_template("page.html")
PY
(cd $B/fl && timeout -s TERM 12 $PY2 $P/py27/bin/gunicorn app:application -b 127.0.0.1:8278) > $O/fl012-gunicorn-badattr.txt 2>&1
(cd $B/fl && timeout -s TERM 12 $PY2 $P/py27/bin/gunicorn wsgi:app -b 127.0.0.1:8279) > $O/fl012-gunicorn-nomodule.txt 2>&1
(cd $B/fl && timeout -s TERM 14 $PY2 $P/py27/bin/gunicorn app:app -b 127.0.0.1:8280 --access-logfile -) > $O/fl012-gunicorn-tmpl.txt 2>&1 &
sleep 6; curl -s -o /dev/null http://127.0.0.1:8280/; curl -s -o /dev/null http://127.0.0.1:8280/page; wait
# 9 pymongo 3.12 with no server, and an invalid URI
$PY2 -c "import pymongo; c = pymongo.MongoClient('mongodb://127.0.0.1:27017/app', serverSelectionTimeoutMS=3000); print(c.app.users.find_one())" > $O/py27-mongo-refused.txt 2>&1
$PY2 -c "import pymongo; c = pymongo.MongoClient('mongodb://admin:p@ss@127.0.0.1:27017/app')" > $O/py27-mongo-baduri.txt 2>&1
# 10 waitress 1.4.4 on a port already taken (by a gunicorn), and healthy
(cd $B/fl && timeout -s TERM 16 $PY2 $P/py27/bin/gunicorn app:app -b 127.0.0.1:8281) > /dev/null 2>&1 &
sleep 5; (cd $B/fl && timeout -s TERM 8 $PY2 -m waitress --listen=127.0.0.1:8281 app:app) > $O/py27-waitress-inuse.txt 2>&1; wait
(cd $B/fl && timeout -s TERM 10 $PY2 -m waitress --listen=127.0.0.1:8282 app:app) > $O/py27-waitress-ok.txt 2>&1 &
sleep 4; curl -s -o /dev/null http://127.0.0.1:8282/; wait
# 11 a management command printing non-ASCII under LANG=C (Python 2's ascii stdout)
mkdir -p $B/dj18/shop/management/commands && touch $B/dj18/shop/management/__init__.py $B/dj18/shop/management/commands/__init__.py
printf '# -*- coding: utf-8 -*-\nfrom django.core.management.base import BaseCommand\nclass Command(BaseCommand):\n    def handle(self, *a, **k):\n        print(u"Importing caf\\xe9 menu")\n' > $B/dj18/shop/management/commands/importmenu.py
sed -i "s/'django.contrib.staticfiles',/'django.contrib.staticfiles',\n    'shop',/" $B/dj18/mysite/settings.py
(cd $B/dj18 && env -i PATH=/usr/bin:/bin LANG=C PYTHONPATH=$P/py27 $PY2 manage.py importmenu | cat) > $O/py27-langc-print.txt 2>&1
# 12 Python 2.7 pip: a pin with no Python 2 release
$PY2 -m pip install --target $B/pt "Django==2.2.28" > $O/py27-pip-django22.txt 2>&1
