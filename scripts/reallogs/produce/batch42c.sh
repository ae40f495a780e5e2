#!/bin/bash
# batch42c: PostgreSQL 15 waits up to 5 s for other sessions before DROP DATABASE, so batch42b's dropdb (pg_sleep(8),
# dropdb 4 s later) succeeded again and the later steps met a missing database once more: rerun with pg_sleep(20).
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
run() { n=$1; shift; echo "### $n: $*" >> $P/batch42c.cmds; ( "$@" ) > $O/$n.log 2>&1; echo "rc=$?" >> $P/batch42c.cmds; }
asp() { su postgres -s /bin/bash -c "$*"; }
# ---------------- PostgreSQL again
asp "$PGB/pg_ctl -D $P/pg/data -l $P/pg/server.log -w start" > $B/pgstart3.log 2>&1 || true
export PGPASSWORD=pgsecret PGHOST=127.0.0.1 PGPORT=5491
psql -U postgres -c "drop database if exists app" -c "create database app owner django" > /dev/null
PGPASSWORD=secret psql -U django app -c "create table item (id int primary key, code varchar(5), qty int)" -c "insert into item values (1,'a',1),(2,'b',2)" > /dev/null
: > $B/pgoffset; wc -l < $P/pg/server.log > $B/pgoffset
run b42-pg-dropdb-inuse bash -c "PGPASSWORD=secret psql -U django app -c 'select pg_sleep(20)' > /dev/null & sleep 4; $PGB/dropdb -U postgres app; wait"
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
tail -n +$(( $(cat $B/pgoffset) + 1 )) $P/pg/server.log > $O/b42c-pg-serverlog-rerun.txt
asp "$PGB/pg_ctl -D $P/pg/data -m fast -w stop" > /dev/null 2>&1
