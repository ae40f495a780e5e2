#!/bin/bash
# batch15 (issue #13 round 4; run a second time with these longer waits: under load the first run's
# uWSGI was interrupted while it imported the app): healthy and near-miss logs of the same software, plus a few failures.
O=/tmp/rl/out15; B=/tmp/rl/b15; V=/tmp/rl/v42/bin; VW=/tmp/rl/vw/bin; PGB=/usr/lib/postgresql/15/bin; C="curl -s -o /dev/null -m 8"
cd /tmp/rl/proj
# 1 initdb with trust authentication (the warning), as the postgres user
rm -rf $B/pginit; mkdir -p $B/pginit; chown postgres: $B/pginit
su postgres -c "$PGB/initdb -D $B/pginit/data" > $O/pg-initdb-trust.txt 2>&1
# 2 mariadb-install-db into a new datadir
rm -rf $B/myinit; mariadb-install-db --user=root --datadir=$B/myinit > $O/mariadb-install-db.txt 2>&1
# 3 uWSGI with its master, a 200 and a 404 request log line
timeout -s INT 25 $VW/uwsgi --http 127.0.0.1:8000 --master --processes 2 --chdir /tmp/rl/proj --module mysite.wsgi --home /tmp/rl/vw > $O/uwsgi-requests.txt 2>&1 & sleep 15; $C http://127.0.0.1:8000/; $C http://127.0.0.1:8000/missing/; wait
# 4 uvicorn with two workers, requests, shutdown
timeout -s TERM 25 $V/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8000 --workers 2 > $O/uvicorn-workers.txt 2>&1 & sleep 15; $C http://127.0.0.1:8000/; $C http://127.0.0.1:8000/nope; wait
# 5 mod_wsgi-express healthy, logs to the terminal
timeout 30 $VW/mod_wsgi-express start-server mysite/wsgi.py --port 8096 --host 127.0.0.1 --user nobody --group nogroup --server-root $B/mw --log-to-terminal --access-log > $O/mod-wsgi-healthy.txt 2>&1 & P=$!; sleep 18; $C http://127.0.0.1:8096/; $C http://127.0.0.1:8096/nope; sleep 1; kill $P; wait $P
# 6 Django migrate on a fresh sqlite database with verbosity 2
rm -rf $B/mig; cp -r /tmp/rl/proj $B/mig; rm -f $B/mig/db.sqlite3
(cd $B/mig && $V/python manage.py migrate -v 2) > $O/dj-migrate-v2.txt 2>&1
# 7 Django createsuperuser --noinput with the env variables, then a second time (already exists: a CommandError)
(cd $B/mig && DJANGO_SUPERUSER_PASSWORD=pw12345-x DJANGO_SUPERUSER_USERNAME=admin DJANGO_SUPERUSER_EMAIL=a@example.com $V/python manage.py createsuperuser --noinput) > $O/dj-createsuperuser-ok.txt 2>&1
(cd $B/mig && DJANGO_SUPERUSER_PASSWORD=pw12345-x DJANGO_SUPERUSER_USERNAME=admin DJANGO_SUPERUSER_EMAIL=a@example.com $V/python manage.py createsuperuser --noinput) > $O/dj-createsuperuser-exists.txt 2>&1
# 8 pip freeze and pip list --outdated (near miss: no error)
env -u PIP_FIND_LINKS /tmp/rl/b13/p312/bin/pip list --outdated > $O/pip-list-outdated.txt 2>&1
# 9 gunicorn with gevent not installed? (done in 13c) -> instead: gunicorn --check-config OK
$V/gunicorn --check-config mysite.wsgi > $O/gunicorn-check-config.txt 2>&1; echo "exit $?" >> $O/gunicorn-check-config.rc
# 10 Django DEBUG=False + ALLOWED_HOSTS right, a 404 and a 500 from the boom view (a real app error)
(DJANGO_DEBUG=0 timeout -s TERM 25 $V/gunicorn --bind 127.0.0.1:8000 mysite.wsgi > $O/gunicorn-debug-false-500.txt 2>&1 & sleep 12; $C http://127.0.0.1:8000/nope; $C 'http://127.0.0.1:8000/boom/?q=%7Bbad'; wait)
echo done > $O/batch15.done
