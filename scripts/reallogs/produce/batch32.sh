#!/bin/bash
# batch32 (issue #13 round 6, logs7): old framework pins under today's dependencies (what pip installs
# for a V2-era requirements file now), Django settings errors of other versions, uWSGI 2.0 and
# mod_wsgi-express (the /tmp/rl/vw venv, read-only) start failures. Servers on 127.0.0.1 only.
P=/tmp/p7; O=$P/out; B=$P/b32; mkdir -p $O $B; PY=/root/.pyenv/versions; V310=$P/v310/bin; V313=$P/v313/bin; V39=$P/v39/bin
venv() { rm -rf $B/$1 && $PY/$2/bin/python -m venv $B/$1 && env -u PIP_FIND_LINKS $B/$1/bin/pip install -q "${@:3}" > $B/$1.pip.log 2>&1; }
venv f114 3.10.13 "Flask==1.1.4" gunicorn
venv f225 3.11.7 "Flask==2.2.5" "Werkzeug==3.0.6" gunicorn
venv f102 3.9.18 "Flask==1.0.2" gunicorn
venv f012 3.9.18 "Flask==0.12.5" "itsdangerous==2.1.2" gunicorn
venv fsa25 3.12.1 "Flask==2.3.3" "Flask-SQLAlchemy==2.5.1" "SQLAlchemy==2.0.36" gunicorn
printf 'from flask import Flask\napp = Flask(__name__)\n@app.route("/")\ndef index():\n    return "ok"\n' > $B/app.py
printf 'from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:////tmp/p7/b32/app.db"\ndb = SQLAlchemy(app)\n' > $B/appdb.py
for v in f114 f225 f102 f012; do (cd $B && timeout -s TERM 10 $B/$v/bin/gunicorn app:app -b 127.0.0.1:8330) > $O/drift-$v-gunicorn.txt 2>&1; done
(cd $B && FLASK_APP=app timeout -s TERM 10 $B/f114/bin/flask run -h 127.0.0.1 -p 8331) > $O/drift-f114-flask-run.txt 2>&1
(cd $B && FLASK_APP=app timeout -s TERM 10 $B/f225/bin/flask run -h 127.0.0.1 -p 8331) > $O/drift-f225-flask-run.txt 2>&1
(cd $B && timeout -s TERM 10 $B/fsa25/bin/gunicorn appdb:app -b 127.0.0.1:8332) > $O/drift-fsa25-gunicorn.txt 2>&1
(cd $B && $B/f012/bin/python -c "import app") > $O/drift-f012-import.txt 2>&1
$B/f114/bin/pip list > $O/drift-f114-pip-list.txt 2>&1
# Django settings errors: Django 2.2 (Python 3.9) and 5.1 (Python 3.13)
mkd() { rm -rf $B/$1 && mkdir -p $B/$1 && (cd $B/$1 && $2/django-admin startproject mysite . && $2/python manage.py startapp shop > /dev/null); }
mkd d22 $V39; mkd d51 $V313; mkd d32 $V310
for d in d22:$V39 d51:$V313; do n=${d%%:*}; V=${d#*:}
  cp -r $B/$n $B/$n-sk && sed -i "s/^SECRET_KEY = .*/SECRET_KEY = ''/" $B/$n-sk/mysite/settings.py
  (cd $B/$n-sk && timeout -s TERM 10 $V/gunicorn mysite.wsgi -b 127.0.0.1:8333) > $O/$n-secret-key-empty-gunicorn.txt 2>&1
  (cd $B/$n && DJANGO_SETTINGS_MODULE=mysite.settings_prod timeout -s TERM 10 $V/gunicorn mysite.wsgi -b 127.0.0.1:8334) > $O/$n-settings-prod-missing.txt 2>&1
  cp -r $B/$n $B/$n-eng && sed -i "s/'ENGINE': 'django.db.backends.sqlite3'/'ENGINE': 'django.db.backends.postgresql_psycopg2'/" $B/$n-eng/mysite/settings.py
  (cd $B/$n-eng && $V/python manage.py migrate) > $O/$n-engine-psycopg2-alias.txt 2>&1
done
# Django 5.1: CSRF_TRUSTED_ORIGINS without a scheme (4_0.E001); STATICFILES_DIRS containing STATIC_ROOT
cp -r $B/d51 $B/d51-csrf && echo 'CSRF_TRUSTED_ORIGINS = ["myapp.apps.example.com"]' >> $B/d51-csrf/mysite/settings.py
(cd $B/d51-csrf && timeout -s TERM 10 $V313/python manage.py runserver 127.0.0.1:8335 --noreload) > $O/d51-csrf-origins-scheme.txt 2>&1
cp -r $B/d51 $B/d51-st && printf 'STATIC_ROOT = BASE_DIR / "static"\nSTATICFILES_DIRS = [BASE_DIR / "static"]\n' >> $B/d51-st/mysite/settings.py && mkdir -p $B/d51-st/static
(cd $B/d51-st && $V313/python manage.py collectstatic --noinput) > $O/d51-staticfiles-dirs-root.txt 2>&1
# Django 3.2: models without DEFAULT_AUTO_FIELD (models.W042 warnings) on makemigrations/migrate: a near miss
cp -r $B/d32 $B/d32-w042 && sed -i "/^DEFAULT_AUTO_FIELD/d" $B/d32-w042/mysite/settings.py && sed -i "s/'django.contrib.staticfiles',/'django.contrib.staticfiles',\n    'shop',/" $B/d32-w042/mysite/settings.py
printf 'from django.db import models\nclass Product(models.Model):\n    name = models.CharField(max_length=100)\n' > $B/d32-w042/shop/models.py
sed -i "s/default_auto_field = .*/pass/" $B/d32-w042/shop/apps.py
(cd $B/d32-w042 && $V310/python manage.py makemigrations && $V310/python manage.py migrate) > $O/d32-w042-migrate.txt 2>&1
# uWSGI 2.0 (/tmp/rl/vw, Python 3.11, Django 4.2): a --module typo, a missing --ini, a port in use, port 80 as a random UID
VW=/tmp/rl/vw/bin; mkd d42 $VW
(cd $B/d42 && timeout -s INT 10 $VW/uwsgi --http 127.0.0.1:8336 --module mysite.wsgii:application --master --processes 1) > $O/uwsgi-module-typo.txt 2>&1
(cd $B/d42 && timeout -s INT 10 $VW/uwsgi --ini uwsgi.ini) > $O/uwsgi-ini-missing.txt 2>&1
(cd $B/d42 && timeout -s TERM 30 $V313/python -m http.server 8337 --bind 127.0.0.1 > /dev/null 2>&1 &
 sleep 3; timeout -s INT 10 $VW/uwsgi --http 127.0.0.1:8337 --module mysite.wsgi:application --master --processes 1; wait) > $O/uwsgi-port-in-use.txt 2>&1
chmod -R a+rX $B/d42
(cd $B/d42 && env -i PATH=/usr/bin:/bin HOME=/ setpriv --reuid=1000720000 --regid=0 --clear-groups timeout -s INT 10 $VW/uwsgi --http-socket :80 --module mysite.wsgi:application --master --processes 1) > $O/uwsgi-port80-uid.txt 2>&1
(cd $B/d42 && timeout -s INT 12 $VW/uwsgi --http 127.0.0.1:8338 --module mysite.wsgi:application --master --processes 2 --enable-threads & sleep 6; curl -s -o /dev/null http://127.0.0.1:8338/; curl -s -o /dev/null http://127.0.0.1:8338/admin/login/; wait) > $O/uwsgi-ok.txt 2>&1
# mod_wsgi-express 5/6 (vw): a WSGI script whose import fails, a port in use, a healthy start
printf 'import os, sys\nsys.path.insert(0, os.path.dirname(__file__))\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\nimport newrelic.agent\nfrom django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n' > $B/d42/app.wsgi
(cd $B/d42 && timeout -s TERM 15 $VW/mod_wsgi-express start-server app.wsgi --host 127.0.0.1 --port 8339 --server-root $B/mw1 --log-to-terminal & sleep 8; curl -s -o /dev/null http://127.0.0.1:8339/; sleep 2; wait) > $O/modwsgi-import-error.txt 2>&1
(cd $B/d42 && timeout -s TERM 15 $VW/mod_wsgi-express start-server mysite/wsgi.py --host 127.0.0.1 --port 8340 --server-root $B/mw2 --log-to-terminal & sleep 8; curl -s -o /dev/null http://127.0.0.1:8340/; sleep 2; wait) > $O/modwsgi-ok.txt 2>&1
