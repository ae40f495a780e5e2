#!/bin/bash
# batch28 (issue #13 round 6, logs7): databases through other drivers and versions: PostgreSQL 15 (Debian)
# on 127.0.0.1:5447 with max_connections=6, MariaDB 10.11 on 127.0.0.1:3327; clients psycopg2 2.8.6 +
# Django 2.2 (Python 3.9), SQLAlchemy 1.3 + Flask-SQLAlchemy 2.5, PyMySQL 0.10, mysql-connector-python 8.0
# (Python 3.10), asyncpg and psycopg 3 (Python 3.13), pymongo 3.13/4.6/4.10 against no server.
P=/tmp/p7; O=$P/out; B=$P/b28; mkdir -p $O $B; PGB=/usr/lib/postgresql/15/bin
V39=$P/v39/bin; V310=$P/v310/bin; V313=$P/v313/bin
mkdir -p $P/pg && chown postgres $P/pg
su postgres -c "$PGB/initdb -D $P/pg/data -A scram-sha-256 -U postgres --pwfile=<(echo pgsecret)" > $O/initdb.txt 2>&1
printf "listen_addresses='127.0.0.1'\nport=5447\nunix_socket_directories='$P/pg'\nmax_connections=6\nsuperuser_reserved_connections=1\nlog_line_prefix='%%m [%%p] %%q%%u@%%d '\n" >> $P/pg/data/postgresql.conf
su postgres -c "$PGB/pg_ctl -D $P/pg/data -l $P/pg/server.log start" > /dev/null 2>&1; sleep 4
PGPASSWORD=pgsecret psql -h 127.0.0.1 -p 5447 -U postgres -c "create user django password 'secret'" -c "create database app owner django" > /dev/null 2>&1
mkdir -p $P/my && chown mysql $P/my 2>/dev/null; mariadb-install-db --datadir=$P/my/data --user=$(id -un) > $O/mariadb-install.txt 2>&1
(mariadbd --datadir=$P/my/data --user=root --bind-address=127.0.0.1 --port=3327 --socket=$P/my/sock --skip-name-resolve --max-connections=4 --log-error=$P/my/error.log --pid-file=$P/my/pid > /dev/null 2>&1 &)
sleep 6; mariadb -S $P/my/sock -u root -e "create database app; create user 'app'@'%' identified by 'secret'; grant all on app.* to 'app'@'%'; create database other;" > /dev/null 2>&1
# Django 2.2 project on Python 3.9 (settings read DB_* from the environment)
cd $B && rm -rf dj22 && mkdir dj22 && cd dj22 && $V39/django-admin startproject mysite . && $V39/python manage.py startapp shop
cat >> mysite/settings.py <<'PY'
import os
if os.environ.get('DB') == 'pg':
    DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': os.environ.get('DB_NAME', 'app'),
        'USER': os.environ.get('DB_USER', 'django'), 'PASSWORD': os.environ.get('DB_PASSWORD', 'secret'),
        'HOST': '127.0.0.1', 'PORT': os.environ.get('DB_PORT', '5447')}}
elif os.environ.get('DB') == 'my':
    import pymysql; pymysql.install_as_MySQLdb()
    DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'app', 'USER': 'app', 'PASSWORD': 'secret', 'HOST': '127.0.0.1', 'PORT': '3327'}}
PY
D=$B/dj22
(cd $D && DB=pg $V39/python manage.py migrate) > $O/dj22-pg-migrate-ok.txt 2>&1
(cd $D && DB=pg DB_PASSWORD=wrong $V39/python manage.py migrate) > $O/dj22-pg-auth.txt 2>&1
(cd $D && DB=pg DB_NAME=appdb timeout 12 $V39/gunicorn mysite.wsgi -b 127.0.0.1:8283 & sleep 5; curl -s -o /dev/null http://127.0.0.1:8283/admin/login/; wait) > $O/dj22-pg-nodb-gunicorn.txt 2>&1
(cd $D && DB=pg DB_PORT=5499 $V39/python manage.py showmigrations) > $O/dj22-pg-refused.txt 2>&1
(cd $D && DB=my $V39/python manage.py check) > $O/dj22-pymysql-too-old.txt 2>&1
# too many connections: hold 5 (max 6, one kept for superusers), then migrate
$V39/python -c "
import psycopg2, time
cs = [psycopg2.connect(host='127.0.0.1', port=5447, user='django', password='secret', dbname='app') for _ in range(5)]
time.sleep(25)" > /dev/null 2>&1 &
sleep 5; (cd $D && DB=pg $V39/python manage.py migrate) > $O/dj22-pg-toomany.txt 2>&1
$V313/python -c "
import asyncio, asyncpg
async def m():
    c = await asyncpg.connect('postgresql://django:secret@127.0.0.1:5447/app')
asyncio.run(m())" > $O/asyncpg-toomany.txt 2>&1
wait
# asyncpg and psycopg 3 on Python 3.13: bad password, missing table
$V313/python -c "
import asyncio, asyncpg
async def m():
    c = await asyncpg.connect('postgresql://django:nope@127.0.0.1:5447/app')
asyncio.run(m())" > $O/asyncpg-auth.txt 2>&1
$V313/python -c "
import asyncio, asyncpg
async def m():
    c = await asyncpg.connect('postgresql://django:secret@127.0.0.1:5447/app')
    print(await c.fetch('SELECT id, email FROM users'))
asyncio.run(m())" > $O/asyncpg-norelation.txt 2>&1
$V313/python -c "
import asyncio, asyncpg
async def m():
    c = await asyncpg.connect('postgresql://django:secret@127.0.0.1:5447/appdb')
asyncio.run(m())" > $O/asyncpg-nodb.txt 2>&1
# Flask 1.1 + Flask-SQLAlchemy 2.5 + psycopg2 on Python 3.9: a table that was never created (db.create_all not run)
mkdir -p $B/fsa && cat > $B/fsa/app.py <<'PY'
import os
from flask import Flask, jsonify
from flask_sqlalchemy import SQLAlchemy
app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = os.environ['DATABASE_URL']
app.config['SQLALCHEMY_TRACK_MODIFICATIONS'] = False
db = SQLAlchemy(app)
class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    text = db.Column(db.String(200))
@app.route('/')
def index():
    return jsonify([n.text for n in Note.query.all()])
PY
(cd $B/fsa && DATABASE_URL=postgresql://django:secret@127.0.0.1:5447/app timeout 12 $V39/gunicorn app:app -b 127.0.0.1:8284 & sleep 5; curl -s -o /dev/null http://127.0.0.1:8284/; wait) > $O/fsa-pg-notable.txt 2>&1
(cd $B/fsa && DATABASE_URL=mysql+pymysql://app:wrong@127.0.0.1:3327/app timeout 12 $V39/gunicorn app:app -b 127.0.0.1:8285 & sleep 5; curl -s -o /dev/null http://127.0.0.1:8285/; wait) > $O/fsa-pymysql-auth.txt 2>&1
(cd $B/fsa && DATABASE_URL=mysql+pymysql://app:secret@127.0.0.1:3327/app timeout 12 $V39/gunicorn app:app -b 127.0.0.1:8286 & sleep 5; curl -s -o /dev/null http://127.0.0.1:8286/; wait) > $O/fsa-pymysql-notable.txt 2>&1
(cd $B/fsa && DATABASE_URL=mysql+pymysql://app:secret@127.0.0.1:3327/shopdb $V39/python -c "from app import db; db.create_all()") > $O/fsa-pymysql-nodb.txt 2>&1
(cd $B/fsa && DATABASE_URL=postgresql://django:secret@127.0.0.1:5447/app $V39/python -c "from app import db; db.create_all(); print('tables created')") > $O/fsa-pg-createall-ok.txt 2>&1
# mysql-connector-python 8.0 on Python 3.10
cat > $B/myc.py <<'PY'
import sys, mysql.connector
cfg = dict(host='127.0.0.1', port=int(sys.argv[1]), user=sys.argv[2], password=sys.argv[3], database=sys.argv[4])
cn = mysql.connector.connect(**cfg)
cur = cn.cursor()
cur.execute("SELECT id, name FROM customers")
print(cur.fetchall())
PY
$V310/python $B/myc.py 3327 app wrong app > $O/myconn-auth.txt 2>&1
$V310/python $B/myc.py 3327 app secret appx > $O/myconn-nodb.txt 2>&1
$V310/python $B/myc.py 3327 app secret other > $O/myconn-denied-db.txt 2>&1
$V310/python $B/myc.py 3327 app secret app > $O/myconn-notable.txt 2>&1
$V310/python $B/myc.py 3399 app secret app > $O/myconn-refused.txt 2>&1
# MariaDB max_connections=4: hold them, then connect
$V39/python -c "
import pymysql, time
cs = [pymysql.connect(host='127.0.0.1', port=3327, user='app', password='secret', database='app') for _ in range(5)]
time.sleep(20)" > $O/pymysql-toomany.txt 2>&1 &
sleep 5; $V310/python $B/myc.py 3327 app secret app > $O/myconn-toomany.txt 2>&1; wait
cp $P/my/error.log $O/mariadb-error.txt
# pymongo 3.13 / 4.6 / 4.10 with no server; a URI with an unescaped @; an unknown option
$V39/python -c "
from pymongo import MongoClient
db = MongoClient('mongodb://127.0.0.1:27017/', serverSelectionTimeoutMS=2000).app
print(db.users.count_documents({}))" > $O/pymongo313-refused.txt 2>&1
$V310/python -c "
from pymongo import MongoClient
db = MongoClient('mongodb://127.0.0.1:27017/', serverSelectionTimeoutMS=2000).app
db.users.insert_one({'a': 1})" > $O/pymongo46-refused.txt 2>&1
$V313/python -c "
from pymongo import MongoClient
c = MongoClient('mongodb://127.0.0.1:27017/?serverSelectionTimeoutMS=2000')
print(c.server_info())" > $O/pymongo410-refused.txt 2>&1
$V313/python -c "
from pymongo import MongoClient
c = MongoClient('mongodb://mongo-0.mongo:27017/app', serverSelectionTimeoutMS=2000)
c.admin.command('ping')" > $O/pymongo410-dns.txt 2>&1
$V310/python -c "from pymongo import MongoClient; MongoClient('mongodb://app:s3cr@t@127.0.0.1:27017/app')" > $O/pymongo46-baduri.txt 2>&1
$V313/python -c "from pymongo import MongoClient; MongoClient('mongodb+srv://cluster0.example.invalid/app')" > $O/pymongo410-srv.txt 2>&1
# stop the servers (by their pid files)
cp $P/pg/server.log $O/pg-server.txt
su postgres -c "$PGB/pg_ctl -D $P/pg/data stop" > /dev/null 2>&1
kill $(cat $P/my/pid) 2>/dev/null; sleep 3
# (run afterwards on its own, no server needed) two more invalid MongoDB URIs: a DATABASE_URL of
# another scheme given to pymongo 4.10, a port that is not a number with pymongo 3.13
MONGO_URL=postgresql://app:secret@db:5432/app /tmp/p7/v313/bin/python -c "import os; from pymongo import MongoClient; MongoClient(os.environ['MONGO_URL'])" > /tmp/p7/out/pymongo410-scheme.txt 2>&1
/tmp/p7/v39/bin/python -c "from pymongo import MongoClient; MongoClient('mongodb://mongo:27017x/app')" > /tmp/p7/out/pymongo313-port.txt 2>&1
