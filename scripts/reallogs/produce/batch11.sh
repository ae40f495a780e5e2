#!/bin/bash
# batch11: an app that starts before its database (a Compose-style start-up race), retries, then runs.
O=/tmp/rl/out11; PGB=/usr/lib/postgresql/15/bin; C="curl -s -o /dev/null -m 8"
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data stop" > /dev/null 2>&1; sleep 1
cd /tmp/rl/proj
( sleep 5; su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data -l /tmp/rl/pg/server11.log -o '-c listen_addresses=127.0.0.1 -p 5433 -k /tmp/rl/pg' start" > /dev/null 2>&1 ) &
( until DB=pg /tmp/rl/v42/bin/python manage.py migrate --noinput; do echo "Postgres is unavailable - sleeping"; sleep 2; done
  echo "Postgres is up - executing command"
  DB=pg timeout -s TERM 6 /tmp/rl/v42/bin/gunicorn --bind 127.0.0.1:8000 --access-logfile - mysite.wsgi & sleep 3; $C http://127.0.0.1:8000/; wait ) > $O/wait-for-db-migrate.txt 2>&1
wait
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data stop" > /dev/null 2>&1; sleep 1
( sleep 4; su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data -l /tmp/rl/pg/server11b.log -o '-c listen_addresses=127.0.0.1 -p 5433 -k /tmp/rl/pg' start" > /dev/null 2>&1 ) &
( for i in 1 2 3 4 5 6; do DB=pg /tmp/rl/v42/bin/python -c "
import psycopg2, sys
try:
    psycopg2.connect(host='127.0.0.1', port=5433, user='django', password='secret', dbname='app').close()
except psycopg2.OperationalError as e:
    print('db not ready:', e, file=sys.stderr); sys.exit(1)
print('db ready')" && break; sleep 1.5; done; DB=pg /tmp/rl/v42/bin/python manage.py migrate --noinput ) > $O/wait-for-db-psycopg2.txt 2>&1
wait
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data stop" > /dev/null 2>&1
echo done > $O/batch11.done
