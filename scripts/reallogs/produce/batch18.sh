#!/bin/bash
# batch18 (issue #13 round 4, last variants): Debian's externally managed Python, settings-module typos
# under gunicorn and uvicorn, Flask's FLASK_APP typo, a unix socket in a missing folder, a missing database.
O=/tmp/rl/out18; B=/tmp/rl/b18; V=/tmp/rl/v42/bin; PGB=/usr/lib/postgresql/15/bin
# 1 pip into Debian 12's system Python (PEP 668), and with --user
env -u PIP_FIND_LINKS /usr/bin/python3 -m pip install six > $O/pip-externally-managed.txt 2>&1
HOME=$B/home env -u PIP_FIND_LINKS /usr/bin/python3 -m pip install --user six > $O/pip-externally-managed-user.txt 2>&1
# 2 DJANGO_SETTINGS_MODULE with a typo under gunicorn 27 and uvicorn
(cd /tmp/rl/proj && DJANGO_SETTINGS_MODULE=mysite.settings_prod timeout -s TERM 20 $V/gunicorn --bind 127.0.0.1:8000 mysite.wsgi) > $O/gunicorn-settings-typo.txt 2>&1
(cd /tmp/rl/proj && DJANGO_SETTINGS_MODULE=mysite.setings timeout -s TERM 20 $V/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8000) > $O/uvicorn-settings-typo.txt 2>&1
# 3 Flask: FLASK_APP names a module that does not exist
(cd /tmp/rl/b13/fl && FLASK_APP=ap timeout -s TERM 20 $V/flask run --port 8000) > $O/flask-app-typo.txt 2>&1
# 4 gunicorn bound to a unix socket in a folder that does not exist
(cd /tmp/rl/proj && timeout -s TERM 20 $V/gunicorn --bind unix:/tmp/rl/b18/run/gunicorn.sock mysite.wsgi) > $O/gunicorn-unix-socket-dir.txt 2>&1
# 5 psql to a database that does not exist
touch $B/pg18.log; chown postgres: $B/pg18.log
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data -l $B/pg18.log -o '-c listen_addresses=127.0.0.1 -p 5433 -k /tmp/rl/pg' start" > /dev/null 2>&1; sleep 3
PGPASSWORD=secret psql -h 127.0.0.1 -p 5433 -U django shopdb -c 'select 1' > $O/psql-db-missing.txt 2>&1
(cd /tmp/rl/proj && DB=pg DB_NAME=shop_prod $V/python manage.py migrate) > $O/dj-pg-db-missing.txt 2>&1
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data stop" > /dev/null 2>&1; sleep 1
echo done > $O/batch18.done
