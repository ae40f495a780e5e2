O=/tmp/rl/out; PY=/tmp/rl/v42/bin/python; G=/tmp/rl/v42/bin/gunicorn; C="curl -s -o /dev/null -m 5"
SP=/tmp/rl/v42/lib/python3.11/site-packages
NB="setpriv --reuid=65534 --regid=65534 --clear-groups"
cd /tmp/rl/proj
# negatives
/root/.pyenv/versions/3.10.13/bin/python -m pip install --no-cache-dir -q six==1.16.0 > $O/n3-pip-root.txt 2>&1
/tmp/rl/pipv2/bin/pip install -r /tmp/rl/req-ok.txt > $O/n3-pip-already.txt 2>&1
/tmp/rl/pipv2/bin/pip check > $O/n3-pip-check.txt 2>&1
DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=127.0.0.1 $PY manage.py runserver --noreload 127.0.0.1:8000 > $O/n3-runserver-nodebug.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8000/; $C http://127.0.0.1:8000/nope/; $C http://127.0.0.1:8000/admin/login/; kill $P; wait $P
$G --bind 127.0.0.1:8080 --workers 2 --preload --access-logfile - mysite.wsgi > $O/n3-gunicorn-preload.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8080/; kill -QUIT $P; wait $P
$G --bind 127.0.0.1:8080 --reload mysite.wsgi > $O/n3-gunicorn-reload.txt 2>&1 & P=$!; sleep 3; touch shop/views.py; sleep 3; $C http://127.0.0.1:8080/; kill $P; wait $P
/tmp/rl/v42/bin/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8000 --reload > $O/n3-uvicorn-reload.txt 2>&1 & P=$!; sleep 3; touch shop/views.py; sleep 3; $C http://127.0.0.1:8000/; kill $P; wait $P
cd /tmp/rl/b/flaskok && /tmp/rl/v42/bin/flask --app app run --debug --host 127.0.0.1 --port 5000 > $O/n3-flask-debug.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:5000/; kill $P; wait $P; cd /tmp/rl/proj
PGPASSWORD=adminpw psql -h 127.0.0.1 -p 5433 -U postgres -c CHECKPOINT > /dev/null 2>&1; sleep 1
su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D /tmp/rl/pg/data stop" > /dev/null 2>&1; sleep 1
su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D /tmp/rl/pg/data -l /tmp/rl/pg/server4.log -o '-c listen_addresses=127.0.0.1 -p 5433 -k /tmp/rl/pg' start" > /dev/null 2>&1; sleep 2
cp /tmp/rl/pg/server3.log $O/n3-pg-checkpoint-stop.txt
$PY manage.py migrate --plan > $O/n3-migrate-plan.txt 2>&1
rm -rf /tmp/rl/b/w042 && cp -r /tmp/rl/proj /tmp/rl/b/w042 && cd /tmp/rl/b/w042 && sed -i '/default_auto_field/d' shop/apps.py && sed -i '/^DEFAULT_AUTO_FIELD/d' mysite/settings.py && $PY manage.py runserver --noreload 127.0.0.1:8000 > $O/n3-w042.txt 2>&1 & P=$!; sleep 4; kill $P; wait $P; cd /tmp/rl/proj
cat > shop/tests.py <<'X'
from django.test import TestCase

class BoomTests(TestCase):
    def test_boom_returns_500_and_logs_error(self):
        with self.assertRaises(Exception):
            self.client.get("/boom/")

    def test_products_page(self):
        self.assertEqual(self.client.get("/").status_code, 200)
X
$PY manage.py test > $O/n3-tests-logged-error.txt 2>&1
# failures
rm -rf /tmp/rl/b/ro && mkdir -p /tmp/rl/b/ro && cp -r /tmp/rl/proj /tmp/rl/b/ro/app && cd /tmp/rl/b/ro/app && DB_PATH=/tmp/rl/b/ro/app/db.sqlite3 $PY manage.py migrate > /dev/null 2>&1; chmod 444 db.sqlite3; chmod 755 /tmp/rl/b/ro/app
DB_PATH=/tmp/rl/b/ro/app/db.sqlite3 PYTHONPATH=$SP $NB /usr/bin/python3 -c "
import os, django
os.environ['DJANGO_SETTINGS_MODULE']='mysite.settings'
django.setup()
from shop.models import Product
Product.objects.create(name='x', price=1)
" > $O/f3-sqlite-readonly.txt 2>&1
chmod 555 /tmp/rl/b/ro/app; rm -f /tmp/rl/b/ro/app/db2.sqlite3
DB_PATH=/tmp/rl/b/ro/app/db2.sqlite3 PYTHONPATH=$SP $NB /usr/bin/python3 manage.py migrate > $O/f3-sqlite-cantopen.txt 2>&1
chmod 755 /tmp/rl/b/ro/app
PYTHONPATH=$SP $NB /usr/bin/python3 -c "open('/etc/hosts', 'a').write('127.0.0.1 db\n')" > $O/f3-etc-hosts.txt 2>&1
mkdir -p /tmp/rl/b/ro/static && chmod 755 /tmp/rl/b/ro/static
STATIC_ROOT=/tmp/rl/b/ro/static/collected PYTHONPATH=$SP $NB /usr/bin/python3 manage.py collectstatic --noinput > $O/f3-collectstatic-perm.txt 2>&1
PYTHONPATH=$SP $NB /usr/bin/python3 -m gunicorn --bind 127.0.0.1:8097 --error-logfile /var/log/gunicorn-error.log mysite.wsgi > $O/f3-gunicorn-logfile.txt 2>&1
PYTHONPATH=$SP $NB /usr/bin/python3 -m gunicorn --bind 127.0.0.1:8097 --pid /var/run/gunicorn.pid mysite.wsgi > $O/f3-gunicorn-pidfile.txt 2>&1 & P=$!; sleep 4; kill $P 2>/dev/null; wait $P
cd /tmp/rl/proj
printf 'import sys\nif (n := len(sys.argv)) > 1:\n    print(n)\n' > /tmp/rl/walrus.py; /root/.pyenv/versions/3.7.16/bin/python /tmp/rl/walrus.py > $O/f3-walrus.txt 2>&1
printf 'def route(cmd):\n    match cmd:\n        case "go":\n            return 1\n' > /tmp/rl/match.py; /root/.pyenv/versions/3.9.18/bin/python /tmp/rl/match.py > $O/f3-match.txt 2>&1
/tmp/rl/pipv/bin/pip install --no-cache-dir wsgiref==0.1.2 > $O/f3-wsgiref.txt 2>&1
LC_ALL=en_US.UTF-8 $PY -c "import locale; locale.setlocale(locale.LC_ALL, '')" > $O/f3-locale.txt 2>&1
printf '#!/bin/bash\r\necho starting\r\nexec gunicorn mysite.wsgi\r\n' > /tmp/rl/app-crlf.sh; chmod +x /tmp/rl/app-crlf.sh; /tmp/rl/app-crlf.sh > $O/f3-crlf-direct.txt 2>&1
printf '#!/usr/bin/env bash\r\necho starting\r\n' > /tmp/rl/run-crlf.sh; chmod +x /tmp/rl/run-crlf.sh; /tmp/rl/run-crlf.sh > $O/f3-crlf-env.txt 2>&1
printf '#!/bin/bash\nexec gunicorn mysite.wsgi\n' > /tmp/rl/app-noexec.sh; chmod 644 /tmp/rl/app-noexec.sh; /tmp/rl/app-noexec.sh > $O/f3-noexec.txt 2>&1
$PY manage.py runserver --noreload 127.0.0.1:8000 > /dev/null 2>&1 & P=$!; sleep 3; $PY manage.py runserver --noreload 127.0.0.1:8000 > $O/f3-runserver-port.txt 2>&1; /tmp/rl/v42/bin/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8000 > $O/f3-uvicorn-port.txt 2>&1; kill $P; wait $P
echo done > $O/batch3.done
