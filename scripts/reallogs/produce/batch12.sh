#!/bin/bash
# batch12 (issue #13 round 3): near misses and noisy-but-healthy logs, plus a few failures with an earlier cause.
O=/tmp/rl/out12; PGB=/usr/lib/postgresql/15/bin; C="curl -s -o /dev/null -m 8"
cd /tmp/rl/proj
# 1 uvicorn: garbage request -> WARNING Invalid HTTP request received
/tmp/rl/v42/bin/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8000 > $O/uvicorn-invalid-request.txt 2>&1 & P=$!; sleep 3; printf 'GARBAGE\r\n\r\n' | timeout 3 nc 127.0.0.1 8000 >/dev/null 2>&1; $C http://127.0.0.1:8000/; kill -TERM $P; wait $P
# 2 uvicorn --reload with a change
/tmp/rl/v42/bin/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8000 --reload > $O/uvicorn-reload.txt 2>&1 & P=$!; sleep 4; touch mysite/urls.py; sleep 4; $C http://127.0.0.1:8000/; kill -TERM $P; wait $P
# 3 gunicorn --max-requests: workers restart
/tmp/rl/v42/bin/gunicorn --bind 127.0.0.1:8000 --workers 2 --max-requests 2 --access-logfile - mysite.wsgi > $O/gunicorn-max-requests.txt 2>&1 & P=$!; sleep 3; for i in 1 2 3 4 5 6; do $C http://127.0.0.1:8000/; done; sleep 1; kill -TERM $P; wait $P
# 4 gunicorn HUP reload and TTIN
/tmp/rl/v42/bin/gunicorn --bind 127.0.0.1:8000 --workers 2 mysite.wsgi > $O/gunicorn-hup.txt 2>&1 & P=$!; sleep 3; kill -HUP $P; sleep 3; kill -TTIN $P; sleep 2; kill -TERM $P; wait $P
# 5 runserver with 404s (WARNING Not Found lines)
timeout -s TERM 8 /tmp/rl/v42/bin/python manage.py runserver 127.0.0.1:8000 --noreload > $O/runserver-404.txt 2>&1 & sleep 3; $C http://127.0.0.1:8000/favicon.ico; $C http://127.0.0.1:8000/nope/; $C http://127.0.0.1:8000/; wait
# 6 Django deprecation warning (USE_L10N in 4.2)
cp -r /tmp/rl/proj /tmp/rl/b12/depr; echo 'USE_L10N = True' >> /tmp/rl/b12/depr/mysite/settings.py
(cd /tmp/rl/b12/depr && /tmp/rl/v42/bin/python -W default manage.py check) > $O/dj-use-l10n-deprecation.txt 2>&1
(cd /tmp/rl/b12/depr && timeout -s TERM 6 /tmp/rl/v42/bin/gunicorn --bind 127.0.0.1:8000 mysite.wsgi) > $O/gunicorn-use-l10n-deprecation.txt 2>&1
# 7 pip: old pip version warning, --user script not on PATH, dependency-resolver conflict that installs
env -u PIP_FIND_LINKS /tmp/rl/pv37/bin/pip install six > $O/pip-old-version-warning.txt 2>&1
env -u PIP_FIND_LINKS /tmp/rl/pv36/bin/pip install --no-cache-dir six > $O/pip18-old-version.txt 2>&1
python3.11 -m venv /tmp/rl/b12/pc && env -u PIP_FIND_LINKS /tmp/rl/b12/pc/bin/pip install "Django==4.2.*" > $O/pip-dj.txt 2>&1 && env -u PIP_FIND_LINKS /tmp/rl/b12/pc/bin/pip install "asgiref==3.5.2" > $O/pip-resolver-conflict-installed.txt 2>&1
HOME=/tmp/rl/b12/home env -u PIP_FIND_LINKS PIP_USER=1 /usr/bin/python3 -m pip install --user --break-system-packages sqlparse > $O/pip-user-not-on-path.txt 2>&1
# 8 pip retry then ok via flaky proxy (pip 18 and 22 wordings)
python3 /tmp/rl/flakyproxy.py 3 > /tmp/rl/b12/proxy.log 2>&1 & PX=$!; sleep 1
env -u PIP_FIND_LINKS /tmp/rl/pv37/bin/pip install --no-cache-dir --proxy http://127.0.0.1:3128 idna > $O/pip22-retry-then-ok.txt 2>&1; kill $PX; wait $PX
python3 /tmp/rl/flakyproxy.py 2 > /tmp/rl/b12/proxy2.log 2>&1 & PX=$!; sleep 1
env -u PIP_FIND_LINKS /tmp/rl/pv36/bin/pip install --no-cache-dir --proxy http://127.0.0.1:3128 idna > $O/pip18-retry-then-ok.txt 2>&1; kill $PX; wait $PX
# 9 postgres: crash recovery after kill -9, NOTICE/WARNING client lines, fast shutdown terminating connections
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data -l /tmp/rl/b12/pg-a.log -o '-c listen_addresses=127.0.0.1 -p 5433 -k /tmp/rl/pg' start" > /dev/null 2>&1; sleep 2
PGPASSWORD=secret psql -h 127.0.0.1 -p 5433 -U django app -c 'COMMIT' -c 'CREATE TABLE IF NOT EXISTS t12 (id int)' -c 'CREATE TABLE IF NOT EXISTS t12 (id int)' -c 'DROP TABLE IF EXISTS nope12' > $O/psql-notice-warning.txt 2>&1
(PGPASSWORD=secret psql -h 127.0.0.1 -p 5433 -U django app -c 'select pg_sleep(20)' > $O/psql-terminated-by-shutdown.txt 2>&1 &) ; sleep 1
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data -m fast stop" > /dev/null 2>&1; sleep 1
cp /tmp/rl/b12/pg-a.log $O/pg-fast-shutdown-server.txt
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data -l /tmp/rl/b12/pg-b.log -o '-c listen_addresses=127.0.0.1 -p 5433 -k /tmp/rl/pg' start" > /dev/null 2>&1; sleep 2
kill -9 $(head -1 /tmp/rl/pg/data/postmaster.pid); sleep 1
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data -l /tmp/rl/b12/pg-c.log -o '-c listen_addresses=127.0.0.1 -p 5433 -k /tmp/rl/pg' start" > $O/pg-ctl-after-crash.txt 2>&1; sleep 3
cp /tmp/rl/b12/pg-c.log $O/pg-crash-recovery-server.txt
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data stop" > /dev/null 2>&1; sleep 1
# 10 app before db: psycopg2 via Django runserver-style check loop with pg started late (Django check --database)
( sleep 4; su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data -l /tmp/rl/b12/pg-d.log -o '-c listen_addresses=127.0.0.1 -p 5433 -k /tmp/rl/pg' start" > /dev/null 2>&1 ) &
( n=0; until DB=pg /tmp/rl/v42/bin/python manage.py check --database default; do n=$((n+1)); echo "waiting for database ($n)"; sleep 2; done; DB=pg timeout -s TERM 5 /tmp/rl/v42/bin/gunicorn --bind 127.0.0.1:8000 mysite.wsgi ) > $O/wait-for-db-check.txt 2>&1
wait
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data stop" > /dev/null 2>&1
# 11 apache2 start-up: AH00558 servername warning, then stop
(apache2ctl -k start; sleep 2; apache2ctl -k graceful; sleep 2; apache2ctl -k stop) > $O/apache-ctl.txt 2>&1; sleep 1; tail -20 /var/log/apache2/error.log > $O/apache-error-log.txt 2>&1
# 12 uwsgi healthy with its warnings (no master, running as root)
timeout -s INT 6 /tmp/rl/vw/bin/uwsgi --http 127.0.0.1:8000 --chdir /tmp/rl/proj --module mysite.wsgi --home /tmp/rl/vw > $O/uwsgi-nomaster-healthy.txt 2>&1 & sleep 3; $C http://127.0.0.1:8000/; wait
# 13 failures with an earlier cause: pip error then the build wrapper's exit
( set -x; env -u PIP_FIND_LINKS /tmp/rl/pv37/bin/pip install --no-cache-dir "Django==4.2.*" || { echo "ERROR: Step 3/5 pip install failed"; } ) > $O/pip-py37-django42-build.txt 2>&1
# 14 Django error under gunicorn: settings raising at import (bad SECRET_KEY env) and a bad INSTALLED_APPS entry
cp -r /tmp/rl/proj /tmp/rl/b12/badapp; sed -i "s/'django.contrib.staticfiles',/'django.contrib.staticfiles',\n    'shopp',/" /tmp/rl/b12/badapp/mysite/settings.py
(cd /tmp/rl/b12/badapp && timeout -s TERM 8 /tmp/rl/v42/bin/gunicorn --bind 127.0.0.1:8000 --workers 2 mysite.wsgi) > $O/gunicorn-installed-app-typo.txt 2>&1
(cd /tmp/rl/b12/badapp && timeout -s INT 6 /tmp/rl/vw/bin/uwsgi --http 127.0.0.1:8000 --master --module mysite.wsgi --home /tmp/rl/vw) > $O/uwsgi-installed-app-typo.txt 2>&1
echo done > $O/batch12.done
