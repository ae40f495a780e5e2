#!/bin/bash
# usage: run NAME [env...] -- cmd ... ; then requests via REQ array
cd /tmp/rl/proj
PY=/tmp/rl/v42/bin/python
O=/tmp/rl/out
serve() { # name, seconds, requests-fn, cmd...
  local name=$1 secs=$2 fn=$3; shift 3
  "$@" > $O/$name.txt 2>&1 &
  local pid=$!
  sleep 2.5
  $fn
  sleep $secs
  kill -INT $pid 2>/dev/null; sleep 1; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
}
C="curl -s -o /dev/null -m 15"
r_home() { $C http://127.0.0.1:8000/; $C http://127.0.0.1:8000/static/admin/css/base.css; $C http://127.0.0.1:8000/favicon.ico; }
r_host() { $C -H "Host: django-myproj.apps.ocp4.example.com" http://127.0.0.1:8000/; $C -H "Host: django-myproj.apps.ocp4.example.com" http://127.0.0.1:8000/about/; }
r_about() { $C http://127.0.0.1:8000/about/; }
r_csrf() { $C -X POST -H "Origin: https://django-myproj.apps.ocp4.example.com" -H "Referer: https://django-myproj.apps.ocp4.example.com/form/" -H "Cookie: csrftoken=abcdefghijklmnopqrstuvwxyzABCDEF" -d "csrfmiddlewaretoken=abcdefghijklmnopqrstuvwxyzABCDEF&x=1" http://127.0.0.1:8000/form/; $C -X POST -d x=1 http://127.0.0.1:8000/form/; }
r_boom() { $C http://127.0.0.1:8000/; $C "http://127.0.0.1:8000/boom/"; }
rm -f db.sqlite3
serve dj-runserver-nomigrate 2 r_home $PY manage.py runserver --noreload 127.0.0.1:8000
$PY manage.py migrate > $O/dj-migrate-sqlite.txt 2>&1
serve dj-runserver-healthy 2 r_home $PY manage.py runserver --noreload 127.0.0.1:8000
serve dj-disallowedhost 2 r_host $PY manage.py runserver --noreload 127.0.0.1:8000
DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS= $PY manage.py runserver --noreload 127.0.0.1:8000 > $O/dj-allowedhosts-empty.txt 2>&1
serve dj-template-missing 2 r_about $PY manage.py runserver --noreload 127.0.0.1:8000
$PY manage.py runserver --noreload 127.0.0.1:8000 > /dev/null 2>&1 & P=$!; sleep 2.5; curl -s -m 10 http://127.0.0.1:8000/about/ > $O/dj-500-page-template.html; curl -s -m 10 -H "Host: django-myproj.apps.ocp4.example.com" http://127.0.0.1:8000/ > $O/dj-400-page-disallowed.html; kill $P; wait $P 2>/dev/null
DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=127.0.0.1,django-myproj.apps.ocp4.example.com serve dj-csrf-origin 2 r_csrf $PY manage.py runserver --noreload 127.0.0.1:8000
DJANGO_DEBUG=1 serve dj-csrf-origin-debug 2 r_csrf $PY manage.py runserver --noreload 127.0.0.1:8000
$PY manage.py collectstatic --noinput > $O/dj-collectstatic-nostaticroot.txt 2>&1
STATIC_ROOT=/tmp/rl/staticroot $PY manage.py collectstatic --noinput > $O/dj-collectstatic-ok.txt 2>&1
DJANGO_SETTINGS_MODULE=mysite.settings_prod $PY manage.py migrate > $O/dj-settings-missing.txt 2>&1
# postgres
DB=pg DB_PASSWORD=wrong $PY manage.py migrate > $O/dj-pg-auth.txt 2>&1
DB=pg DB_USER=app_user DB_PASSWORD=x $PY manage.py check --database default > $O/dj-pg-auth-nouser.txt 2>&1
DB=pg DB_PORT=5499 $PY manage.py migrate > $O/dj-pg-refused.txt 2>&1
DB=pg DB_NAME=sampledb $PY manage.py migrate > $O/dj-pg-nodb.txt 2>&1
DB=pg serve dj-pg-nomigrate 2 r_home $PY manage.py runserver --noreload 127.0.0.1:8000
DB=pg $PY manage.py migrate > $O/dj-pg-migrate-ok.txt 2>&1
DB=pg serve dj-pg-healthy 2 r_boom $PY manage.py runserver --noreload 127.0.0.1:8000
echo done > $O/djruns.done
