#!/bin/bash
# batch12c: other versions of the same shapes (gunicorn 19.9/20.1, Django 1.11/3.2), debug-level healthy logs.
O=/tmp/rl/out12; C="curl -s -o /dev/null -m 8"
while [ ! -f $O/batch12b.done ]; do sleep 2; done
cd /tmp/rl/proj
/tmp/rl/v42/bin/gunicorn --bind 127.0.0.1:8000 --log-level debug mysite.wsgi > $O/gunicorn-debug-config.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8000/; kill -TERM $P; wait $P
/tmp/rl/v42/bin/gunicorn --bind 127.0.0.1:8000 --worker-class gthread --threads 4 --workers 2 --access-logfile - mysite.wsgi > $O/gunicorn-gthread.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8000/; kill -TERM $P; wait $P
/tmp/rl/v42/bin/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8000 --workers 2 > $O/uvicorn-workers.txt 2>&1 & P=$!; sleep 4; $C http://127.0.0.1:8000/; kill -TERM $P; wait $P
/tmp/rl/v42/bin/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8000 --log-level trace > $O/uvicorn-trace.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8000/; kill -TERM $P; wait $P
(cd /tmp/rl/b7 && timeout -s TERM 6 /tmp/rl/v42/bin/uvicorn main:app --host 127.0.0.1 --port 8000) > $O/uvicorn-main-missing.txt 2>&1
# Django 3.2 / 1.11 projects
for V in 32 36; do
  if [ $V = 32 ]; then D=/tmp/rl/b7; else D=/tmp/rl/b6/dj111; fi
  (cd $D && /tmp/rl/v$V/bin/gunicorn --bind 127.0.0.1:8000 --workers 2 --max-requests 1 --access-logfile - $(ls -d */wsgi.py | head -1 | cut -d/ -f1).wsgi) > $O/gunicorn-v$V-max-requests.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8000/; $C http://127.0.0.1:8000/; $C http://127.0.0.1:8000/; sleep 1; kill -HUP $P; sleep 3; kill -TERM $P; wait $P
  (cd $D && timeout -s TERM 8 /tmp/rl/v$V/bin/python manage.py runserver 127.0.0.1:8000 --noreload) > $O/runserver-v$V-404.txt 2>&1 & sleep 4; $C http://127.0.0.1:8000/favicon.ico; $C http://127.0.0.1:8000/robots.txt; wait
done
# migrate with model changes that have no migration (Django 4.2)
cp -r /tmp/rl/proj /tmp/rl/b12/mc; printf '\n\nclass Widget(models.Model):\n    name = models.CharField(max_length=20)\n' >> /tmp/rl/b12/mc/shop/models.py
(cd /tmp/rl/b12/mc && DB_PATH=/tmp/rl/b12/mc/db.sqlite3 /tmp/rl/v42/bin/python manage.py migrate) > $O/dj-migrate-model-changes.txt 2>&1
echo done > $O/batch12c.done
