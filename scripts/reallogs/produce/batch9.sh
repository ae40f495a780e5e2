#!/bin/bash
# batch9: uvicorn and Flask on a port that is taken; gunicorn on port 80 as an unprivileged user.
O=/tmp/rl/out9
cd /tmp/rl/proj
python3 -c "import socket,time; s=socket.socket(); s.bind(('127.0.0.1', 8000)); s.listen(); time.sleep(25)" & HOLD=$!; sleep 1
timeout -s TERM 6 /tmp/rl/v42/bin/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8000 > $O/uvicorn-port-in-use.txt 2>&1
cd /tmp/rl/b6/flask && timeout -s TERM 6 /tmp/rl/v42/bin/flask --app ok run --port 8000 > $O/flask-port-in-use.txt 2>&1
cd /tmp/rl/proj && timeout -s TERM 6 /tmp/rl/v32/bin/python manage.py runserver --noreload 127.0.0.1:8000 > $O/runserver32-port-in-use.txt 2>&1
kill $HOLD
cd /tmp/rl/b6/proj && timeout -s TERM 8 setpriv --reuid=1000680000 --regid=0 --clear-groups env PYTHONPATH=/tmp/rl/v42/lib/python3.11/site-packages HOME=/tmp /usr/bin/python3 -m gunicorn --bind 0.0.0.0:80 mysite.wsgi > $O/gunicorn-port-80.txt 2>&1
cd /tmp/rl/b6/proj && timeout -s TERM 8 setpriv --reuid=1000680000 --regid=0 --clear-groups env PYTHONPATH=/tmp/rl/v42/lib/python3.11/site-packages HOME=/tmp /usr/bin/python3 -m uvicorn mysite.asgi:application --host 0.0.0.0 --port 80 > $O/uvicorn-port-80.txt 2>&1
echo done > $O/batch9.done
