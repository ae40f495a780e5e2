#!/bin/bash
# batch5: variants for issue #13's shapes (round 2). Outputs in /tmp/rl/out5.
O=/tmp/rl/out5; C="curl -s -o /dev/null -m 8"
PGB=/usr/lib/postgresql/15/bin
NB="setpriv --reuid=1000680000 --regid=0 --clear-groups"
# --- PostgreSQL with another log_line_prefix, statement logging of errors
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data stop" > /dev/null 2>&1; sleep 1
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data -l /tmp/rl/pg/server5.log -o \"-c listen_addresses=127.0.0.1 -p 5433 -k /tmp/rl/pg -c log_line_prefix='%m [%p] %q%u@%d '\" start" > /dev/null 2>&1; sleep 2
PGPASSWORD=nope psql -h 127.0.0.1 -p 5433 -U django app -c 'select 1' > $O/p5-psql-auth.txt 2>&1
PGPASSWORD=secret psql -h 127.0.0.1 -p 5433 -U django app -c 'select * from shop_order' > $O/p5-psql-relation.txt 2>&1
PGPASSWORD=secret psql -h 127.0.0.1 -p 5433 -U django app -c 'insert into "blog_post" (title) values ($$x$$)' >> $O/p5-psql-relation.txt 2>&1
/tmp/rl/v42/bin/python -c "import psycopg2; psycopg2.connect(host='127.0.0.1', port=5433, user='appuser', password='pw', dbname='app')" > $O/p5-psycopg2-auth.txt 2>&1
cd /tmp/rl/proj
DB=pg DB_PASSWORD=wrongpw /tmp/rl/v42/bin/python manage.py runserver --noreload 127.0.0.1:8000 > $O/p5-dj-runserver-pgauth.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8000/; kill $P; wait $P
sleep 1; cp /tmp/rl/pg/server5.log $O/p5-server.log
# --- MariaDB
mariadbd --user=root --datadir=/tmp/rl/my/data --bind-address=127.0.0.1 --port=3307 --socket=/tmp/rl/my/my.sock --skip-name-resolve --log-warnings=4 --log-error=/tmp/rl/my/error5.log & sleep 4
mariadb -h 127.0.0.1 -P 3307 -u django -pbadpass app -e 'select 1' > $O/m5-cli-auth.txt 2>&1
DB=mysql DB_PASSWORD=nopenope /tmp/rl/v42/bin/python manage.py migrate > $O/m5-dj-migrate-auth.txt 2>&1
/tmp/rl/v42/bin/python -c "import pymysql; pymysql.connect(host='127.0.0.1', port=3307, user='report', password='x', database='app')" > $O/m5-pymysql-auth.txt 2>&1
sleep 1; grep -E "Access denied" /tmp/rl/my/error5.log > $O/m5-server-denied.txt
mariadb-admin -S /tmp/rl/my/my.sock -uroot shutdown; sleep 2
# --- uWSGI variants
cd /tmp/rl/proj
timeout -s INT 6 /tmp/rl/vw/bin/uwsgi --http 127.0.0.1:8000 --module mysite.wsgii:application --master --processes 2 > $O/u5-module-typo.txt 2>&1 & sleep 3; $C http://127.0.0.1:8000/; wait
timeout -s INT 6 /tmp/rl/vw/bin/uwsgi --http-socket 127.0.0.1:8000 --wsgi-file mysite/wsgi_prod.py > $O/u5-wsgi-file-missing.txt 2>&1 & sleep 3; $C http://127.0.0.1:8000/; wait
timeout -s INT 6 /tmp/rl/vw/bin/uwsgi --http-socket 127.0.0.1:8000 --chdir /tmp/rl/proj --module mysite.wsgi:application --master --processes 2 --threads 2 > $O/u5-healthy.txt 2>&1 & sleep 3; $C http://127.0.0.1:8000/; wait
# --- mod_wsgi variants
timeout -s INT 8 /tmp/rl/vw/bin/mod_wsgi-express start-server --port 8000 --host 127.0.0.1 --server-root /tmp/rl/mw5 --log-to-terminal mysite/wsgi_missing.py > $O/w5-missing-script.txt 2>&1 & sleep 5; $C http://127.0.0.1:8000/; wait
printf 'import nosuchpkg\napplication = None\n' > /tmp/rl/proj/bad_wsgi.py
timeout -s INT 8 /tmp/rl/vw/bin/mod_wsgi-express start-server --port 8000 --host 127.0.0.1 --server-root /tmp/rl/mw5 --log-to-terminal bad_wsgi.py > $O/w5-import-error.txt 2>&1 & sleep 5; $C http://127.0.0.1:8000/; wait
# --- gunicorn CLI errors and empty variables
G=/tmp/rl/v42/bin/gunicorn
PORT= ; WORKERS=
$G --bind 0.0.0.0:$PORT mysite.wsgi > $O/g5-empty-port.txt 2>&1
$G --workers $WORKERS mysite.wsgi:application > $O/g5-empty-workers.txt 2>&1
$G --bind 127.0.0.1:8000 --timeout 30s mysite.wsgi > $O/g5-bad-timeout.txt 2>&1
/tmp/rl/v32/bin/gunicorn --bind=127.0.0.1:eighty mysite.wsgi > $O/g5-g20-bad-port.txt 2>&1
$G --bind 127.0.0.1:8000 --worker-class gevent mysite.wsgi > $O/g5-worker-class.txt 2>&1 & sleep 4; kill %1 2>/dev/null; wait
# --- healthy laptop logs
$G --bind 127.0.0.1:8000 --workers 3 --log-level debug mysite.wsgi > $O/g5-healthy-debug.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8000/about/ ; $C http://127.0.0.1:8000/; kill -TERM $P; wait $P
/tmp/rl/v42/bin/uvicorn mysite.asgi:application --reload --port 8000 > $O/g5-uvicorn-reload.txt 2>&1 & P=$!; sleep 4; $C http://127.0.0.1:8000/; kill -INT $P; wait $P
DJANGO_DEBUG=1 /tmp/rl/v42/bin/python manage.py runserver 127.0.0.1:8000 > $O/g5-runserver-reload.txt 2>&1 & P=$!; sleep 4; $C http://127.0.0.1:8000/; $C http://127.0.0.1:8000/nope/; kill -INT $P; wait $P
/tmp/rl/v32/bin/gunicorn --bind 127.0.0.1:8000 --workers 2 --access-logfile - --preload mysite.wsgi > $O/g5-g20-healthy.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8000/; kill -TERM $P; wait $P
echo done > $O/batch5a.done
