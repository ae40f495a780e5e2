#!/bin/bash
# batch14 (issue #13 round 4, second part): more near misses and failures of the kinds the issue lists.
O=/tmp/rl/out14; B=/tmp/rl/b14; V=/tmp/rl/v42/bin; P312=/tmp/rl/b13/p312/bin; PGB=/usr/lib/postgresql/15/bin; C="curl -s -o /dev/null -m 8"
mk() { rm -rf $B/$1; cp -r /tmp/rl/proj $B/$1; rm -f $B/$1/db.sqlite3; }
cd /tmp/rl/proj
# 1 gunicorn access log whose paths and queries carry error words, all 200
timeout -s TERM 8 $V/gunicorn --bind 127.0.0.1:8000 --access-logfile - mysite.wsgi > $O/gunicorn-access-error-words.txt 2>&1 & sleep 3
$C 'http://127.0.0.1:8000/boom/?q=%22error%22'; $C 'http://127.0.0.1:8000/boom/?q=%22failed%22'; $C 'http://127.0.0.1:8000/form/?status=fatal'; wait
# 2 runserver autoreload after a change (StatReload)
mk reload; (cd $B/reload && timeout -s TERM 10 $V/python manage.py runserver 127.0.0.1:8000 > $O/runserver-reload.txt 2>&1 & sleep 4; touch $B/reload/shop/views.py; sleep 3; $C http://127.0.0.1:8000/; wait)
# 3 Django SECRET_KEY empty, noticed on the first request that needs it (admin login page)
mk secret; echo 'SECRET_KEY = ""' >> $B/secret/mysite/settings.py
(cd $B/secret && $V/python manage.py migrate > /dev/null 2>&1; timeout -s TERM 8 $V/python manage.py runserver 127.0.0.1:8000 --noreload > $O/dj-secret-key-empty-request.txt 2>&1 & sleep 4; $C http://127.0.0.1:8000/admin/login/; wait)
# 4 {% load staticfiles %} under Django 4.2
mk stf; mkdir -p $B/stf/shop/templates/shop; printf '{%% load staticfiles %%}\n<link href="{%% static "shop.css" %%}">\n' > $B/stf/shop/templates/shop/about.html
(cd $B/stf && $V/python manage.py migrate > /dev/null 2>&1; timeout -s TERM 8 $V/gunicorn --bind 127.0.0.1:8000 mysite.wsgi > $O/gunicorn-staticfiles-tag.txt 2>&1 & sleep 4; $C http://127.0.0.1:8000/about/; wait)
# 5 Python 3.12: import imp in settings
mk imp; sed -i '1i import imp' $B/imp/mysite/settings.py
(cd $B/imp && timeout -s TERM 8 $P312/gunicorn --bind 127.0.0.1:8000 mysite.wsgi) > $O/gunicorn312-imp.txt 2>&1
# 6 psycopg missing (Python 3.12 venv without it), DB=pg
(cd /tmp/rl/proj && DB=pg $P312/python manage.py migrate) > $O/dj312-psycopg-missing.txt 2>&1
# 7 mysqlclient missing: ENGINE mysql without PyMySQL's shim
mk mysqlc; sed -i 's/    import pymysql; pymysql.version_info = (2, 2, 4, "final", 0); pymysql.install_as_MySQLdb()/    pass/' $B/mysqlc/mysite/settings.py
(cd $B/mysqlc && DB=mysql $P312/python manage.py check --database default) > $O/dj312-mysqlclient-missing.txt 2>&1
# 8 pytest: passing tests with skips, xfail and a warnings summary (CI near miss)
env -u PIP_FIND_LINKS $V/pip install -q pytest pytest-django > $B/pip-pytest.txt 2>&1
mkdir -p $B/pyt && cat > $B/pyt/test_shop.py <<'PY'
import warnings, pytest
def test_ok():
    warnings.warn("old API", DeprecationWarning)
    assert 1 + 1 == 2
@pytest.mark.skip(reason="needs a database")
def test_db():
    pass
@pytest.mark.xfail(reason="known bug #12: error message wording")
def test_error_message():
    assert "error" == "failure"
def test_raises_error():
    with pytest.raises(ValueError, match="invalid literal"):
        int("x")
PY
(cd $B/pyt && $V/python -m pytest -rA test_shop.py) > $O/pytest-ok-warnings.txt 2>&1
# 9 pytest with a real failure
cat > $B/pyt/test_fail.py <<'PY'
def parse(v):
    return int(v)
def test_parse():
    assert parse("10") == 10
def test_parse_price():
    assert parse("9.99") == 9
PY
(cd $B/pyt && $V/python -m pytest test_fail.py) > $O/pytest-failure.txt 2>&1
# 10 PostgreSQL: checkpoints too frequent under pgbench (near miss), a session killed mid-transaction
rm -rf $B/pgd; cp -a /tmp/rl/pg/data $B/pgd; chown -R postgres: $B/pgd; rm -f $B/pgd/postmaster.pid; touch $B/pg-ckpt.log; chown postgres: $B/pg-ckpt.log
su postgres -c "$PGB/pg_ctl -D $B/pgd -l $B/pg-ckpt.log -o '-c listen_addresses=127.0.0.1 -p 5434 -k /tmp/rl/pg -c max_wal_size=32MB -c checkpoint_timeout=30s' start" > /dev/null 2>&1; sleep 2
PGPASSWORD=secret $PGB/pgbench -h 127.0.0.1 -p 5434 -U django -i -s 8 app > $O/pgbench-init.txt 2>&1
PGPASSWORD=secret psql -h 127.0.0.1 -p 5434 -U django app -c 'begin' -c 'select pg_sleep(20)' > /dev/null 2>&1 & K=$!; sleep 2; kill -9 $K
sleep 2; su postgres -c "$PGB/pg_ctl -D $B/pgd stop" > /dev/null 2>&1; sleep 1; cp $B/pg-ckpt.log $O/pg-checkpoints-server.txt
# 11 MariaDB: a client killed during a query (Aborted connection ... error writing), server keeps running
mariadbd --user=root --datadir=/tmp/rl/my/data --bind-address=127.0.0.1 --port=3307 --socket=/tmp/rl/my/my14.sock --skip-name-resolve --log-warnings=4 --log-error=$B/my14.log & sleep 4
mariadb -h 127.0.0.1 -P 3307 -u django -psecret app -e 'select sleep(4)' > /dev/null 2>&1 & K=$!; sleep 1; kill -9 $K; sleep 5
(cd /tmp/rl/proj && DB=mysql $V/python manage.py showmigrations shop) > $O/dj-mysql-showmigrations.txt 2>&1
cp $B/my14.log $O/mariadb-client-killed-server.txt
mariadb-admin -S /tmp/rl/my/my14.sock -uroot shutdown; sleep 3
# 12 celery: a task that retries, then succeeds (near miss)
cat > $B/ctasks.py <<'PY'
import os
from celery import Celery
app = Celery("ctasks", broker="redis://127.0.0.1:6380/0")
@app.task(bind=True, max_retries=3, default_retry_delay=1)
def fetch(self, n):
    if self.request.retries < 2:
        raise self.retry(exc=ConnectionError("upstream not ready"))
    return n
PY
redis-server --port 6380 --bind 127.0.0.1 --save '' --appendonly no > $B/redis14.txt 2>&1 & R=$!; sleep 2
(cd $B && timeout -s TERM 16 $V/celery -A ctasks worker --loglevel=INFO --concurrency=1 > $O/celery-retry-ok.txt 2>&1 &)
sleep 7; (cd $B && $V/python -c "import ctasks; ctasks.fetch.delay(7)") > /dev/null 2>&1; sleep 10
kill -TERM $R; wait $R
# 13 pandas 1.5 with numpy 2 (binary incompatibility)
python3.11 -m venv $B/pdv 2>/dev/null || /root/.pyenv/versions/3.11.7/bin/python3.11 -m venv $B/pdv
env -u PIP_FIND_LINKS $B/pdv/bin/pip install -q "pandas==1.5.3" > $B/pip-pandas.txt 2>&1; env -u PIP_FIND_LINKS $B/pdv/bin/pip install -q "numpy==2.0.2" > $B/pip-numpy2.txt 2>&1
$B/pdv/bin/python -c "import pandas; print(pandas.__version__)" > $O/pandas-numpy2.txt 2>&1
echo done > $O/batch14.done
