#!/bin/bash
# batch8: port clashes for uWSGI, PostgreSQL and MariaDB; gunicorn run as a module and with an empty APP_MODULE.
O=/tmp/rl/out8; PGB=/usr/lib/postgresql/15/bin
cd /tmp/rl/proj
python3 -c "import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', 8000)); s.listen(); time.sleep(40)" & HOLD=$!; sleep 1
timeout -s INT 5 /tmp/rl/vw/bin/uwsgi --http-socket 127.0.0.1:8000 --module mysite.wsgi:application --master > $O/uwsgi-port-in-use.txt 2>&1
/tmp/rl/v42/bin/python -m gunicorn --bind 127.0.0.1:8000 mysite.wsgi > $O/gunicorn-module-port-in-use.txt 2>&1 & P=$!; sleep 4; kill -TERM $P 2>/dev/null; wait $P
kill $HOLD
APP_MODULE=
/tmp/rl/v42/bin/gunicorn --bind 127.0.0.1:8000 $APP_MODULE > $O/gunicorn-no-app-module.txt 2>&1
/tmp/rl/v42/bin/python -m gunicorn --workers=two mysite.wsgi > $O/gunicorn-module-bad-arg.txt 2>&1
# PostgreSQL: a second server on the port of the first
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data -l /tmp/rl/pg/server8.log -o '-c listen_addresses=127.0.0.1 -p 5433 -k /tmp/rl/pg' start" > /dev/null 2>&1; sleep 2
rm -rf /tmp/rl/pg8 && mkdir -p /tmp/rl/pg8 && chown postgres /tmp/rl/pg8 && su postgres -c "$PGB/initdb -D /tmp/rl/pg8/data -U postgres" > /dev/null 2>&1
su postgres -c "$PGB/postgres -D /tmp/rl/pg8/data -c listen_addresses=127.0.0.1 -p 5433 -k /tmp/rl/pg8" > $O/pg-port-in-use.txt 2>&1
# MariaDB on a port that is taken (by PostgreSQL)
mariadbd --user=root --datadir=/tmp/rl/my/data --bind-address=127.0.0.1 --port=5433 --socket=/tmp/rl/my/my8.sock --skip-name-resolve > $O/mariadb-port-in-use.txt 2>&1
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data stop" > /dev/null 2>&1
echo done > $O/batch8.done
