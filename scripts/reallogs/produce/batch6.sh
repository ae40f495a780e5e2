#!/bin/bash
# batch6: more variants for issue #13 (round 2). Outputs in /tmp/rl/out6. Everything on 127.0.0.1.
O=/tmp/rl/out6; C="curl -s -o /dev/null -m 8"; B=/tmp/rl/b6
PGB=/usr/lib/postgresql/15/bin
RU="setpriv --reuid=1000680000 --regid=0 --clear-groups"
SP=/tmp/rl/v42/lib/python3.11/site-packages
# ---------- pip: fresh venvs of other Pythons/pips
cd /tmp/rl
for v in 3.13.0 3.7.16 3.6.15; do s=${v%.*}; [ -d pv${s/./} ] || /root/.pyenv/versions/$v/bin/python${s} -m venv pv${s/./}; done
python3 tlsserver.py > /dev/null 2>&1 & TLS=$!; sleep 1
env -u PIP_FIND_LINKS pv313/bin/pip install --index-url https://127.0.0.1:8443/simple/ "Django==4.2.*" > $O/pip-tls-313.txt 2>&1
env -u PIP_FIND_LINKS pv36/bin/pip install --index-url https://127.0.0.1:8443/simple/ gunicorn==20.1.0 > $O/pip-tls-36.txt 2>&1
kill $TLS
env -u PIP_FIND_LINKS pv313/bin/pip install --retries 2 --timeout 3 --index-url http://127.0.0.1:9/simple/ psycopg2-binary==2.9.9 > $O/pip-refused-313.txt 2>&1
env -u PIP_FIND_LINKS pv37/bin/pip install --retries 2 --timeout 3 --index-url https://pypi.internal.invalid/simple/ Django==3.2.25 > $O/pip-dns-37.txt 2>&1
env -u PIP_FIND_LINKS pv313/bin/pip install Django==3.2.25 djangorestframework==3.15.2 > $O/pip-resolution-313.txt 2>&1
env -u PIP_FIND_LINKS pv37/bin/pip install "Django==4.2.*" > $O/pip-nodist-37.txt 2>&1
env -u PIP_FIND_LINKS pv313/bin/pip install anyjson==0.3.3 > $O/pip-use2to3-313.txt 2>&1
env -u PIP_FIND_LINKS pv37/bin/pip install -r /dev/stdin > $O/pip-use2to3-37-req.txt 2>&1 <<'REQ'
Django==3.2.25
anyjson==0.3.3
REQ
env -u PIP_FIND_LINKS pv313/bin/pip install "gunicorn==23.0.0" "whitenoise==6.7.0" > $O/pip-ok-313.txt 2>&1
# ---------- random UID: permission denied
rm -rf $B/proj && cp -a /tmp/rl/proj $B/proj && rm -f $B/proj/db.sqlite3 && chmod -R a+rX $B/proj
mkdir -p $B/static $B/run $B/logs && chmod 755 $B/static $B/run $B/logs
cd $B/proj
$RU env PYTHONPATH=$SP STATIC_ROOT=$B/static /usr/bin/python3 manage.py collectstatic --noinput > $O/uid-collectstatic.txt 2>&1
$RU env PYTHONPATH=$SP /usr/bin/python3 -m gunicorn --bind 127.0.0.1:8000 --pid $B/run/gunicorn.pid mysite.wsgi > $O/uid-gunicorn-pid.txt 2>&1 & sleep 4; kill %1 2>/dev/null; wait
$RU /usr/bin/python3 -c "
import logging.config
logging.config.dictConfig({'version': 1, 'handlers': {'file': {'class': 'logging.FileHandler', 'filename': '$B/logs/app.log'}}, 'root': {'handlers': ['file']}})" > $O/uid-logging-file.txt 2>&1
$RU bash -c 'whoami; id; echo "127.0.0.1 db.local" >> /etc/hosts' > $O/uid-etc-hosts.txt 2>&1
$RU /usr/bin/python3 -c "
with open('/etc/hosts', 'a') as f:
    f.write('10.0.0.5 postgresql\n')" > $O/uid-etc-hosts-py.txt 2>&1
# ---------- Django: removed APIs and old-app code (copies of the project)
mk() { rm -rf $B/$1 && cp -a /tmp/rl/proj $B/$1 && rm -f $B/$1/db.sqlite3; }
mk urlres; sed -i '1i from django.core.urlresolvers import reverse' $B/urlres/shop/views.py
(cd $B/urlres && /tmp/rl/v42/bin/python manage.py check > $O/dj-urlresolvers-42.txt 2>&1; /tmp/rl/v32/bin/gunicorn --bind 127.0.0.1:8000 mysite.wsgi > $O/dj-urlresolvers-32-gunicorn.txt 2>&1 & sleep 4; kill %1; wait)
mk viewstr; sed -i 's|path("", views.index),|path("", "shop.views.index"),|' $B/viewstr/mysite/urls.py
(cd $B/viewstr && /tmp/rl/v42/bin/python manage.py runserver --noreload 127.0.0.1:8000 > $O/dj-view-string-42.txt 2>&1 & sleep 4; kill %1; wait)
rm -rf $B/dj111 && mkdir -p $B/dj111 && cd $B/dj111 && /tmp/rl/v36/bin/django-admin startproject old . && /tmp/rl/v36/bin/python manage.py startapp blog
printf 'from django.conf.urls import url\nfrom django.contrib import admin\n\nurlpatterns = [\n    url(r"^admin/", admin.site.urls),\n    url(r"^$", "blog.views.home", name="home"),\n]\n' > old/urls.py
/tmp/rl/v36/bin/python manage.py check > $O/dj-view-string-111.txt 2>&1
printf 'from django.db import models\n\nclass Author(models.Model):\n    name = models.CharField(max_length=50)\n\nclass Post(models.Model):\n    author = models.ForeignKey(Author)\n    title = models.CharField(max_length=100)\n' > blog/models.py
sed -i "s/'django.contrib.staticfiles',/'django.contrib.staticfiles',\n    'blog',/" old/settings.py
git -C . init -q 2>/dev/null; true
mk ondelete; cd $B/ondelete
printf 'from django.db import models\n\nclass Product(models.Model):\n    name = models.CharField(max_length=50)\n\nclass Review(models.Model):\n    product = models.ForeignKey(Product, related_name="reviews")\n    text = models.TextField()\n' > shop/models.py
rm -rf shop/migrations/0*.py
/tmp/rl/v42/bin/python manage.py makemigrations > $O/dj-on-delete-42.txt 2>&1
/tmp/rl/v32/bin/python manage.py migrate > $O/dj-on-delete-32.txt 2>&1
mk exc; cd $B/exc
printf 'import json\nfrom django.http import HttpResponse\n\ndef parse(raw):\n    try:\n        return json.loads(raw)\n    except ValueError, e:\n        return {"error": str(e)}\n' > shop/utils.py
echo 'from . import utils' >> shop/views.py
/tmp/rl/v42/bin/python manage.py check > $O/dj-except-comma-311.txt 2>&1
/tmp/rl/v36/bin/python -c "import sys; sys.path.insert(0, '.'); import shop.utils" > $O/dj-except-comma-36.txt 2>&1
mk six; cd $B/six; sed -i '1i from django.utils.six.moves.urllib.parse import urlencode' shop/views.py
/tmp/rl/v32/bin/gunicorn --bind 127.0.0.1:8000 --workers 2 mysite.wsgi > $O/dj-utils-six-32.txt 2>&1 & sleep 4; kill %1; wait
mk signals; cd $B/signals
printf 'from django.apps import AppConfig\n\nclass ShopConfig(AppConfig):\n    default_auto_field = "django.db.models.BigAutoField"\n    name = "shop"\n\n    def ready(self):\n        import shop.signals  # noqa\n' > shop/apps.py
/tmp/rl/v42/bin/python manage.py migrate > $O/dj-dotted-signals.txt 2>&1
# ---------- Flask with flask.ext under gunicorn
mkdir -p $B/flask && cd $B/flask
printf 'from flask import Flask\nfrom flask.ext.login import LoginManager\n\napp = Flask(__name__)\nlogin_manager = LoginManager(app)\n\n@app.route("/")\ndef index():\n    return "hi"\n' > app.py
/tmp/rl/v42/bin/gunicorn --bind 127.0.0.1:8000 app:app > $O/flask-ext-gunicorn.txt 2>&1 & sleep 4; kill %1; wait
/tmp/rl/v42/bin/flask --app app run --port 8000 > $O/flask-ext-run.txt 2>&1 & sleep 3; kill %1; wait
# ---------- ALLOWED_HOSTS empty (DEBUG off)
cd /tmp/rl/proj
DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS= /tmp/rl/v32/bin/python manage.py runserver --noreload 127.0.0.1:8000 > $O/dj-allowed-hosts-empty-32.txt 2>&1
DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS= /tmp/rl/v42/bin/gunicorn --bind 127.0.0.1:8000 mysite.wsgi > $O/dj-allowed-hosts-empty-gunicorn.txt 2>&1 & sleep 3; $C http://127.0.0.1:8000/; $C http://127.0.0.1:8000/admin/; kill %1; wait
# ---------- Django technical 500 page (DEBUG on)
DB_PATH=/tmp/rl/b6/empty.sqlite3 /tmp/rl/v42/bin/python manage.py runserver --noreload 127.0.0.1:8000 > /dev/null 2>&1 & sleep 3
curl -s -m 10 http://127.0.0.1:8000/ > $O/dj-500-no-such-table.html; curl -s -m 10 http://127.0.0.1:8000/boom/ > $O/dj-500-boom.html; kill %1; wait
# ---------- JSON logging (python-json-logger) of a DB failure
printf 'import logging, psycopg2\nfrom pythonjsonlogger import jsonlogger\nh = logging.StreamHandler()\nh.setFormatter(jsonlogger.JsonFormatter("%%(asctime)s %%(levelname)s %%(name)s %%(message)s"))\nlog = logging.getLogger("worker"); log.addHandler(h); log.setLevel(logging.INFO)\nlog.info("connecting", extra={"host": "127.0.0.1"})\ntry:\n    psycopg2.connect(host="127.0.0.1", port=5433, user="django", password="bad", dbname="app")\nexcept Exception:\n    log.exception("database connection failed")\n' > $B/jsonlog.py
/tmp/rl/v42/bin/python $B/jsonlog.py > $O/json-pg-auth.txt 2>&1
# ---------- PostgreSQL: data directory permissions, missing database
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data stop" > /dev/null 2>&1; sleep 1
rm -rf /tmp/rl/pg6 && cp -a /tmp/rl/pg/data /tmp/rl/pg6 && chmod 0777 /tmp/rl/pg6
su postgres -c "$PGB/postgres -D /tmp/rl/pg6 -c listen_addresses=127.0.0.1 -p 5434 -k /tmp/rl/pg" > $O/pg-datadir-perms.txt 2>&1
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg6 -o '-p 5434 -k /tmp/rl/pg' -l /tmp/rl/pg6.log start" > $O/pg-datadir-perms-pgctl.txt 2>&1; cp /tmp/rl/pg6.log $O/pg-datadir-perms-pgctl.log 2>/dev/null
chown -R root /tmp/rl/pg6 && chmod 0700 /tmp/rl/pg6
su postgres -c "$PGB/postgres -D /tmp/rl/pg6 -p 5434 -k /tmp/rl/pg" > $O/pg-datadir-owner.txt 2>&1
rm -rf /tmp/rl/pg6
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data -l /tmp/rl/pg/server6.log -o '-c listen_addresses=127.0.0.1 -p 5433 -k /tmp/rl/pg' start" > /dev/null 2>&1; sleep 2
PGPASSWORD=secret psql -h 127.0.0.1 -p 5433 -U django sampledb -c 'select 1' > $O/pg-nodb-psql.txt 2>&1
cd /tmp/rl/proj && DB=pg /tmp/rl/v42/bin/python manage.py migrate > $O/pg-migrate-ok.txt 2>&1
echo done > $O/batch6.done
