#!/bin/bash
# batch42 (issue #13 round 9, logs9): PostgreSQL 15 (127.0.0.1:5491, socket /tmp/p9/pg), MariaDB 10.11
# (127.0.0.1:3391) and Redis 7.0 (6391, replica 6392) server-side kinds no round had: deadlocks, lock and
# statement time-outs, table privileges, values too long, unique violations, a database in use, an
# idle-in-transaction time-out, a data dir of another major version, a second postmaster; MariaDB 1205,
# 1213, 1040, 1366, 1406, 1062; Redis MISCONF, maxclients, READONLY replica; Celery 5.4 WorkerLostError and
# time limits. Clients: psql, mariadb, redis-cli and the v42 venv (psycopg2 2.9, PyMySQL 1.2, redis-py 6.4).
P=/tmp/p9; B=$P/b42; O=$P/out; PYV=/tmp/rl/v42/bin/python; PGB=/usr/lib/postgresql/15/bin; mkdir -p $B $O; cd $B
run() { n=$1; shift; echo "### $n: $*" >> $P/batch42.cmds; ( "$@" ) > $O/$n.log 2>&1; echo "rc=$?" >> $P/batch42.cmds; }
asp() { su postgres -s /bin/bash -c "$*"; }
# ---------------- PostgreSQL
mkdir -p $P/pg && chown postgres $P/pg
asp "$PGB/initdb -D $P/pg/data -A scram-sha-256 -U postgres --pwfile=<(echo pgsecret)" > $B/initdb.log 2>&1
cat >> $P/pg/data/postgresql.conf <<CONF
listen_addresses = '127.0.0.1'
port = 5491
unix_socket_directories = '$P/pg'
log_line_prefix = '%m [%p] %q%u@%d '
deadlock_timeout = '500ms'
CONF
asp "$PGB/pg_ctl -D $P/pg/data -l $P/pg/server.log -w start" > $B/pgstart.log 2>&1
export PGPASSWORD=pgsecret PGHOST=127.0.0.1 PGPORT=5491
psql -U postgres -c "create user django password 'secret'" -c "create database app owner django" > /dev/null
PGPASSWORD=secret psql -U django app -c "create table item (id int primary key, code varchar(5), qty int)" -c "insert into item values (1,'a',1),(2,'b',2)" > /dev/null
psql -U postgres app -c "create table payroll (id int primary key, amount int)" > /dev/null
cat > $B/pgdead.py <<'PY'
import threading, time, psycopg2
def worker(first, second):
    c = psycopg2.connect(host="127.0.0.1", port=5491, dbname="app", user="django", password="secret")
    cur = c.cursor()
    cur.execute("update item set qty = qty + 1 where id = %s", (first,))
    time.sleep(1)
    cur.execute("update item set qty = qty + 1 where id = %s", (second,))
    c.commit()
ts = [threading.Thread(target=worker, args=a) for a in ((1, 2), (2, 1))]
[t.start() for t in ts]; [t.join() for t in ts]
PY
run b42-pg-deadlock-psycopg2 $PYV $B/pgdead.py
cat > $B/pglock.py <<'PY'
import psycopg2
a = psycopg2.connect(host="127.0.0.1", port=5491, dbname="app", user="django", password="secret")
a.cursor().execute("update item set qty = 5 where id = 1")
b = psycopg2.connect(host="127.0.0.1", port=5491, dbname="app", user="django", password="secret")
cur = b.cursor()
cur.execute("set lock_timeout = '1s'")
cur.execute("update item set qty = 6 where id = 1")
PY
run b42-pg-locktimeout-psycopg2 $PYV $B/pglock.py
run b42-pg-locktimeout-psql bash -c "PGPASSWORD=secret psql -U django app -c 'begin; lock table item; select pg_sleep(3); commit;' > /dev/null & sleep 1; PGPASSWORD=secret psql -U django app -v ON_ERROR_STOP=1 -c \"set lock_timeout = '1s'\" -c 'select count(*) from item'; wait"
run b42-pg-stmttimeout-psql bash -c "PGPASSWORD=secret psql -U django app -c \"set statement_timeout = '500ms'\" -c 'select pg_sleep(2)'"
run b42-pg-stmttimeout-psycopg2 $PYV -c "
import psycopg2
c = psycopg2.connect(host='127.0.0.1', port=5491, dbname='app', user='django', password='secret', options='-c statement_timeout=500')
c.cursor().execute('select pg_sleep(2)')"
run b42-pg-tableperm-psql bash -c "PGPASSWORD=secret psql -U django app -c 'select * from payroll'"
run b42-pg-tableperm-psycopg2 $PYV -c "
import psycopg2
c = psycopg2.connect(host='127.0.0.1', port=5491, dbname='app', user='django', password='secret')
cur = c.cursor(); cur.execute('insert into payroll values (1, 100)')"
run b42-pg-toolong-psql bash -c "PGPASSWORD=secret psql -U django app -c \"insert into item values (3, 'abcdefgh', 1)\""
run b42-pg-toolong-psycopg2 $PYV -c "
import psycopg2
c = psycopg2.connect(host='127.0.0.1', port=5491, dbname='app', user='django', password='secret')
c.cursor().execute('update item set code = %s where id = 2', ('warehouse-7',))"
run b42-pg-unique-psql bash -c "PGPASSWORD=secret psql -U django app -c \"insert into item values (1, 'z', 9)\""
run b42-pg-unique-psycopg2 $PYV -c "
import psycopg2
c = psycopg2.connect(host='127.0.0.1', port=5491, dbname='app', user='django', password='secret')
c.cursor().execute('insert into item (id, code, qty) values (%s, %s, %s)', (2, 'b', 1))"
run b42-pg-dropdb-inuse bash -c "PGPASSWORD=secret psql -U django app -c 'select pg_sleep(4)' > /dev/null & sleep 1; $PGB/dropdb -U postgres app; wait"
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
# the server log of all of the above, then the major-version and second-postmaster failures
cp $P/pg/server.log $O/b42-pg-serverlog-all.txt
asp "$PGB/postgres -D $P/pg/data" > $O/b42-pg-second-postmaster.log 2>&1; echo "### b42-pg-second-postmaster: su postgres -c '$PGB/postgres -D $P/pg/data' (while the cluster runs)" >> $P/batch42.cmds
asp "$PGB/pg_ctl -D $P/pg/data -m fast -w stop" > $O/b42-neg-pg-stop.log 2>&1; echo "### b42-neg-pg-stop: su postgres -c '$PGB/pg_ctl -D $P/pg/data -m fast -w stop'" >> $P/batch42.cmds
cp -a $P/pg/data $P/pg/data14 && echo 14 > $P/pg/data14/PG_VERSION
run b42-pg-version-pgctl asp "$PGB/pg_ctl -D $P/pg/data14 -w start"
# ---------------- MariaDB
mkdir -p $P/my && mariadb-install-db --datadir=$P/my/data --auth-root-authentication-method=normal > $B/my-install.log 2>&1
mariadbd --user=root --datadir=$P/my/data --bind-address=127.0.0.1 --port=3391 --socket=$P/my/sock --max-connections=10 --innodb-lock-wait-timeout=2 --log-warnings=2 --log-error=$P/my/error.log --pid-file=$P/my/pid > /dev/null 2>&1 &
sleep 8
mariadb -S $P/my/sock -u root -e "create database shop; create user 'web'@'%' identified by 'secret'; grant all on shop.* to 'web'@'%'; create table shop.product (id int primary key, sku varchar(8), title varchar(60)) charset utf8mb3; insert into shop.product values (1, 'A1', 'first'), (2, 'B2', 'second');"
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
sed -e 's/5491/3391/; s/psycopg2/pymysql/g; s/dbname="app", user="django"/database="shop", user="web"/; s/item set qty = qty + 1/product set title = concat(title, "+")/' $B/pgdead.py > $B/mydead.py
sed -i 's/^import threading, time, pymysql/import threading, time, pymysql/; s/    c.commit()/    c.commit()/' $B/mydead.py
run b42-my-deadlock-pymysql $PYV $B/mydead.py
run b42-my-toomany-client bash -c "$PYV -c \"
import time, pymysql
cs = [pymysql.connect(host='127.0.0.1', port=3391, user='web', password='secret') for _ in range(10)]
time.sleep(5)\" & sleep 3; $M -e 'select 1'; wait"
run b42-my-toomany-pymysql $PYV -c "
import pymysql
cs = [pymysql.connect(host='127.0.0.1', port=3391, user='web', password='secret') for _ in range(12)]"
run b42-my-charset-client bash -c "$M --default-character-set=utf8mb4 -e \"insert into product values (3, 'C3', 'Gift \xF0\x9F\x8E\x81 box')\""
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
cp $P/my/error.log $O/b42-my-errorlog-all.txt
# ---------------- Redis
mkdir -p $P/redis-ro $P/redis && chmod 755 $P/redis-ro && chown nobody $P/redis
setpriv --reuid=65534 --regid=65534 --clear-groups redis-server --port 6391 --bind 127.0.0.1 --dir $P/redis-ro --save "" --logfile $P/redis/ro.log --daemonize yes --pidfile $P/redis/ro.pid
sleep 2
run b42-redis-misconf-cli bash -c "redis-cli -p 6391 config set save '1 1'; redis-cli -p 6391 set a 1; redis-cli -p 6391 bgsave; sleep 2; redis-cli -p 6391 set b 2"
run b42-redis-misconf-redispy $PYV -c "
import redis
r = redis.Redis(port=6391)
r.set('session:abc', 'x')"
cp $P/redis/ro.log $O/b42-redis-misconf-server.txt
redis-cli -p 6391 shutdown nosave > /dev/null 2>&1; sleep 1
redis-server --port 6391 --bind 127.0.0.1 --dir $P/redis --maxclients 3 --logfile $P/redis/main.log --daemonize yes --pidfile $P/redis/main.pid; sleep 1
run b42-redis-maxclients-redispy $PYV -c "
import redis
conns = []
for i in range(5):
    r = redis.Redis(port=6391)
    r.ping()
    conns.append(r)"
run b42-redis-maxclients-cli bash -c "$PYV -c \"
import time, socket
ss = [socket.create_connection(('127.0.0.1', 6391)) for _ in range(3)]
time.sleep(4)\" & sleep 2; redis-cli -p 6391 ping; wait"
redis-server --port 6392 --bind 127.0.0.1 --dir $P/redis --dbfilename replica.rdb --replicaof 127.0.0.1 6391 --logfile $P/redis/replica.log --daemonize yes --pidfile $P/redis/replica.pid; sleep 3
run b42-redis-readonly-cli bash -c "redis-cli -p 6392 set cart:1 3"
run b42-redis-readonly-redispy $PYV -c "
import redis
r = redis.Redis(host='127.0.0.1', port=6392)
print(r.get('cart:1'))
r.incr('visits')"
# ---------------- Celery 5.4 with Redis
mkdir -p $B/cel && cd $B/cel
cat > tasks.py <<'PY'
import os, time
from celery import Celery
app = Celery("tasks", broker="redis://127.0.0.1:6391/0", backend="redis://127.0.0.1:6391/1")
@app.task
def crash():
    os.kill(os.getpid(), 9)
@app.task(time_limit=2)
def slow():
    time.sleep(6)
    return "done"
@app.task(soft_time_limit=1)
def report():
    time.sleep(3)
    return "report"
@app.task
def add(x, y):
    return x + y
PY
redis-cli -p 6391 config set maxclients 100 > /dev/null
/tmp/rl/v42/bin/celery -A tasks worker -c 1 --loglevel INFO --max-tasks-per-child 2 > $O/b42-celery-worker.txt 2>&1 & cpid=$!
sleep 12
$PYV -c "
from tasks import crash, slow, report, add
add.delay(1, 2); add.delay(3, 4); add.delay(5, 6)
import time; time.sleep(4)
crash.delay(); time.sleep(5)
slow.delay(); time.sleep(8)
report.delay(); time.sleep(5)
add.delay(7, 8); time.sleep(3)" > $B/celery-client.log 2>&1
kill -TERM $cpid; sleep 5; wait $cpid
echo "### b42-celery-worker: cd $B/cel && celery -A tasks worker -c 1 --loglevel INFO --max-tasks-per-child 2 (tasks sent: add x3, crash, slow, report, add)" >> $P/batch42.cmds
for f in replica main; do kill $(cat $P/redis/$f.pid); done; sleep 1
cp $P/redis/replica.log $O/b42-redis-replica-log.txt
