#!/bin/bash
# batch25 (issue #13 round 5): more wordings of kinds in the brief: MySQL 2005/1049 through
# mysqlclient and PyMySQL, SQLite's "no such column" (Django 4.2 shell), gunicorn 27's gthread
# worker timing out, uvicorn's app string without ":attr", a script run from a sub-folder,
# Python 2 print on 3.12, and negatives.
P=/tmp/p5; O=$P/out; B=$P/b25; mkdir -p $O $B; V52=$P/v52/bin; V42=/tmp/rl/v42/bin
cp_() { rm -rf $B/$2; cp -r $P/$1 $B/$2; cd $B/$2; }
mariadbd --user=root --datadir=$P/my/data --bind-address=127.0.0.1 --port=3317 --socket=$P/my/sock --skip-name-resolve --log-error=$P/my/error25.log --pid-file=$P/my/pid > /dev/null 2>&1 &
sleep 5
mariadb --socket=$P/my/sock -u root -e "create user if not exists ops@'127.0.0.1' identified by 'secret'; grant all on *.* to ops@'127.0.0.1';"
# 1 1049 through mysqlclient (Django 5.2 migrate) and PyMySQL; 2005/2003 for a host that does not resolve via PyMySQL
cp_ base52 my
(cd $B/my && DB=mysql DB_USER=ops DB_NAME=shop_prod $V52/python manage.py migrate) > $O/my-1049.txt 2>&1
$V52/python -c 'import pymysql; pymysql.connect(host="127.0.0.1", port=3317, user="ops", password="secret", database="inventory")' > $O/pymysql-1049.txt 2>&1
$V52/python -c 'import pymysql; pymysql.connect(host="mariadb", port=3306, user="ops", password="secret", database="app")' > $O/pymysql-unknown-host.txt 2>&1
(cd $B/my && DB=mysql DB_HOST=db.example.invalid $V52/python manage.py check --database default) > $O/my-2005-check.txt 2>&1
kill -TERM $(cat $P/my/pid); sleep 3
# 2 SQLite: a field without its migration, queried from manage.py shell (Django 4.2)
cp_ base42 nsc; $V42/python manage.py migrate > /dev/null 2>&1
sed -i 's/    name = models.CharField(max_length=100)/    name = models.CharField(max_length=100)\n    stock = models.IntegerField(default=0)/' shop/models.py
(cd $B/nsc && $V42/python manage.py shell -c 'from shop.models import Product; print(list(Product.objects.all()))') > $O/nsc-42-shell.txt 2>&1
# 3 gunicorn 27 gthread worker, --timeout 3, a view that sleeps 12 s (Django 5.2)
cp_ base52 gt; cat >> shop/views.py <<'PY'


def slow(request):
    import time
    time.sleep(12)
    return render(request, "shop/index.html", {"products": []})
PY
sed -i 's|    path("", views.index),|    path("", views.index),\n    path("report/", views.slow),|' mysite/urls.py; $V52/python manage.py migrate > /dev/null 2>&1
(cd $B/gt && timeout -s TERM 22 $V52/gunicorn --bind 127.0.0.1:8251 --worker-class gthread --threads 2 --timeout 3 mysite.wsgi) > $O/gunicorn27-gthread-timeout.txt 2>&1 &
sleep 5; curl -s -m 15 -o /dev/null "http://127.0.0.1:8251/report/"; wait
# 4 uvicorn with a module path only (FastAPI-style main), a script run from scripts/, print on 3.12
(cd $B/gt && timeout -s TERM 10 $V52/uvicorn mysite.asgi.application --host 127.0.0.1 --port 8252) > $O/uvicorn-dotted-attr.txt 2>&1
cp_ base42 sp; mkdir -p tools; printf 'import os\nimport django\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\ndjango.setup()\nfrom shop.models import Product\nprint(Product.objects.count())\n' > tools/count.py
(cd $B/sp/tools && $V42/python count.py) > $O/script-subdir-42.txt 2>&1
cp_ base52 py2; printf '\n\ndef legacy(request):\n    print "legacy", request\n' >> shop/views.py
(cd $B/py2 && $V52/python manage.py check) > $O/py2-print-312-check.txt 2>&1
# 5 negatives: showmigrations on MariaDB... (server stopped) -> showmigrations on SQLite 5.2, and a gthread run that is fine
(cd $B/gt && $V52/python manage.py showmigrations) > $O/showmigrations-52.txt 2>&1
(cd $B/gt && timeout -s TERM 10 $V52/gunicorn --bind 127.0.0.1:8253 --worker-class gthread --threads 4 --workers 2 --access-logfile - mysite.wsgi) > $O/gunicorn27-gthread-ok.txt 2>&1 &
sleep 5; curl -s -o /dev/null http://127.0.0.1:8253/; curl -s -o /dev/null http://127.0.0.1:8253/static/missing.css; wait
echo done > $O/batch25.done
