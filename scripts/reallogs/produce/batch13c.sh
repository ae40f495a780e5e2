#!/bin/bash
# batch13c (issue #13 round 4): gunicorn/uvicorn/uWSGI/Flask/Django failures and near misses
O=/tmp/rl/out13; B=/tmp/rl/b13; V=/tmp/rl/v42/bin; C="curl -s -o /dev/null -m 8"
mk() { rm -rf $B/$1; cp -r /tmp/rl/proj $B/$1; rm -f $B/$1/db.sqlite3; }
cd /tmp/rl/proj
timeout -s TERM 8 $V/gunicorn --bind 127.0.0.1:8000 --workers abc mysite.wsgi > $O/gunicorn-workers-abc.txt 2>&1
timeout -s TERM 8 $V/gunicorn -c gunicorn.conf.py mysite.wsgi > $O/gunicorn-config-missing.txt 2>&1
timeout -s TERM 8 $V/gunicorn --bind 127.0.0.1:8000 -k eventlet mysite.wsgi > $O/gunicorn-eventlet-missing.txt 2>&1
mk environ; sed -i '1i import environ\nenv = environ.Env()' $B/environ/mysite/settings.py
(cd $B/environ && timeout -s TERM 8 $V/gunicorn --bind 127.0.0.1:8000 mysite.wsgi) > $O/gunicorn-environ-missing.txt 2>&1
mk rterr; printf '\nimport os\nif not os.environ.get("DATABASE_URL"):\n    raise RuntimeError("DATABASE_URL is not set")\n' >> $B/rterr/mysite/wsgi.py
(cd $B/rterr && timeout -s TERM 8 $V/gunicorn --bind 127.0.0.1:8000 --workers 2 mysite.wsgi) > $O/gunicorn-runtimeerror.txt 2>&1
(cd $B/fl && timeout -s TERM 8 $V/uvicorn app:application --host 127.0.0.1 --port 8000) > $O/uvicorn-attr-missing.txt 2>&1
timeout -s TERM 8 $V/uvicorn mysite.asgi:application --host 127.0.0.1 --port abc > $O/uvicorn-port-abc.txt 2>&1
(cd $B/flnoapp && timeout -s TERM 8 $V/flask run --port 8000) > $O/flask-no-app.txt 2>&1
(cd $B/fl && timeout -s TERM 8 $V/flask --app app run --port 8000 > $O/flask-template-missing.txt 2>&1 & sleep 3; $C http://127.0.0.1:8000/; $C http://127.0.0.1:8000/page; wait)
(cd $B/fl && timeout -s TERM 8 $V/flask --app app run --debug --port 8000 > $O/flask-debug-ok.txt 2>&1 & sleep 4; $C http://127.0.0.1:8000/; wait)
mk secret; echo 'SECRET_KEY = ""' >> $B/secret/mysite/settings.py
(cd $B/secret && $V/python manage.py check) > $O/dj-secret-key-empty.txt 2>&1
mk nocol; (cd $B/nocol && DB_PATH=$B/nocol/db.sqlite3 $V/python manage.py migrate > /dev/null 2>&1); echo '    stock = models.IntegerField(default=0)' >> $B/nocol/shop/models.py
(cd $B/nocol && DB_PATH=$B/nocol/db.sqlite3 timeout -s TERM 8 $V/python manage.py runserver 127.0.0.1:8000 --noreload > $O/dj-no-such-column.txt 2>&1 & sleep 4; $C http://127.0.0.1:8000/; wait)
mk ugt; sed -i '1i from django.utils.translation import ugettext_lazy as _' $B/ugt/shop/models.py
(cd $B/ugt && $V/python manage.py migrate) > $O/dj-ugettext.txt 2>&1
mk ftext; sed -i '1i from django.utils.encoding import force_text' $B/ftext/shop/views.py
(cd $B/ftext && timeout -s TERM 8 $V/gunicorn --bind 127.0.0.1:8000 mysite.wsgi > $O/gunicorn-force-text.txt 2>&1 & sleep 4; $C http://127.0.0.1:8000/; wait)
mk dutils; sed -i '1i from distutils.util import strtobool' $B/dutils/mysite/settings.py
(cd $B/dutils && timeout -s TERM 8 $B/p312/bin/gunicorn --bind 127.0.0.1:8000 mysite.wsgi) > $O/gunicorn312-distutils.txt 2>&1
mk coll; sed -i '1i from collections import Mapping' $B/coll/shop/views.py
(cd $B/coll && timeout -s TERM 8 $V/python manage.py runserver 127.0.0.1:8000 --noreload > $O/dj-collections-mapping.txt 2>&1 & sleep 4; $C http://127.0.0.1:8000/; wait)
timeout -s INT 6 /tmp/rl/vw/bin/uwsgi --http 127.0.0.1:8000 --master --chdir /tmp/rl/proj --wsgi-file mysite/wsgii.py --home /tmp/rl/vw > $O/uwsgi-wsgi-file-missing.txt 2>&1
mk tfail; printf 'from django.test import TestCase\n\nclass ShopTests(TestCase):\n    def test_index(self):\n        r = self.client.get("/")\n        self.assertContains(r, "Welcome")\n' > $B/tfail/shop/tests.py; rm -rf $B/tfail/shop/tests_dir
(cd $B/tfail && $V/python manage.py test shop) > $O/dj-test-failure.txt 2>&1
mk sdirs; echo 'STATICFILES_DIRS = [BASE_DIR / "assets"]' >> $B/sdirs/mysite/settings.py
(cd $B/sdirs && STATIC_ROOT=$B/sdirs/static $V/python manage.py collectstatic --noinput) > $O/dj-collectstatic-w004.txt 2>&1
timeout -s TERM 8 $V/gunicorn --bind 127.0.0.1:8000 --preload --workers 2 --access-logfile - mysite.wsgi > $O/gunicorn-preload-ok.txt 2>&1 & sleep 4; $C http://127.0.0.1:8000/; $C http://127.0.0.1:8000/nope; wait
python3 /tmp/rl/tlsserver.py > /dev/null 2>&1 & T=$!; sleep 1
$V/python -c "import urllib.request; print(urllib.request.urlopen('https://127.0.0.1:8443/').status)" > $O/requests-tls-verify.txt 2>&1
kill $T; wait $T
echo done > $O/batch13c.done
