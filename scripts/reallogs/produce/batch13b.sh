#!/bin/bash
# batch13b (issue #13 round 4): Redis, Celery, PostgreSQL, MariaDB, gunicorn/uvicorn/uWSGI/Flask/Django failures and near misses
O=/tmp/rl/out13; B=/tmp/rl/b13; V=/tmp/rl/v42/bin; PGB=/usr/lib/postgresql/15/bin; C="curl -s -o /dev/null -m 8"
cd $B
# --- Redis
redis-server --port 6380 --bind 127.0.0.1 --save '' --appendonly no --daemonize no > $O/redis-healthy.txt 2>&1 & R=$!; sleep 2
redis-server --port 6380 --bind 127.0.0.1 --save '' --appendonly no > $O/redis-port-in-use.txt 2>&1
# celery healthy worker (root: SecurityWarning), task ok, task that raises, unregistered task
(cd $B/capp && timeout -s TERM 25 $V/celery -A tasks worker --loglevel=INFO --concurrency=1 > $O/celery-worker.txt 2>&1 &)
sleep 8
(cd $B/capp && $V/python -c "
import tasks
tasks.add.delay(2, 3); tasks.boom.delay(0)
tasks.app.send_task('tasks.missing', args=[1])
") > $O/celery-client.txt 2>&1
sleep 18
# redis-py wrong password / requirepass
redis-server --port 6381 --bind 127.0.0.1 --save '' --requirepass s3cret > $B/redis-auth-server.txt 2>&1 & R2=$!; sleep 2
$V/python -c "
import redis
r = redis.Redis(host='127.0.0.1', port=6381)
r.ping()
" > $O/redis-noauth.txt 2>&1
$V/python -c "
import redis
r = redis.Redis(host='127.0.0.1', port=6381, password='wrong')
r.ping()
" > $O/redis-wrongpass.txt 2>&1
(cd $B/capp && BROKER=redis://:wrong@127.0.0.1:6381/0 timeout -s TERM 10 $V/celery -A tasks worker --loglevel=INFO --concurrency=1) > $O/celery-broker-wrongpass.txt 2>&1
kill -TERM $R2; wait $R2
# redis host that does not resolve (a Compose service name outside Compose)
$V/python -c "
import redis
redis.Redis(host='redis', port=6379).get('k')
" > $O/redis-dns.txt 2>&1
# celery broker refused
(cd $B/capp && BROKER=redis://127.0.0.1:6390/0 timeout -s TERM 12 $V/celery -A tasks worker --loglevel=INFO --concurrency=1) > $O/celery-broker-refused.txt 2>&1
# celery app module missing
(cd $B/capp && timeout -s TERM 10 $V/celery -A taskz worker --loglevel=INFO) > $O/celery-app-missing.txt 2>&1
# celery beat healthy
(cd $B/capp && timeout -s TERM 8 $V/celery -A tasks beat --loglevel=INFO -s $B/beat-schedule) > $O/celery-beat.txt 2>&1
redis-cli -p 6380 shutdown nosave >/dev/null 2>&1; wait $R
# --- PostgreSQL: a copy of the data dir on port 5434
rm -rf $B/pgd; cp -a /tmp/rl/pg/data $B/pgd; chown -R postgres: $B/pgd; rm -f $B/pgd/postmaster.pid
grep -v '^host' $B/pgd/pg_hba.conf > $B/hba && cp $B/hba $B/pgd/pg_hba.conf && chown postgres: $B/pgd/pg_hba.conf
touch $B/pg-hba.log; chown postgres: $B/pg-hba.log
su postgres -c "$PGB/pg_ctl -D $B/pgd -l $B/pg-hba.log -o '-c listen_addresses=127.0.0.1 -p 5434 -k /tmp/rl/pg' start" > /dev/null 2>&1; sleep 2
(cd /tmp/rl/proj && DB=pg DB_PORT=5434 $V/python manage.py migrate) > $O/dj-pg-hba.txt 2>&1
PGPASSWORD=secret psql -h 127.0.0.1 -p 5434 -U django app -c 'select 1' > $O/psql-hba.txt 2>&1
PGPASSWORD=secret psql "host=127.0.0.1 port=5434 user=django dbname=app sslmode=require" -c 'select 1' > $O/psql-sslmode-require.txt 2>&1
su postgres -c "$PGB/pg_ctl -D $B/pgd stop" > /dev/null 2>&1; sleep 1; cp $B/pg-hba.log $O/pg-hba-server.txt
cp /tmp/rl/pg/data/pg_hba.conf $B/pgd/pg_hba.conf; chown postgres: $B/pgd/pg_hba.conf
touch $B/pg-max.log; chown postgres: $B/pg-max.log
su postgres -c "$PGB/pg_ctl -D $B/pgd -l $B/pg-max.log -o '-c listen_addresses=127.0.0.1 -p 5434 -k /tmp/rl/pg -c max_connections=3 -c superuser_reserved_connections=0' start" > /dev/null 2>&1; sleep 2
for i in 1 2 3; do (PGPASSWORD=secret psql -h 127.0.0.1 -p 5434 -U django app -c 'select pg_sleep(8)' > /dev/null 2>&1 &); done; sleep 2
(cd /tmp/rl/proj && DB=pg DB_PORT=5434 $V/python manage.py migrate) > $O/dj-pg-too-many.txt 2>&1
sleep 8
# a client killed inside a transaction: server-side near miss
PGPASSWORD=secret psql -h 127.0.0.1 -p 5434 -U django app -c 'begin' -c 'select pg_sleep(30)' > /dev/null 2>&1 & K=$!; sleep 2; kill -9 $K; sleep 1
(cd /tmp/rl/proj && DB=pg DB_PORT=5434 $V/python manage.py migrate) > $O/dj-pg-migrate-ok.txt 2>&1
su postgres -c "$PGB/pg_ctl -D $B/pgd stop" > /dev/null 2>&1; sleep 1; cp $B/pg-max.log $O/pg-max-server.txt
# --- MariaDB
mariadbd --user=root --datadir=/tmp/rl/my/data --bind-address=127.0.0.1 --port=3307 --socket=/tmp/rl/my/my13.sock --skip-name-resolve --log-warnings=4 --log-error=$B/my13.log & sleep 4
(cd /tmp/rl/proj && DB=mysql DB_NAME=shopdb $V/python manage.py migrate) > $O/dj-mysql-unknown-db.txt 2>&1
mariadb -h 127.0.0.1 -P 3307 -u django -psecret shopdb -e 'select 1' > $O/mariadb-cli-unknown-db.txt 2>&1
mariadb -h 127.0.0.1 -P 3307 -u django -psecret app -e 'select sleep(20)' > /dev/null 2>&1 & K=$!; sleep 2; kill -9 $K; sleep 1
(cd /tmp/rl/proj && DB=mysql $V/python manage.py migrate) > $O/dj-mysql-migrate.txt 2>&1
mariadb-admin -S /tmp/rl/my/my13.sock -uroot shutdown; sleep 3; cp $B/my13.log $O/mariadb-aborted-server.txt
echo done > $O/batch13b.done
