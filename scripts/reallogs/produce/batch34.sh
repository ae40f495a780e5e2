#!/bin/bash
# batch34 (issue #13 round 6, logs7): negatives of the same software (debug dumps, reloads, queue
# warnings, the debugger banner, check --deploy, unapplied migrations) and two request-time Django
# failures (a Host not allowed, a POST whose Origin is not trusted) in two versions each.
# Servers on 127.0.0.1 only.
P=/tmp/p7; O=$P/out; B=$P/b34; mkdir -p $O $B; V39=$P/v39/bin; V310=$P/v310/bin; V313=$P/v313/bin; V42=/tmp/rl/v42/bin
PY2=/root/.pyenv/versions/2.7.18/bin/python
# 1 gunicorn 19.10 (Python 2.7) --log-level debug: the configuration dump
(cd $P/b27/dj18 && PYTHONPATH=$P/py27 timeout -s TERM 10 $PY2 $P/py27/bin/gunicorn mysite.wsgi:application -b 127.0.0.1:8340 --log-level debug & sleep 5; curl -s -o /dev/null http://127.0.0.1:8340/admin/login/; wait) > $O/g1910-debug.txt 2>&1
# 2 gunicorn 20.0.4 --reload, a file touched while it runs
mkdir -p $B/fl && printf 'import time\nfrom flask import Flask\napp = Flask(__name__)\n@app.route("/")\ndef index():\n    return "ok"\n@app.route("/slow")\ndef slow():\n    time.sleep(3)\n    return "slow"\n' > $B/fl/app.py
(cd $B/fl && timeout -s TERM 14 $V39/gunicorn app:app -b 127.0.0.1:8341 --reload & sleep 5; touch $B/fl/app.py; sleep 4; curl -s -o /dev/null http://127.0.0.1:8341/; wait) > $O/g2004-reload.txt 2>&1
# 3 waitress 3.0 with one thread and four concurrent slow requests: the queue-depth warnings
(cd $B/fl && timeout -s TERM 20 $V313/waitress-serve --listen=127.0.0.1:8342 --threads=1 app:app & sleep 4; for i in 1 2 3 4; do curl -s -o /dev/null http://127.0.0.1:8342/slow & done; sleep 14; wait) > $O/waitress-queue-depth.txt 2>&1
# 4 Flask 2.0 dev server in debug mode (debugger banner and PIN)
(cd $B/fl && FLASK_APP=app FLASK_ENV=development timeout -s TERM 10 $V310/flask run -h 127.0.0.1 -p 8343 --no-reload & sleep 5; curl -s -o /dev/null http://127.0.0.1:8343/; wait) > $O/fl20-debug-run.txt 2>&1
# 5 uvicorn 0.32 --log-level debug serving Django 5.1
(cd $P/b29/d51 && timeout -s TERM 10 $V313/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8344 --log-level debug & sleep 5; curl -s -o /dev/null http://127.0.0.1:8344/; curl -s -o /dev/null http://127.0.0.1:8344/missing; wait) > $O/uv032-debug.txt 2>&1
# 6 Django 5.1 check --deploy (warnings only) and Django 2.2 showmigrations
(cd $P/b29/d51 && $V313/python manage.py check --deploy) > $O/d51-check-deploy.txt 2>&1
(cd $P/b28/dj22 && $V39/python manage.py showmigrations) > $O/dj22-showmigrations.txt 2>&1
# 7 Django 1.8 (Python 2.7) runserver before migrate: the unapplied-migrations notice
rm -rf $B/dj18 && cp -r $P/b27/dj18 $B/dj18 && rm -f $B/dj18/db.sqlite3
(cd $B/dj18 && PYTHONPATH=$P/py27 timeout -s TERM 12 $PY2 manage.py runserver 127.0.0.1:8345 --noreload & sleep 6; curl -s -o /dev/null http://127.0.0.1:8345/; wait) > $O/dj18-runserver-unapplied.txt 2>&1
# 8 a Host header Django does not allow (DEBUG on, ALLOWED_HOSTS empty: only localhost names pass)
(cd $P/b29/d32 && timeout -s TERM 12 $V310/python manage.py runserver 127.0.0.1:8346 --noreload & sleep 6; curl -s -o /dev/null -H "Host: myapp-shop.apps.example.com" http://127.0.0.1:8346/; wait) > $O/d32-runserver-disallowed-host.txt 2>&1
(cd $P/b29/d51 && timeout -s TERM 12 $V313/gunicorn mysite.wsgi -b 127.0.0.1:8347 & sleep 6; curl -s -o /dev/null -H "Host: myapp-shop.apps.example.com" http://127.0.0.1:8347/admin/; wait) > $O/d51-gunicorn-disallowed-host.txt 2>&1
# 9 a POST whose Origin is not trusted (Django 4.0+ checks Origin): Django 5.1 under gunicorn, 4.2 under runserver
(cd $P/b29/d51 && timeout -s TERM 12 $V313/gunicorn mysite.wsgi -b 127.0.0.1:8348 & sleep 6; curl -s -o /dev/null -X POST -H "Origin: https://myapp-shop.apps.example.com" -d "username=a&password=b" http://127.0.0.1:8348/admin/login/; wait) > $O/d51-gunicorn-csrf-origin.txt 2>&1
rm -rf $B/d42 && cp -r $P/b32/d42 $B/d42
(cd $B/d42 && $V42/python manage.py migrate > /dev/null 2>&1; timeout -s TERM 12 $V42/python manage.py runserver 127.0.0.1:8349 --noreload & sleep 6; curl -s -o /dev/null -X POST -H "Origin: https://myapp-shop.apps.example.com" -d "username=a&password=b" http://127.0.0.1:8349/admin/login/; wait) > $O/d42-runserver-csrf-origin.txt 2>&1
