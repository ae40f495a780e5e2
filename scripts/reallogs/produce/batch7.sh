#!/bin/bash
# batch7: negatives (healthy and near-miss logs) and two ALLOWED_HOSTS variants. Outputs in /tmp/rl/out7.
O=/tmp/rl/out7; C="curl -s -o /dev/null -m 8"; PGB=/usr/lib/postgresql/15/bin
G=/tmp/rl/v42/bin/gunicorn
cd /tmp/rl/proj
# gunicorn: access log with 404s, HUP reload, max-requests restarts
$G --bind 127.0.0.1:8000 --workers 2 --access-logfile - mysite.wsgi > $O/g-404s.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8000/; $C http://127.0.0.1:8000/missing/; $C http://127.0.0.1:8000/favicon.ico; kill -TERM $P; wait $P
$G --bind 127.0.0.1:8000 --workers 2 mysite.wsgi > $O/g-hup.txt 2>&1 & P=$!; sleep 3; kill -HUP $P; sleep 3; $C http://127.0.0.1:8000/; kill -TERM $P; wait $P
$G --bind 127.0.0.1:8000 --workers 1 --max-requests 2 --access-logfile - mysite.wsgi > $O/g-maxreq.txt 2>&1 & P=$!; sleep 3; for i in 1 2 3 4 5; do $C http://127.0.0.1:8000/; done; sleep 2; kill -TERM $P; wait $P
# uvicorn: two workers, a 404
/tmp/rl/v42/bin/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8000 --workers 2 > $O/uv-workers.txt 2>&1 & P=$!; sleep 4; $C http://127.0.0.1:8000/; $C http://127.0.0.1:8000/nope; kill -TERM $P; wait $P
# runserver: Django 1.11 (Python 3.6) healthy, Django 3.2 with unapplied migrations
cd /tmp/rl/b6/dj111 && git checkout -q . 2>/dev/null; printf 'from django.conf.urls import url\nfrom django.contrib import admin\n\nurlpatterns = [\n    url(r"^admin/", admin.site.urls),\n]\n' > old/urls.py; printf 'from django.db import models\n' > blog/models.py
/tmp/rl/v36/bin/python manage.py migrate > $O/dj111-migrate.txt 2>&1
/tmp/rl/v36/bin/python manage.py runserver --noreload 127.0.0.1:8000 > $O/dj111-runserver.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8000/admin/; $C http://127.0.0.1:8000/; kill -TERM $P; wait $P
rm -rf /tmp/rl/b7 && mkdir -p /tmp/rl/b7 && cd /tmp/rl/b7 && /tmp/rl/v32/bin/django-admin startproject s32 . 
/tmp/rl/v32/bin/python manage.py runserver --noreload 127.0.0.1:8000 > $O/dj32-unapplied.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8000/; kill -TERM $P; wait $P
/tmp/rl/v32/bin/python manage.py makemigrations > $O/dj32-nochanges.txt 2>&1
/tmp/rl/v32/bin/python manage.py test > $O/dj32-test-ok.txt 2>&1
/tmp/rl/v32/bin/python manage.py check --deploy > $O/dj32-check-deploy.txt 2>&1
# ALLOWED_HOSTS empty with DEBUG off: Django 1.11 and 4.2 runserver
cd /tmp/rl/b6/dj111 && sed -i "s/^DEBUG = True/DEBUG = False/" old/settings.py && /tmp/rl/v36/bin/python manage.py runserver --noreload 127.0.0.1:8000 > $O/dj111-allowed-hosts-empty.txt 2>&1
cd /tmp/rl/proj && DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS= /tmp/rl/v42/bin/python manage.py runserver 127.0.0.1:8000 > $O/dj42-allowed-hosts-empty.txt 2>&1
# Flask dev server, uWSGI --need-app healthy, mod_wsgi-express healthy
cd /tmp/rl/b6/flask && printf 'from flask import Flask\napp = Flask(__name__)\n\n@app.route("/")\ndef index():\n    return "hi"\n' > ok.py
/tmp/rl/v42/bin/flask --app ok run --port 8000 > $O/flask-dev.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8000/; $C http://127.0.0.1:8000/x; kill -TERM $P; wait $P
cd /tmp/rl/proj
timeout -s INT 6 /tmp/rl/vw/bin/uwsgi --http 127.0.0.1:8000 --module mysite.wsgi:application --need-app --master --processes 2 --uid 65534 --gid 65534 > $O/uwsgi-needapp-ok.txt 2>&1 & sleep 3; $C http://127.0.0.1:8000/; wait
timeout -s INT 10 /tmp/rl/vw/bin/mod_wsgi-express start-server mysite/wsgi.py --port 8000 --host 127.0.0.1 --user nobody --group nogroup --server-root /tmp/rl/mw/ok7 --log-to-terminal > $O/modwsgi-ok.txt 2>&1 & sleep 6; $C http://127.0.0.1:8000/; wait
# PostgreSQL: clean restart log with the user@db prefix; a client that disconnects abruptly
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data stop" > /dev/null 2>&1; sleep 1
su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data -l /tmp/rl/pg/server7.log -o \"-c listen_addresses=127.0.0.1 -p 5433 -k /tmp/rl/pg -c log_line_prefix='%m [%p] %q%u@%d ' -c log_connections=on -c log_disconnections=on\" start" > /dev/null 2>&1; sleep 2
PGPASSWORD=secret psql -h 127.0.0.1 -p 5433 -U django app -c 'select count(*) from shop_product' > $O/psql-ok.txt 2>&1
PGPASSWORD=secret timeout -s KILL 2 psql -h 127.0.0.1 -p 5433 -U django app -c 'select pg_sleep(10)' > /dev/null 2>&1
sleep 1; su postgres -c "$PGB/pg_ctl -D /tmp/rl/pg/data stop" > /dev/null 2>&1; sleep 1; cp /tmp/rl/pg/server7.log $O/pg-server7.log
# MariaDB start and clean shutdown
mariadbd --user=root --datadir=/tmp/rl/my/data --bind-address=127.0.0.1 --port=3307 --socket=/tmp/rl/my/my.sock --skip-name-resolve --log-error=/tmp/rl/my/error7.log & sleep 4
mariadb -S /tmp/rl/my/my.sock -uroot -e 'show databases' > $O/mariadb-show.txt 2>&1
mariadb-admin -S /tmp/rl/my/my.sock -uroot shutdown; sleep 3; cp /tmp/rl/my/error7.log $O/mariadb-error7.log
# pip: pip check, a deprecation-laden install, pip freeze
/tmp/rl/v42/bin/pip check > $O/pip-check.txt 2>&1
env -u PIP_FIND_LINKS /tmp/rl/pv37/bin/pip install "requests==2.31.0" > $O/pip-py37-ok.txt 2>&1
# Ansible: a failing task with ignore_errors, then ok
cat > /tmp/rl/ans/ignore.yml <<'YML'
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Check for an optional local settings file
      ansible.builtin.command: cat /tmp/rl/proj/mysite/local_settings.py
      ignore_errors: true
    - name: Run Django checks
      ansible.builtin.command: /tmp/rl/v42/bin/python manage.py check
      args:
        chdir: /tmp/rl/proj
YML
(cd /tmp/rl/ans && ANSIBLE_NOCOLOR=1 /tmp/rl/v42/bin/ansible-playbook ignore.yml > $O/ansible-ignore.txt 2>&1)
echo done > $O/batch7.done
