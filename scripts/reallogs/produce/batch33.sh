#!/bin/bash
# batch33 (issue #13 round 6, logs7): more database shapes. PostgreSQL 15's default that ordinary
# users may not create in schema public (a database owned by postgres, the app's user given CONNECT
# only), a role that does not exist; MariaDB 10.11 with max_connections=10 held by eleven clients
# (error 1040), a database that does not exist for a user with rights on every database (1049),
# redis-py 8 with no server. Servers on 127.0.0.1 only (the clusters of batch28, started again).
P=/tmp/p7; O=$P/out; B=$P/b33; mkdir -p $O $B; PGB=/usr/lib/postgresql/15/bin
V39=$P/v39/bin; V310=$P/v310/bin; V313=$P/v313/bin
sed -i "s/^log_connections.*//" $P/pg/data/postgresql.conf; echo "log_connections=on" >> $P/pg/data/postgresql.conf
su postgres -c "$PGB/pg_ctl -D $P/pg/data -l $P/pg/server33.log start" > /dev/null 2>&1; sleep 4
PGPASSWORD=pgsecret psql -h 127.0.0.1 -p 5447 -U postgres -c "create user shop password 'secret'" -c "create database shopdb" -c "grant connect on database shopdb to shop" > /dev/null 2>&1
# Django 2.2 + psycopg2 2.8 (Python 3.9) and Django 5.1 + psycopg 3 (Python 3.13): migrate as shop on shopdb
(cd $P/b28/dj22 && DB=pg DB_NAME=shopdb DB_USER=shop $V39/python manage.py migrate) > $O/dj22-pg-schema-public.txt 2>&1
rm -rf $B/d51 && cp -r $P/b29/d51 $B/d51 && cat >> $B/d51/mysite/settings.py <<'PY'
if os.environ.get("DB") == "pg":
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": os.environ.get("DB_NAME", "app"),
        "USER": os.environ.get("DB_USER", "django"), "PASSWORD": os.environ.get("DB_PASSWORD", "secret"), "HOST": "127.0.0.1", "PORT": "5447"}}
PY
(cd $B/d51 && DB=pg DB_NAME=shopdb DB_USER=shop $V313/python manage.py migrate) > $O/dj51-pg-schema-public.txt 2>&1
(cd $B/d51 && DB=pg DB_USER=shopadmin $V313/python manage.py migrate) > $O/dj51-pg-role-missing.txt 2>&1
(cd $B/d51 && DB=pg $V313/python manage.py migrate) > $O/dj51-pg-migrate-ok.txt 2>&1
PGPASSWORD=secret psql -h 127.0.0.1 -p 5447 -U shop shopdb -c "create table orders (id serial primary key, total numeric)" > $O/psql-schema-public.txt 2>&1
# a random UID with no passwd entry (as OpenShift runs a container): libpq takes the default user
# name from the passwd entry; git and whoami ask for it too
RU="setpriv --reuid=1000720000 --regid=0 --clear-groups"
env -i PATH=/usr/bin:/bin HOME=/ PGPASSWORD=secret $RU psql -h 127.0.0.1 -p 5447 -d app -c "select 1" > $O/uid-psql-no-user.txt 2>&1
env -i PATH=/usr/bin:/bin HOME=/ PYTHONPATH=/tmp/rl/v42/lib/python3.11/site-packages $RU /usr/bin/python3 -c "import psycopg2; psycopg2.connect(host='127.0.0.1', port=5447, dbname='app', password='secret')" > $O/uid-psycopg2-no-user.txt 2>&1
env -i PATH=/usr/bin:/bin HOME=/ $RU whoami > $O/uid-whoami.txt 2>&1
env -i PATH=/usr/bin:/bin HOME=/tmp $RU git clone -q ssh://git@127.0.0.1:1/shop.git /tmp/p7/b33/clone > $O/uid-git-ssh.txt 2>&1
su postgres -c "$PGB/pg_ctl -D $P/pg/data stop" > /dev/null 2>&1; sleep 2
cp $P/pg/server33.log $O/pg-server33.txt
# MariaDB: max_connections=10; a user with rights on every database
(mariadbd --datadir=$P/my/data --user=root --bind-address=127.0.0.1 --port=3327 --socket=$P/my/sock --skip-name-resolve --max-connections=10 --log-error=$P/my/error33.log --pid-file=$P/my/pid > /dev/null 2>&1 &)
sleep 6; mariadb -S $P/my/sock -u root -e "create user if not exists 'ops'@'%' identified by 'secret'; grant all on *.* to 'ops'@'%';" > /dev/null 2>&1
$V39/python -c "
import pymysql, time
cs = [pymysql.connect(host='127.0.0.1', port=3327, user='app', password='secret', database='app') for _ in range(11)]
time.sleep(25)" > /dev/null 2>&1 &
sleep 6
$V310/python $P/b28/myc.py 3327 app secret app > $O/myconn-toomany.txt 2>&1
(cd $P/b28/fsa && DATABASE_URL=mysql+pymysql://app:secret@127.0.0.1:3327/app $V39/python -c "from app import db; db.create_all()") > $O/fsa-pymysql-toomany.txt 2>&1
mariadb -h 127.0.0.1 -P 3327 -u app -psecret app -e "select 1" > $O/mariadb-cli-toomany.txt 2>&1
wait
$V310/python $P/b28/myc.py 3327 ops secret shopdb > $O/myconn-unknown-db.txt 2>&1
(cd $P/b28/fsa && DATABASE_URL=mysql+pymysql://ops:secret@127.0.0.1:3327/shopdb $V39/python -c "from app import db; db.create_all()") > $O/fsa-pymysql-unknown-db.txt 2>&1
(cd $P/b28/fsa && DATABASE_URL=mysql+pymysql://app:secret@127.0.0.1:3327/app $V39/python -c "from app import db; db.create_all(); print('tables created')") > $O/fsa-pymysql-createall-ok.txt 2>&1
kill $(cat $P/my/pid); sleep 3; cp $P/my/error33.log $O/mariadb-error33.txt
# redis-py 8 (Python 3.10) with no server, and a Django cache on it (Django 3.2's RedisCache needs 4.0; the
# client call is the same)
$V310/python -c "import redis; r = redis.Redis(host='127.0.0.1', port=6391); r.set('k', 'v')" > $O/redispy8-refused.txt 2>&1
