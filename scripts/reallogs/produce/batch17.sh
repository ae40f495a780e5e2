#!/bin/bash
# batch17 (issue #13 round 4, variants): the same failure conditions under Django 3.2/gunicorn 20.1
# (Python 3.9), Django 1.11/gunicorn 19.9 (Python 3.6), psql and redis-cli, plus negatives.
O=/tmp/rl/out17; B=/tmp/rl/b17; V=/tmp/rl/v42/bin; V32=/tmp/rl/v32/bin; V36=/tmp/rl/v36/bin; PGB=/usr/lib/postgresql/15/bin; C="curl -s -o /dev/null -m 8"
mk() { rm -rf $B/$1; cp -r /tmp/rl/proj $B/$1; rm -f $B/$1/db.sqlite3; }
# 1 gunicorn 20.1: settings import a missing module; worker class not installed; --workers abc
mk env32; sed -i '1i import environ' $B/env32/mysite/settings.py
(cd $B/env32 && timeout -s TERM 20 $V32/gunicorn --bind 127.0.0.1:8000 mysite.wsgi) > $O/gunicorn20-environ.txt 2>&1
(cd /tmp/rl/proj && timeout -s TERM 20 $V32/gunicorn --bind 127.0.0.1:8000 -k gevent mysite.wsgi) > $O/gunicorn20-gevent.txt 2>&1
(cd /tmp/rl/proj && timeout -s TERM 20 $V32/gunicorn --bind 127.0.0.1:8000 --workers abc mysite.wsgi) > $O/gunicorn20-workers-abc.txt 2>&1
# 2 gunicorn 19.9 (Python 3.6, Django 1.11): settings import a missing module
rm -rf $B/env36; cp -r /tmp/rl/b6/dj111 $B/env36; S=$(ls $B/env36/*/settings.py | head -1); sed -i '1i import environ' $S; M=$(basename $(dirname $S))
(cd $B/env36 && timeout -s TERM 20 $V36/gunicorn --bind 127.0.0.1:8000 $M.wsgi) > $O/gunicorn19-environ.txt 2>&1
# 3 Django 3.2: empty SECRET_KEY (raised at start-up in 3.2), {% load staticfiles %}
mk sk32; echo 'SECRET_KEY = ""' >> $B/sk32/mysite/settings.py
(cd $B/sk32 && $V32/python manage.py check) > $O/dj32-secret-key-empty.txt 2>&1
mk stf32; mkdir -p $B/stf32/shop/templates/shop; printf '{%% load staticfiles %%}\n<p>about</p>\n' > $B/stf32/shop/templates/shop/about.html
(cd $B/stf32 && $V32/python manage.py migrate > /dev/null 2>&1; timeout -s TERM 20 $V32/python manage.py runserver 127.0.0.1:8000 --noreload > $O/dj32-staticfiles-tag.txt 2>&1 & sleep 8; $C http://127.0.0.1:8000/about/; wait)
# 4 PostgreSQL: slots reserved for superusers (max_connections=5, 3 reserved), psql and the server log
rm -rf $B/pgd; cp -a /tmp/rl/pg/data $B/pgd; chown -R postgres: $B/pgd; rm -f $B/pgd/postmaster.pid; touch $B/pg17.log; chown postgres: $B/pg17.log
su postgres -c "$PGB/pg_ctl -D $B/pgd -l $B/pg17.log -o '-c listen_addresses=127.0.0.1 -p 5434 -k /tmp/rl/pg -c max_connections=5' start" > /dev/null 2>&1; sleep 3
for i in 1 2; do (PGPASSWORD=secret psql -h 127.0.0.1 -p 5434 -U django app -c 'select pg_sleep(8)' > /dev/null 2>&1 &); done; sleep 2
PGPASSWORD=secret psql -h 127.0.0.1 -p 5434 -U django app -c 'select 1' > $O/psql-reserved-slots.txt 2>&1
sleep 8; su postgres -c "$PGB/pg_ctl -D $B/pgd stop" > /dev/null 2>&1; sleep 1; cp $B/pg17.log $O/pg-reserved-slots-server.txt
# 5 Redis: redis-cli without the password; Celery with a broker name that does not resolve; urllib to a name that does not resolve
redis-server --port 6383 --bind 127.0.0.1 --save '' --requirepass s3cret > $B/redis17.txt 2>&1 & R=$!; sleep 2
redis-cli -p 6383 set k v > $O/redis-cli-noauth.txt 2>&1; redis-cli -p 6383 -a wrong ping > $O/redis-cli-wrongpass.txt 2>&1
kill -TERM $R; wait $R
(cd /tmp/rl/b13/capp && BROKER=redis://redis:6379/0 timeout -s TERM 15 $V/celery -A tasks worker --loglevel=INFO --concurrency=1) > $O/celery-broker-dns.txt 2>&1
$V/python -c "import urllib.request; urllib.request.urlopen('http://payments-api:8080/health')" > $O/urllib-dns.txt 2>&1
# 6 pip 18 on Python 3.6: an index host that does not resolve
env -u PIP_FIND_LINKS timeout 200 /tmp/rl/pv36/bin/pip install --no-cache-dir --index-url https://pypi.mirror.invalid/simple Django==3.2.25 > $O/pip36-index-dns.txt 2>&1
# 7 negatives: gunicorn 20.1 with an access log, Django 1.11 runserver, redis-cli ping with the password, psql \l
(cd /tmp/rl/proj && timeout -s TERM 20 $V32/gunicorn --bind 127.0.0.1:8000 --workers 2 --access-logfile - mysite.wsgi > $O/gunicorn20-access.txt 2>&1 & sleep 8; $C http://127.0.0.1:8000/; $C http://127.0.0.1:8000/admin/login/; wait)
(cd /tmp/rl/b6/dj111 && timeout -s TERM 20 $V36/python manage.py runserver 127.0.0.1:8000 --noreload > $O/dj111-runserver.txt 2>&1 & sleep 8; $C http://127.0.0.1:8000/; $C http://127.0.0.1:8000/nope/; wait)
echo done > $O/batch17.done
