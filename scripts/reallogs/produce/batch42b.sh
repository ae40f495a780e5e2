#!/bin/bash
# batch42b: rerun of batch42's steps from dropdb on (its first dropdb ran before the sleeping psql had
# connected, so the database was dropped and every later PostgreSQL step met 'database "app" does not exist'), and of its
# MariaDB steps (mariadb-install-db's anonymous ''@'localhost' user shadowed 'web'@'%': every login was 1045).
# Original header: batch42 (issue #13 round 9, logs9): PostgreSQL 15 (127.0.0.1:5491, socket /tmp/p9/pg), MariaDB 10.11
# (127.0.0.1:3391) and Redis 7.0 (6391, replica 6392) server-side kinds no round had: deadlocks, lock and
# statement time-outs, table privileges, values too long, unique violations, a database in use, an
# idle-in-transaction time-out, a data dir of another major version, a second postmaster; MariaDB 1205,
# 1213, 1040, 1366, 1406, 1062; Redis MISCONF, maxclients, READONLY replica; Celery 5.4 WorkerLostError and
# time limits. Clients: psql, mariadb, redis-cli and the v42 venv (psycopg2 2.9, PyMySQL 1.2, redis-py 6.4).
P=/tmp/p9; B=$P/b42; O=$P/out; PYV=/tmp/rl/v42/bin/python; PGB=/usr/lib/postgresql/15/bin; mkdir -p $B $O; cd $B
run() { n=$1; shift; echo "### $n: $*" >> $P/batch42b.cmds; ( "$@" ) > $O/$n.log 2>&1; echo "rc=$?" >> $P/batch42b.cmds; }
asp() { su postgres -s /bin/bash -c "$*"; }
# ---------------- PostgreSQL again
asp "$PGB/pg_ctl -D $P/pg/data -l $P/pg/server.log -w start" > $B/pgstart2.log 2>&1
export PGPASSWORD=pgsecret PGHOST=127.0.0.1 PGPORT=5491
psql -U postgres -c "create database app owner django" > /dev/null
PGPASSWORD=secret psql -U django app -c "create table item (id int primary key, code varchar(5), qty int)" -c "insert into item values (1,'a',1),(2,'b',2)" > /dev/null
: > $B/pgoffset; wc -l < $P/pg/server.log > $B/pgoffset
run b42-pg-dropdb-inuse bash -c "PGPASSWORD=secret psql -U django app -c 'select pg_sleep(8)' > /dev/null & sleep 4; $PGB/dropdb -U postgres app; wait"
run b42-pg-idletx-psql bash -c "PGPASSWORD=secret psql -U django app -c \"set idle_in_transaction_session_timeout = '1s'\" -c 'begin' -c 'select 1' -c 'select pg_sleep(2)' -c 'select count(*) from item'"
run b42-pg-idletx-psycopg2 $PYV -c "
import time, psycopg2
c = psycopg2.connect(host='127.0.0.1', port=5491, dbname='app', user='django', password='secret', options='-c idle_in_transaction_session_timeout=1000')
cur = c.cursor(); cur.execute('select 1'); time.sleep(2); cur.execute('select count(*) from item')"
# near misses and healthy client runs
run b42-neg-pg-isready bash -c "$PGB/pg_isready -h 127.0.0.1 -p 5499; $PGB/pg_isready -h 127.0.0.1 -p 5491"
run b42-neg-pg-dump bash -c "PGPASSWORD=secret $PGB/pg_dump -v -U django app -t item > $B/item.sql"
run b42-neg-pg-vacuumdb bash -c "$PGB/vacuumdb -U postgres --analyze --verbose app 2>&1 | head -40"
run b42-neg-pg-psqlwarn bash -c "PGPASSWORD=secret psql -U django app -c 'begin' -c 'begin' -c 'select count(*) from item' -c 'commit' -c 'commit'"
tail -n +$(( $(cat $B/pgoffset) + 1 )) $P/pg/server.log > $O/b42b-pg-serverlog-rerun.txt
asp "$PGB/pg_ctl -D $P/pg/data -m fast -w stop" > /dev/null 2>&1
# ---------------- MariaDB again
mariadbd --user=root --datadir=$P/my/data --bind-address=127.0.0.1 --port=3391 --socket=$P/my/sock --max-connections=10 --innodb-lock-wait-timeout=2 --log-warnings=2 --log-error=$P/my/error.log --pid-file=$P/my/pid > /dev/null 2>&1 &
sleep 8
mariadb -S $P/my/sock -u root -e "delete from mysql.global_priv where user=''; flush privileges;"
: > $B/myoffset; wc -l < $P/my/error.log > $B/myoffset
M="mariadb -h 127.0.0.1 -P 3391 -u web -psecret shop"
cat > $B/mylock.py <<'PY'
import pymysql
a = pymysql.connect(host="127.0.0.1", port=3391, user="web", password="secret", database="shop")
a.cursor().execute("update product set title = 'held' where id = 1")
b = pymysql.connect(host="127.0.0.1", port=3391, user="web", password="secret", database="shop")
b.cursor().execute("update product set title = 'waiting' where id = 1")
PY
run b42-my-locktimeout-pymysql $PYV $B/mylock.py
run b42-my-locktimeout-client bash -c "$M -e \"begin; update product set title='held' where id=2; do sleep(4); commit;\" & sleep 1; $M -e \"update product set title='x' where id=2\"; wait"
sed -e 's/5491/3391/; s/psycopg2/pymysql/g; s/dbname="app", user="django"/database="shop", user="web"/; s/item set qty = qty + 1/product set title = concat(title, 1)/' $B/pgdead.py > $B/mydead.py
sed -i 's/^import threading, time, pymysql/import threading, time, pymysql/; s/    c.commit()/    c.commit()/' $B/mydead.py
run b42-my-deadlock-pymysql $PYV $B/mydead.py
run b42-my-toomany-client bash -c "$PYV -c \"
import time, pymysql
cs = [pymysql.connect(host='127.0.0.1', port=3391, user='web', password='secret') for _ in range(10)]
time.sleep(5)\" & sleep 3; $M -e 'select 1'; wait"
run b42-my-toomany-pymysql $PYV -c "
import pymysql
cs = [pymysql.connect(host='127.0.0.1', port=3391, user='web', password='secret') for _ in range(12)]"
run b42-my-charset-client bash -c "$M --default-character-set=utf8mb4 -e \"insert into product values (3, 'C3', 'Gift 🎁 box')\""
run b42-my-charset-pymysql $PYV -c "
import pymysql
c = pymysql.connect(host='127.0.0.1', port=3391, user='web', password='secret', database='shop', charset='utf8mb4')
c.cursor().execute('insert into product values (%s, %s, %s)', (4, 'D4', 'Party \U0001F389 pack'))"
run b42-my-toolong-client bash -c "$M -e \"insert into product values (5, 'WAREHOUSE-12', 'x')\""
run b42-my-unique-pymysql $PYV -c "
import pymysql
c = pymysql.connect(host='127.0.0.1', port=3391, user='web', password='secret', database='shop')
c.cursor().execute('insert into product values (%s, %s, %s)', (1, 'A1', 'again'))"
run b42-neg-my-warning-client bash -c "$M -v -e \"set session sql_mode=''; insert into product values (6, 'LONGSKU-99', 'trimmed'); show warnings; select id, sku from product;\""
run b42-neg-my-dump bash -c "mariadb-dump -h 127.0.0.1 -P 3391 -u web -psecret --verbose shop product > $B/product.sql"
mariadb-admin -S $P/my/sock -u root shutdown; sleep 3
tail -n +$(( $(cat $B/myoffset) + 1 )) $P/my/error.log > $O/b42b-my-errorlog-rerun.txt
