#!/bin/bash
# batch20b: the rest of batch20 after its `wait` also waited for mariadbd (started in the background
# by the same shell): the same steps 9 (healthy migrate) to 12, against the MariaDB batch20 started.
P=/tmp/p5; O=$P/out; B=$P/b20; V52=$P/v52/bin
(cd $B/my && DB=mysql $V52/python manage.py migrate) > $O/my-migrate-ok.txt 2>&1
$V52/python -c 'import pymysql; pymysql.connect(host="127.0.0.1", port=3317, user="django", password="secret", database="shop_prod")' > $O/pymysql-unknowndb.txt 2>&1
$V52/python -c '
from sqlalchemy import create_engine
create_engine("mysql+pymysql://django:secret@127.0.0.1:3399/app").connect()' > $O/sa-my-refused.txt 2>&1
mariadb --socket=$P/my/sock -u root -e "set global sql_mode='NO_ENGINE_SUBSTITUTION'"
(cd $B/my && DB=mysql $V52/python manage.py migrate) > $O/my-w002.txt 2>&1
(cd $B/my && DB=mysql $V52/python manage.py check --database default) > $O/my-w002-check.txt 2>&1
kill -TERM $(cat $P/my/pid); sleep 3
mkdir -p $B/cel && cd $B/cel && cat > tasks.py <<'PY'
from celery import Celery

app = Celery("tasks", broker="amqp://guest:guest@127.0.0.1:5672//")


@app.task
def add(x, y):
    return x + y
PY
timeout -s TERM 25 $V52/celery -A tasks worker --loglevel=INFO > $O/celery-amqp-refused.txt 2>&1
echo done > $O/batch20.done
