#!/bin/bash
# batch20 (issue #13 round 5): databases. PostgreSQL 15 (own cluster, 127.0.0.1:5443) with psycopg 3
# (Django 5.2, v52) and SQLAlchemy 2.1; MariaDB 10.11 (own datadir, 127.0.0.1:3317) with mysqlclient
# 2.3 and PyMySQL; Celery 5.7 with an AMQP broker that is not there.
P=/tmp/p5; O=$P/out; B=$P/b20; mkdir -p $O $B; V52=$P/v52/bin; PGB=/usr/lib/postgresql/15/bin
cp_() { rm -rf $B/$2; cp -r $P/$1 $B/$2; cd $B/$2; }
# PostgreSQL
mkdir -p $P/pg && chown postgres: $P/pg
su postgres -c "echo secret > $P/pg/pw && $PGB/initdb -D $P/pg/data -A scram-sha-256 -U postgres --pwfile=$P/pg/pw" > $O/pg-initdb.txt 2>&1
su postgres -c "$PGB/pg_ctl -D $P/pg/data -l $P/pg/server.log -o '-c listen_addresses=127.0.0.1 -p 5443 -k $P/pg' start" > /dev/null 2>&1; sleep 3
PGPASSWORD=secret psql -h 127.0.0.1 -p 5443 -U postgres -c "create user django password 'secret'" -c "create database app owner django" > /dev/null 2>&1
cp_ base52 pg
# 1 healthy migrate with psycopg 3
(cd $B/pg && DB=pg $V52/python manage.py migrate) > $O/pg3-migrate-ok.txt 2>&1
# 2 refused (nothing on 5999), 3 wrong password, 4 missing database, 5 time-out (unroutable address), 6 sslmode=require
(cd $B/pg && DB=pg DB_PORT=5999 $V52/python manage.py migrate) > $O/pg3-refused.txt 2>&1
(cd $B/pg && DB=pg DB_PASSWORD=wrong $V52/python manage.py migrate) > $O/pg3-auth.txt 2>&1
(cd $B/pg && DB=pg DB_NAME=shop_prod $V52/python manage.py migrate) > $O/pg3-dbmissing.txt 2>&1
(cd $B/pg && DB=pg DB_HOST=10.255.255.1 $V52/python manage.py migrate) > $O/pg3-timeout.txt 2>&1
(cd $B/pg && DB=pg PGSSLMODE=require $V52/python manage.py migrate) > $O/pg3-ssl.txt 2>&1
# 7 a field added without a migration: request under gunicorn (client side) and the server's log
sed -i 's/    name = models.CharField(max_length=100)/    name = models.CharField(max_length=100)\n    price = models.IntegerField(default=0)/' shop/models.py
: > $P/pg/server.log.mark; wc -l < $P/pg/server.log > $P/pg/mark
(cd $B/pg && DB=pg DJANGO_DEBUG=0 timeout -s TERM 15 $V52/gunicorn --bind 127.0.0.1:8201 mysite.wsgi) > $O/pg3-column.txt 2>&1 &
sleep 6; curl -s -o /dev/null http://127.0.0.1:8201/; wait
tail -n +$(( $(cat $P/pg/mark) + 1 )) $P/pg/server.log > $O/pg-server-column.txt
# 8 SQLAlchemy 2.1 + psycopg 3: refused and a missing table
$V52/python -c '
from sqlalchemy import create_engine, text
e = create_engine("postgresql+psycopg://django:secret@127.0.0.1:5999/app")
e.connect()' > $O/sa-refused.txt 2>&1
$V52/python -c '
from sqlalchemy import create_engine, text
e = create_engine("postgresql+psycopg://django:secret@127.0.0.1:5443/app")
with e.connect() as c:
    c.execute(text("select id, email from users"))' > $O/sa-notable.txt 2>&1
su postgres -c "$PGB/pg_ctl -D $P/pg/data stop" > /dev/null 2>&1; sleep 1
# MariaDB
mkdir -p $P/my; mariadb-install-db --user=root --datadir=$P/my/data > $O/my-install.txt 2>&1
mariadbd --user=root --datadir=$P/my/data --bind-address=127.0.0.1 --port=3317 --socket=$P/my/sock --skip-name-resolve --log-error=$P/my/error.log --pid-file=$P/my/pid & sleep 5
mariadb --socket=$P/my/sock -u root -e "create database app; create user django@'127.0.0.1' identified by 'secret'; grant all on app.* to django@'127.0.0.1';"
cp_ base52 my
# 9 mysqlclient: refused, unknown host, unknown database, a table never created (request), healthy migrate
(cd $B/my && DB=mysql DB_PORT=3399 $V52/python manage.py migrate) > $O/my-refused.txt 2>&1
(cd $B/my && DB=mysql DB_HOST=mysql-db $V52/python manage.py migrate) > $O/my-unknownhost.txt 2>&1
(cd $B/my && DB=mysql DB_NAME=shop_prod $V52/python manage.py migrate) > $O/my-unknowndb.txt 2>&1
(cd $B/my && DB=mysql DJANGO_DEBUG=0 timeout -s TERM 15 $V52/gunicorn --bind 127.0.0.1:8202 mysite.wsgi) > $O/my-notable.txt 2>&1 &
sleep 6; curl -s -o /dev/null http://127.0.0.1:8202/; wait
(cd $B/my && DB=mysql $V52/python manage.py migrate) > $O/my-migrate-ok.txt 2>&1
# 10 PyMySQL: unknown database and refused
$V52/python -c 'import pymysql; pymysql.connect(host="127.0.0.1", port=3317, user="django", password="secret", database="shop_prod")' > $O/pymysql-unknowndb.txt 2>&1
$V52/python -c '
from sqlalchemy import create_engine
create_engine("mysql+pymysql://django:secret@127.0.0.1:3399/app").connect()' > $O/sa-my-refused.txt 2>&1
# 11 sql_mode without STRICT: Django's mysql.W002 on migrate (a warning; the migrate works)
mariadb --socket=$P/my/sock -u root -e "set global sql_mode='NO_ENGINE_SUBSTITUTION'"
(cd $B/my && DB=mysql $V52/python manage.py migrate) > $O/my-w002.txt 2>&1
kill -TERM $(cat $P/my/pid); sleep 3
# 12 Celery 5.7 worker, AMQP broker not there
mkdir -p $B/cel && cd $B/cel && cat > tasks.py <<'PY'
from celery import Celery

app = Celery("tasks", broker="amqp://guest:guest@127.0.0.1:5672//")


@app.task
def add(x, y):
    return x + y
PY
timeout -s TERM 25 $V52/celery -A tasks worker --loglevel=INFO > $O/celery-amqp-refused.txt 2>&1
echo done > $O/batch20.done
