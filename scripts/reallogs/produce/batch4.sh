O=/tmp/rl/out; C="curl -s -o /dev/null -m 5"
cd /tmp/rl/proj
/tmp/rl/v42/bin/python manage.py check > $O/n4-check.txt 2>&1
grep -E "Aborted connection" /tmp/rl/my/error.log > $O/n4-my-aborted.txt
mariadb-admin -S /tmp/rl/my/my.sock -uroot shutdown; sleep 3; tail -n 25 /tmp/rl/my/error.log > $O/n4-my-shutdown.txt
rm -rf /tmp/rl/b/dj32 && mkdir -p /tmp/rl/b/dj32 && cd /tmp/rl/b/dj32 && /tmp/rl/v32/bin/django-admin startproject site32 . && /tmp/rl/v32/bin/python manage.py migrate > $O/n4-dj32-migrate.txt 2>&1
/tmp/rl/v32/bin/python manage.py runserver --noreload 127.0.0.1:8000 > $O/n4-dj32-runserver.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8000/; $C http://127.0.0.1:8000/admin/; kill $P; wait $P
/tmp/rl/v32/bin/gunicorn --bind 127.0.0.1:8080 --workers 2 --access-logfile - site32.wsgi > $O/n4-dj32-gunicorn.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8080/; $C http://127.0.0.1:8080/admin/login/; kill $P; wait $P
cd /tmp/rl/proj
/tmp/rl/v42/bin/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8000 --log-level debug > $O/n4-uvicorn-debug.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8000/; kill $P; wait $P
cd /tmp/rl && python3.11 -m venv pipv9 && pipv9/bin/pip install Pillow==8.4.0 gunicorn==22.0.0 > $O/n4-pip-cached.txt 2>&1
echo done > $O/batch4.done
