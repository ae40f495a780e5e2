#!/bin/bash
# batch14b: batch14's three server runs again with longer waits (under the machine's load the servers
# had not started when their timeout ended, and the first outputs were empty).
O=/tmp/rl/out14; B=/tmp/rl/b14; V=/tmp/rl/v42/bin; C="curl -s -o /dev/null -m 8"
cd /tmp/rl/proj
timeout -s TERM 20 $V/gunicorn --bind 127.0.0.1:8000 --access-logfile - mysite.wsgi > $O/gunicorn-access-error-words.txt 2>&1 & sleep 10
$C 'http://127.0.0.1:8000/boom/?q=%22error%22'; $C 'http://127.0.0.1:8000/boom/?q=%22failed%22'; $C 'http://127.0.0.1:8000/form/?status=fatal'; wait
(cd $B/reload && timeout -s TERM 25 $V/python manage.py runserver 127.0.0.1:8000 > $O/runserver-reload.txt 2>&1 & sleep 10; touch $B/reload/shop/views.py; sleep 8; $C http://127.0.0.1:8000/; wait)
(cd $B/secret && timeout -s TERM 20 $V/python manage.py runserver 127.0.0.1:8000 --noreload > $O/dj-secret-key-empty-request.txt 2>&1 & sleep 10; $C http://127.0.0.1:8000/admin/login/; wait)
echo done > $O/batch14b.done
