#!/bin/bash
# batch22 (issue #13 round 5): servers and app code (uWSGI harakiri, gunicorn 27 timeouts, uvicorn,
# Flask/Jinja2, Python 2 code on 3.12/3.13, LANG=C on 3.6), second variants of batch19-21 kinds, and
# negatives (checks, collectstatic, uvicorn/uWSGI/gunicorn runs that are fine).
P=/tmp/p5; O=$P/out; B=$P/b22; mkdir -p $O $B
V52=$P/v52/bin; V42=/tmp/rl/v42/bin; V32=/tmp/rl/v32/bin; V36=/tmp/rl/v36/bin; VW=/tmp/rl/vw/bin
cp_() { rm -rf $B/$2; cp -r $P/$1 $B/$2; cd $B/$2; }
slowview() { cat >> shop/views.py <<'PY'


def slow(request):
    import time
    time.sleep(int(request.GET.get("s", "10")))
    return render(request, "shop/index.html", {"products": []})
PY
sed -i 's|    path("", views.index),|    path("", views.index),\n    path("slow/", views.slow),|' mysite/urls.py; }
# 1 uWSGI 2.0 harakiri (Django 4.2 / Python 3.11), and the same server answering fast requests
cp_ base42 uw; slowview; $VW/python manage.py migrate > /dev/null 2>&1
(cd $B/uw && timeout -s INT 20 $VW/uwsgi --http 127.0.0.1:8221 --module mysite.wsgi --master --processes 1 --harakiri 3) > $O/uwsgi-harakiri.txt 2>&1 &
sleep 5; curl -s -o /dev/null "http://127.0.0.1:8221/slow/?s=10"; wait
(cd $B/uw && timeout -s INT 14 $VW/uwsgi --http 127.0.0.1:8222 --module mysite.wsgi --master --processes 2 --harakiri 30) > $O/uwsgi-ok.txt 2>&1 &
sleep 5; for i in 1 2 3; do curl -s -o /dev/null http://127.0.0.1:8222/; done; curl -s -o /dev/null "http://127.0.0.1:8222/slow/?s=1"; wait
# 2 gunicorn 27 --timeout 3 (Django 5.2): WORKER TIMEOUT then SIGKILL
cp_ base52 gt; slowview; $V52/python manage.py migrate > /dev/null 2>&1
(cd $B/gt && timeout -s TERM 20 $V52/gunicorn --bind 127.0.0.1:8223 --timeout 3 mysite.wsgi) > $O/gunicorn27-timeout.txt 2>&1 &
sleep 5; curl -s -o /dev/null "http://127.0.0.1:8223/slow/?s=15"; wait
# 3 gunicorn 27 with access log, a 404 and a 200 (healthy)
(cd $B/gt && timeout -s TERM 12 $V52/gunicorn --bind 127.0.0.1:8224 --access-logfile - mysite.wsgi) > $O/gunicorn27-access.txt 2>&1 &
sleep 5; curl -s -o /dev/null http://127.0.0.1:8224/; curl -s -o /dev/null http://127.0.0.1:8224/wp-login.php; curl -s -o /dev/null http://127.0.0.1:8224/admin/; wait
# 4 uvicorn: "module.attr" form missing, and a healthy Django 5.2 ASGI run (lifespan unsupported)
(cd $B/gt && timeout -s TERM 10 $V52/uvicorn mysite.asgi --host 127.0.0.1 --port 8225) > $O/uvicorn-import-format.txt 2>&1
(cd $B/gt && timeout -s TERM 12 $V52/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8226) > $O/uvicorn-django52-ok.txt 2>&1 &
sleep 5; curl -s -o /dev/null http://127.0.0.1:8226/; wait
# 5 Flask 3.1 / Jinja2 3.1: a template uses a variable the view does not pass
mkdir -p $B/fl/templates && cd $B/fl && cat > app.py <<'PY'
from flask import Flask, render_template

app = Flask(__name__)


@app.route("/")
def index():
    return render_template("index.html")
PY
echo '<h1>Hello {{ user.name }}</h1>' > templates/index.html
(cd $B/fl && timeout -s TERM 10 $V52/flask --app app run --port 8227) > $O/flask-jinja-undefined.txt 2>&1 &
sleep 4; curl -s -o /dev/null http://127.0.0.1:8227/; wait
# 6 Python 2 code: print statement on 3.12 (gunicorn 27) and 3.13 (python -c import); except X, e on 3.12
cp_ base52 py2p; printf '\n\ndef legacy():\n    print "legacy view"\n' >> shop/views.py
(cd $B/py2p && timeout -s TERM 12 $V52/gunicorn --bind 127.0.0.1:8228 mysite.wsgi) > $O/py2-print-312.txt 2>&1
cp_ base52 py2e; printf '\n\ndef parse(v):\n    try:\n        return int(v)\n    except ValueError, e:\n        return 0\n' >> shop/views.py
(cd $B/py2e && $V52/python manage.py runserver 127.0.0.1:8229 --noreload) > $O/py2-except-312.txt 2>&1
(cd $B/py2p && /root/.pyenv/versions/3.13.0/bin/python -c 'import shop.views') > $O/py2-print-313.txt 2>&1
# 7 LANG=C on Python 3.6 (Django 1.11 / gunicorn 19.9): settings read a UTF-8 file with open()
rm -rf $B/lc && cp -r /tmp/rl/proj $B/lc 2>/dev/null; cd $B/lc && printf 'Café Zürich\n' > motd.txt
printf '\nwith open(os.path.join(BASE_DIR, "motd.txt")) as f:\n    MOTD = f.read()\n' >> mysite/settings.py
(cd $B/lc && env -i PATH=/usr/bin:/bin LANG=C $V36/gunicorn --bind 127.0.0.1:8230 mysite.wsgi & sleep 8; kill -TERM $!) > $O/lang-c-36.txt 2>&1
# 8 a script in scripts/ importing the project package without it on sys.path (Django 5.2)
cp_ base52 sp; mkdir -p scripts; printf 'import django\nimport os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\ndjango.setup()\n' > scripts/seed.py
(cd $B/sp && $V52/python scripts/seed.py) > $O/script-no-path.txt 2>&1
# 9 second variants: AppRegistryNotReady (5.2), InconsistentMigrationHistory (5.2), Celery 5.4 AMQP
(cd $P/base52 && $V52/python -c 'import os; os.environ["DJANGO_SETTINGS_MODULE"] = "mysite.settings"; from django.contrib.auth.models import User') > $O/apps-not-ready-52.txt 2>&1
cp_ base52 imh; $V52/python manage.py migrate > /dev/null 2>&1; $V52/python manage.py startapp accounts
printf 'from django.contrib.auth.models import AbstractUser\n\n\nclass User(AbstractUser):\n    pass\n' > accounts/models.py
printf 'INSTALLED_APPS += ["accounts"]\nAUTH_USER_MODEL = "accounts.User"\n' >> mysite/settings.py
$V52/python manage.py makemigrations accounts > /dev/null 2>&1
(cd $B/imh && $V52/python manage.py migrate) > $O/imh-52.txt 2>&1
mkdir -p $B/cel && cd $B/cel && printf 'from celery import Celery\n\napp = Celery("proj", broker="pyamqp://guest@127.0.0.1:5673//")\n' > proj.py
timeout -s TERM 20 $V42/celery -A proj worker -l info > $O/celery54-amqp.txt 2>&1
# 10 second variants: lxml on pip 18 / Python 3.6 without xml2-config; --require-hashes on pip 18
env -u PIP_FIND_LINKS PATH=$P/nobin:/usr/local/bin:/usr/sbin /tmp/rl/pv36/bin/pip install lxml==4.6.5 --no-binary lxml > $O/lxml-36.txt 2>&1
printf 'six==1.16.0 --hash=sha256:8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254\nidna==3.4\n' > $B/req-h.txt
env -u PIP_FIND_LINKS /tmp/rl/pv36/bin/pip install --require-hashes -r $B/req-h.txt > $O/pip18-hashes.txt 2>&1
# 11 database is locked (Django 5.2 shell) and DATABASES = {} (Django 3.2)
cp_ base52 lock; $V52/python manage.py migrate > /dev/null 2>&1; echo 'DATABASES["default"]["OPTIONS"] = {"timeout": 1}' >> mysite/settings.py
($V52/python -c "
import sqlite3, time
c = sqlite3.connect('db.sqlite3', isolation_level=None); c.execute('BEGIN EXCLUSIVE'); time.sleep(8)" ) &
LP=$!; sleep 1
(cd $B/lock && $V52/python manage.py shell -c 'from shop.models import Product; Product.objects.create(name="x")') > $O/lock-52.txt 2>&1
wait $LP
cp_ base32 dbe; echo 'DATABASES = {}' >> mysite/settings.py
(cd $B/dbe && $V32/python manage.py migrate) > $O/dbeng-32.txt 2>&1
# 12 negatives: check (clean, and W042 without DEFAULT_AUTO_FIELD), makemigrations --check,
# collectstatic with the manifest storage, migrate --plan, tests named after errors
(cd $P/base52 && $V52/python manage.py check) > $O/check-ok-52.txt 2>&1
cp_ base32 w042; sed -i '/DEFAULT_AUTO_FIELD/d' mysite/settings.py
(cd $B/w042 && $V32/python manage.py check) > $O/check-w042-32.txt 2>&1
(cd $P/base52 && $V52/python manage.py makemigrations --check --dry-run) > $O/makemigrations-check-52.txt 2>&1
cp_ base52 man; printf 'STORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},\n    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}\n' >> mysite/settings.py
(cd $B/man && $V52/python manage.py collectstatic --noinput) > $O/collectstatic-manifest-ok.txt 2>&1
(cd $B/man && $V52/python manage.py migrate --plan) > $O/migrate-plan-52.txt 2>&1
cat > shop/tests.py <<'PY'
from django.db import DatabaseError
from django.test import TestCase

from .models import Product


class ProductTests(TestCase):
    def test_database_error_is_reported(self):
        with self.assertRaises(DatabaseError):
            Product.objects.raw("select * from missing_table")[0]

    def test_create(self):
        self.assertEqual(Product.objects.create(name="a").name, "a")
PY
(cd $B/man && $V52/python manage.py test -v 2) > $O/tests-error-names-52.txt 2>&1
# 13 Python 3.12 SyntaxWarning for an invalid escape in the app's code; gunicorn starts fine
cp_ base52 sw; printf '\nimport re\nSKU_RE = re.compile("\\d{4}-\\w+")\n' >> shop/views.py
(cd $B/sw && timeout -s TERM 10 $V52/gunicorn --bind 127.0.0.1:8231 mysite.wsgi) > $O/syntaxwarning-312.txt 2>&1
echo done > $O/batch22.done
