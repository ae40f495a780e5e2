#!/bin/bash
O=/tmp/rl/out; PY=/tmp/rl/v42/bin/python; G=/tmp/rl/v42/bin/gunicorn; C="curl -s -o /dev/null -m 10"
cd /tmp/rl
# pip retry variants
pkill -f "flakyproxy.py" ; sleep 0.5
(python3 flakyproxy.py 1 > /dev/null 2>&1 &); sleep 1
python3.11 -m venv pipv5 && pipv5/bin/pip install --no-cache-dir --proxy http://127.0.0.1:3128 -r req-ok.txt > $O/neg-pip-retry2.txt 2>&1
pkill -f "flakyproxy.py"
# pip root warning + notice (env without disable flag)
python3.11 -m venv pipv6 && env -u PIP_DISABLE_PIP_VERSION_CHECK pipv6/bin/pip install --no-cache-dir "pip==23.3.2" > $O/neg-pip-downgrade.txt 2>&1; env -u PIP_DISABLE_PIP_VERSION_CHECK pipv6/bin/pip install --no-cache-dir flask==3.0.3 > $O/neg-pip-notice.txt 2>&1
/root/.pyenv/versions/3.9.18/bin/python -m venv pipv7 && pipv7/bin/pip install --no-cache-dir "itsdangerous==0.24" > $O/neg-pip-legacy-setup.txt 2>&1
/root/.pyenv/versions/3.12.1/bin/python -m venv pipv8 && pipv8/bin/pip install --no-cache-dir "Django==5.0.6" "gunicorn==22.0.0" > $O/neg-pip-py312.txt 2>&1
# django projects
cd /tmp/rl/proj
$PY manage.py check --deploy > $O/neg-check-deploy.txt 2>&1
$PY manage.py makemigrations > $O/neg-makemigrations.txt 2>&1
$PY manage.py showmigrations > $O/neg-showmigrations.txt 2>&1
STATIC_ROOT=/tmp/rl/staticroot $PY manage.py collectstatic --noinput > $O/neg-collectstatic-again.txt 2>&1
mkdir -p shop/tests_dir; cat > shop/tests.py <<'X'
from django.test import TestCase

class ErrorPageTests(TestCase):
    def test_error_404_page_renders(self):
        r = self.client.get("/no-such-page/")
        self.assertEqual(r.status_code, 404)

    def test_error_message_is_logged(self):
        import logging
        with self.assertLogs("django.request", level="WARNING"):
            self.client.get("/no-such-page/")

    def test_index_counts_products_without_errors(self):
        self.assertEqual(self.client.get("/").status_code, 200)

    def test_failed_login_shows_error(self):
        r = self.client.post("/admin/login/", {"username": "x", "password": "y"})
        self.assertContains(r, "Please enter the correct", status_code=200)
X
$PY manage.py test -v 2 > $O/neg-django-tests.txt 2>&1
# deprecation warnings: python -W default with USE_L10N
cp mysite/settings.py /tmp/rl/settings.bak; echo "USE_L10N = True" >> mysite/settings.py
$PY -W default manage.py check > $O/neg-deprecation.txt 2>&1
cp /tmp/rl/settings.bak mysite/settings.py
sed -i 's/^DEFAULT_AUTO_FIELD/#DEFAULT_AUTO_FIELD/' mysite/settings.py; $PY manage.py check > $O/neg-w042.txt 2>&1; cp /tmp/rl/settings.bak mysite/settings.py
# runserver with reloader
$PY manage.py runserver 127.0.0.1:8000 > $O/neg-runserver-reload.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8000/; $C http://127.0.0.1:8000/admin/; touch shop/views.py; sleep 3; $C http://127.0.0.1:8000/; kill $P; sleep 1; pkill -f "runserver 127.0.0.1:8000"
# gunicorn debug level + HUP reload
$G --bind 127.0.0.1:8080 --workers 2 --log-level debug mysite.wsgi > $O/neg-gunicorn-debug.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8080/; kill -HUP $P; sleep 3; $C http://127.0.0.1:8080/; kill $P; wait $P
# gunicorn graceful timeout with --max-requests (worker restart)
$G --bind 127.0.0.1:8080 --workers 1 --max-requests 3 --access-logfile - mysite.wsgi > $O/neg-gunicorn-maxreq.txt 2>&1 & P=$!; sleep 3; for i in 1 2 3 4 5; do $C http://127.0.0.1:8080/; done; sleep 1; kill $P; wait $P
# uvicorn with invalid HTTP request warning
/tmp/rl/v42/bin/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8000 > $O/neg-uvicorn-invalid.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8000/; printf 'GARBAGE\r\n\r\n' | timeout 2 nc 127.0.0.1 8000 > /dev/null 2>&1; $C http://127.0.0.1:8000/admin/login/; sleep 1; kill $P; wait $P
/tmp/rl/v42/bin/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8000 --workers 2 > $O/neg-uvicorn-workers.txt 2>&1 & P=$!; sleep 4; $C http://127.0.0.1:8000/; kill $P; wait $P
# flask dev server
mkdir -p /tmp/rl/b/flaskok && cd /tmp/rl/b/flaskok && printf 'from flask import Flask\napp = Flask(__name__)\n\n@app.route("/")\ndef index():\n    return "ok"\n\n@app.route("/healthz")\ndef healthz():\n    return "ok"\n' > app.py
/tmp/rl/v42/bin/flask --app app run --host 127.0.0.1 --port 5000 > $O/neg-flask-dev.txt 2>&1 & P=$!; sleep 2; $C http://127.0.0.1:5000/; $C http://127.0.0.1:5000/healthz; $C http://127.0.0.1:5000/missing; kill $P; wait $P
$G --bind 127.0.0.1:8080 --access-logfile - app:app > $O/neg-flask-gunicorn.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8080/healthz; $C http://127.0.0.1:8080/; kill $P; wait $P
# postgres clean shutdown and restart log
su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D /tmp/rl/pg/data -l /tmp/rl/pg/server2.log -o '-c listen_addresses=127.0.0.1 -p 5433 -k /tmp/rl/pg' restart" > /dev/null 2>&1
sleep 2; cp /tmp/rl/pg/server2.log $O/neg-pg-restart.txt
echo done > $O/neg.done
