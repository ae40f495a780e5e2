#!/bin/bash
# batch31 (issue #13 round 6, logs7): a random UID with no passwd entry (setpriv --reuid=1000720000
# --regid=0 --clear-groups, Debian's python3 3.11 with /tmp/rl/v42's site-packages: Django 4.2,
# gunicorn 27), Celery 5.2 with Redis 7.0 (Debian redis-server on 127.0.0.1:6391), locale runs.
P=/tmp/p7; O=$P/out; B=$P/b31; mkdir -p $O $B; V310=$P/v310/bin; PY=/root/.pyenv/versions
RU="setpriv --reuid=1000720000 --regid=0 --clear-groups"
SP=/tmp/rl/v42/lib/python3.11/site-packages
# a project owned by root, not writable by group 0 (as when an image's files were not fixed for OpenShift)
rm -rf $B/app && mkdir -p $B/app && cp -r $P/b29/d51/. $B/app/ 2>/dev/null; rm -f $B/app/db.sqlite3
cd $B/app && PYTHONPATH=$SP python3 -c "import django; print(django.VERSION)" > /dev/null
# Django 5.1's project files run under 4.2 here: the settings are plain and work on both
chmod -R go-w $B/app; chmod 755 $B/app
RUN() { (cd $B/app && env -i PATH=/usr/bin:/bin PYTHONPATH=$SP HOME=/ $RU "$@"); }
RUN python3 manage.py migrate > $O/uid-migrate-sqlite.txt 2>&1
mkdir -p $B/app/db && cp -r $P/b29/d51/db.sqlite3 $B/app/db/ 2>/dev/null; chmod 755 $B/app/db; chmod 644 $B/app/db/db.sqlite3
sed -i "s|BASE_DIR / 'db.sqlite3'|BASE_DIR / 'db' / 'db.sqlite3'|; s|BASE_DIR / \"db.sqlite3\"|BASE_DIR / \"db\" / \"db.sqlite3\"|" $B/app/mysite/settings.py
RUN python3 manage.py createsuperuser --noinput --username admin --email a@example.com > $O/uid-createsuperuser-readonly.txt 2>&1
RUN env STATIC_ROOT=/tmp/p7/b31/app/staticfiles python3 manage.py collectstatic --noinput > $O/uid-collectstatic.txt 2>&1
RUN timeout -s TERM 8 python3 -m gunicorn mysite.wsgi -b 127.0.0.1:8320 --pid /tmp/p7/b31/app/gunicorn.pid > $O/uid-gunicorn-pidfile.txt 2>&1
RUN timeout -s TERM 8 python3 -m gunicorn mysite.wsgi -b 127.0.0.1:8321 --error-logfile /tmp/p7/b31/app/logs/error.log > $O/uid-gunicorn-logfile.txt 2>&1
RUN timeout -s TERM 10 python3 -m gunicorn mysite.wsgi -b 127.0.0.1:80 > $O/uid-gunicorn-port80.txt 2>&1
RUN python3 -m pip install --user requests > $O/uid-pip-user.txt 2>&1
RUN python3 -c "import getpass; print(getpass.getuser())" > $O/uid-getuser.txt 2>&1
RUN python3 -m pip --version > $O/uid-pip-version.txt 2>&1
# healthy under the random UID: gunicorn with its worker tmp dir in /tmp, requests served
RUN timeout -s TERM 10 python3 -m gunicorn mysite.wsgi -b 127.0.0.1:8322 --access-logfile - > $O/uid-gunicorn-ok.txt 2>&1 &
sleep 6; curl -s -o /dev/null http://127.0.0.1:8322/; wait
# Celery 5.2 (Python 3.10): no broker, a wrong -A, healthy worker with Redis up, a task that fails
mkdir -p $B/cel && printf 'from celery import Celery\napp = Celery("tasks", broker="redis://127.0.0.1:6391/0", backend="redis://127.0.0.1:6391/1")\n@app.task\ndef add(x, y):\n    return x + y\n@app.task\ndef charge(order_id):\n    raise ValueError("card declined for order %%s" %% order_id)\n' > $B/cel/tasks.py
(cd $B/cel && timeout -s TERM 15 $V310/celery -A tasks worker --loglevel=INFO) > $O/celery52-redis-refused.txt 2>&1
(cd $B/cel && timeout -s TERM 10 $V310/celery -A taskz worker --loglevel=INFO) > $O/celery52-app-missing.txt 2>&1
(redis-server --bind 127.0.0.1 --port 6391 --save '' --daemonize yes --pidfile $B/redis.pid --logfile $B/redis.log)
sleep 2
(cd $B/cel && timeout -s TERM 20 $V310/celery -A tasks worker --loglevel=INFO -c 1 & sleep 10; $V310/python -c "from tasks import add, charge; print(add.delay(2, 3).get(timeout=5)); charge.delay(42)"; sleep 4; wait) > $O/celery52-ok-and-task-fails.txt 2>&1
redis-cli -p 6391 config set requirepass s3cret > /dev/null
(cd $B/cel && timeout -s TERM 12 $V310/celery -A tasks worker --loglevel=INFO) > $O/celery52-redis-noauth.txt 2>&1
kill $(cat $B/redis.pid); sleep 1
# locale: Python 3.6 with Flask 1.1 / Click 7 under LANG=C (the C locale is not coerced before 3.7),
# and Python 3.13 under LANG=C (UTF-8 mode: nothing to see, a healthy run)
rm -rf $B/v36f && $PY/3.6.15/bin/python -m venv $B/v36f && env -u PIP_FIND_LINKS $B/v36f/bin/pip install -q "Flask==1.1.4" "Jinja2<3.0" "MarkupSafe<2.0" "itsdangerous<2.0" "Werkzeug<2.0" "click<8" > $B/v36f.log 2>&1
mkdir -p $B/fl && printf 'from flask import Flask\napp = Flask(__name__)\n@app.route("/")\ndef index():\n    return "ok"\n' > $B/fl/app.py
(cd $B/fl && env -i PATH=/usr/bin:/bin LANG=C FLASK_APP=app timeout -s TERM 8 $B/v36f/bin/flask run -h 127.0.0.1 -p 8323) > $O/py36-flask-langc.txt 2>&1
(cd $B/fl && env -i PATH=/usr/bin:/bin LANG=C.UTF-8 FLASK_APP=app timeout -s TERM 8 $B/v36f/bin/flask run -h 127.0.0.1 -p 8324) > $O/py36-flask-utf8-ok.txt 2>&1
printf 'import sys\nname = open("menu.txt").read().strip()\nprint("Menu:", name)\n' > $B/fl/menu.py; printf 'Caf\xc3\xa9 cr\xc3\xa8me\n' > $B/fl/menu.txt
(cd $B/fl && env -i PATH=/usr/bin:/bin LANG=C $B/v36f/bin/python menu.py) > $O/py36-open-langc.txt 2>&1
(cd $B/fl && env -i PATH=/usr/bin:/bin LANG=C $P/v313/bin/python menu.py) > $O/py313-open-langc-ok.txt 2>&1
(cd $B/fl && env -i PATH=/usr/bin:/bin LANG=C PYTHONIOENCODING=ascii $P/v313/bin/python menu.py) > $O/py313-print-ascii.txt 2>&1
