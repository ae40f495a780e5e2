#!/bin/bash
# batch10: healthy logs (negatives) of the same software.
O=/tmp/rl/out10; C="curl -s -o /dev/null -m 8"; PGB=/usr/lib/postgresql/15/bin
cd /tmp/rl/proj
/tmp/rl/v42/bin/gunicorn --bind 127.0.0.1:8000 --workers 2 --preload --access-logfile - --error-logfile - mysite.wsgi > $O/gunicorn-preload.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8000/; $C http://127.0.0.1:8000/admin/login/; kill -TERM $P; wait $P
/tmp/rl/v42/bin/gunicorn --bind 127.0.0.1:8000 --reload mysite.wsgi > $O/gunicorn-reload.txt 2>&1 & P=$!; sleep 3; touch mysite/urls.py; sleep 3; $C http://127.0.0.1:8000/; kill -TERM $P; wait $P
/tmp/rl/v42/bin/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8000 --log-level debug > $O/uvicorn-debug.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8000/; kill -TERM $P; wait $P
/tmp/rl/v42/bin/python manage.py showmigrations > $O/dj-showmigrations.txt 2>&1
/tmp/rl/v36/bin/python /tmp/rl/b6/dj111/manage.py check > $O/dj111-check.txt 2>&1
STATIC_ROOT=/tmp/rl/staticroot /tmp/rl/v42/bin/python manage.py collectstatic --noinput --clear > $O/dj-collectstatic-clear.txt 2>&1
/tmp/rl/v42/bin/python manage.py migrate --plan > $O/dj-migrate-plan.txt 2>&1
printf 'Django==4.2.*\ngunicorn\n' > /tmp/rl/req10.txt; env -u PIP_FIND_LINKS /tmp/rl/pv313/bin/pip install -r /tmp/rl/req10.txt > $O/pip-req-313.txt 2>&1
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data -l /tmp/rl/pg/server10.log -o '-c listen_addresses=127.0.0.1 -p 5433 -k /tmp/rl/pg' start" > $O/pg-ctl-start.txt 2>&1; sleep 2
PGPASSWORD=secret psql -h 127.0.0.1 -p 5433 -U django app -c '\dt' > $O/psql-dt.txt 2>&1
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data stop" > $O/pg-ctl-stop.txt 2>&1
echo done > $O/batch10.done
