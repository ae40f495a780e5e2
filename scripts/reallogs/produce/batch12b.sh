#!/bin/bash
# batch12b: the rest of round 3 (PostgreSQL logs written under /tmp/rl/pg, which the postgres user owns).
O=/tmp/rl/out12; PGB=/usr/lib/postgresql/15/bin; C="curl -s -o /dev/null -m 8"
cd /tmp/rl/proj
# pip's own version check switched on (the environment switches it off)
PIP_DISABLE_PIP_VERSION_CHECK=0 env -u PIP_FIND_LINKS /tmp/rl/pv37/bin/pip install --no-cache-dir --force-reinstall six > $O/pip22-version-check.txt 2>&1
PIP_DISABLE_PIP_VERSION_CHECK=0 env -u PIP_FIND_LINKS /tmp/rl/pv36/bin/pip install --no-cache-dir --force-reinstall six > $O/pip18-version-check.txt 2>&1
# uvicorn: a garbage request
/tmp/rl/v42/bin/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8000 > $O/uvicorn-invalid-request2.txt 2>&1 & P=$!; sleep 3
python3 -c "import socket; s=socket.create_connection(('127.0.0.1',8000)); s.sendall(b'GARBAGE\r\n\r\n'); s.recv(100)"; $C http://127.0.0.1:8000/; kill -TERM $P; wait $P
# uvicorn: module typo (failure)
timeout -s TERM 6 /tmp/rl/v42/bin/uvicorn mysite.asgii:application --host 127.0.0.1 --port 8000 > $O/uvicorn-module-typo.txt 2>&1
# gunicorn: settings SyntaxError (failure)
cp -r /tmp/rl/proj /tmp/rl/b12/syn; printf '\nCACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",}\n' >> /tmp/rl/b12/syn/mysite/settings.py
(cd /tmp/rl/b12/syn && timeout -s TERM 8 /tmp/rl/v42/bin/gunicorn --bind 127.0.0.1:8000 mysite.wsgi) > $O/gunicorn-settings-syntax.txt 2>&1
# PostgreSQL: client NOTICE/WARNING, fast shutdown, crash recovery
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data -l /tmp/rl/pg/s12a.log -o '-c listen_addresses=127.0.0.1 -p 5433 -k /tmp/rl/pg' start" > /dev/null 2>&1; sleep 2
PGPASSWORD=secret psql -h 127.0.0.1 -p 5433 -U django app -c 'COMMIT' -c 'CREATE TABLE IF NOT EXISTS t12 (id int)' -c 'CREATE TABLE IF NOT EXISTS t12 (id int)' -c 'DROP TABLE IF EXISTS nope12' > $O/psql-notice-warning.txt 2>&1
(PGPASSWORD=secret psql -h 127.0.0.1 -p 5433 -U django app -c 'select pg_sleep(20)' > $O/psql-terminated-by-shutdown.txt 2>&1 &) ; sleep 1
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data -m fast stop" > /dev/null 2>&1; sleep 1
cp /tmp/rl/pg/s12a.log $O/pg-fast-shutdown-server.txt
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data -l /tmp/rl/pg/s12b.log -o '-c listen_addresses=127.0.0.1 -p 5433 -k /tmp/rl/pg' start" > /dev/null 2>&1; sleep 2
kill -9 $(head -1 /tmp/rl/pg/data/postmaster.pid); sleep 1
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data -l /tmp/rl/pg/s12c.log -o '-c listen_addresses=127.0.0.1 -p 5433 -k /tmp/rl/pg' start" > $O/pg-ctl-after-crash.txt 2>&1; sleep 3
cp /tmp/rl/pg/s12c.log $O/pg-crash-recovery-server.txt
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data stop" > /dev/null 2>&1; sleep 1
# MariaDB: start, kill -9, start again (crash recovery), clean shutdown
mariadbd --user=root --datadir=/tmp/rl/my/data --bind-address=127.0.0.1 --port=3307 --socket=/tmp/rl/my/my12.sock --skip-name-resolve > $O/mariadb-start12.txt 2>&1 & M=$!; sleep 4; kill -9 $M; wait $M 2>/dev/null; sleep 1
mariadbd --user=root --datadir=/tmp/rl/my/data --bind-address=127.0.0.1 --port=3307 --socket=/tmp/rl/my/my12.sock --skip-name-resolve > $O/mariadb-crash-recovery.txt 2>&1 & M=$!; sleep 5; kill -TERM $M; wait $M
# Django 3.2 migrate with W042 warnings (no DEFAULT_AUTO_FIELD in an app with a model)
echo done > $O/batch12b.done
