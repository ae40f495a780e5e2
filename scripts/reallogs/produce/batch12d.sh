#!/bin/bash
# batch12d: the PostgreSQL part of batch12b again (its first run met a server still running from batch12).
O=/tmp/rl/out12; PGB=/usr/lib/postgresql/15/bin
while [ ! -f $O/batch12c.done ]; do sleep 2; done
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data -m fast stop" > /dev/null 2>&1; sleep 2
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data -l /tmp/rl/pg/s12e.log -o '-c listen_addresses=127.0.0.1 -p 5433 -k /tmp/rl/pg' start" > /dev/null 2>&1; sleep 2
(PGPASSWORD=secret psql -h 127.0.0.1 -p 5433 -U django app -c 'select pg_sleep(20)' > $O/psql-terminated-by-shutdown2.txt 2>&1 &) ; sleep 1
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data -m fast stop" > /dev/null 2>&1; sleep 1
cp /tmp/rl/pg/s12e.log $O/pg-fast-shutdown-server2.txt
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data -l /tmp/rl/pg/s12f.log -o '-c listen_addresses=127.0.0.1 -p 5433 -k /tmp/rl/pg' start" > /dev/null 2>&1; sleep 2
kill -9 $(head -1 /tmp/rl/pg/data/postmaster.pid); sleep 1; rm -f /tmp/rl/pg/data/postmaster.pid
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data -l /tmp/rl/pg/s12g.log -o '-c listen_addresses=127.0.0.1 -p 5433 -k /tmp/rl/pg' start" > $O/pg-ctl-after-crash2.txt 2>&1; sleep 3
cp /tmp/rl/pg/s12g.log $O/pg-crash-recovery-server2.txt
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data stop" > /dev/null 2>&1
echo done > $O/batch12d.done
