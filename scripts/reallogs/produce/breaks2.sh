O=/tmp/rl/out; PY=/tmp/rl/v42/bin/python; G=/tmp/rl/v42/bin/gunicorn
cd /tmp/rl/b/confurl && { $G --bind 127.0.0.1:8081 mysite.wsgi > $O/br-confurl-gunicorn.txt 2>&1 & P=$!; sleep 3; curl -s -o /dev/null -m 5 http://127.0.0.1:8081/; sleep 1; kill $P; wait $P; }
cd /tmp/rl/b/except && $PY manage.py check > $O/br-except-check.txt 2>&1
cd /tmp/rl/b/except && { $G --bind 127.0.0.1:8084 --access-logfile - mysite.wsgi > $O/br-except-gunicorn.txt 2>&1 & P=$!; sleep 3; curl -s -o /dev/null -m 5 http://127.0.0.1:8084/; sleep 1; kill $P; wait $P; }
cd /tmp/rl/b/confurl && $PY manage.py runserver --noreload 127.0.0.1:8088 > $O/br-confurl-runserver.txt 2>&1 & P=$!; sleep 4; kill $P; wait $P
echo done > $O/breaks2.done
