#!/bin/bash
cd /tmp/rl/proj
O=/tmp/rl/out
G=/tmp/rl/v42/bin/gunicorn
G22=/tmp/rl/pipv2/bin/gunicorn
C="curl -s -o /dev/null -m 20"
run() { # name secs cmd... (background, then kill)
  local name=$1 secs=$2; shift 2
  "$@" > $O/$name.txt 2>&1 & local pid=$!
  sleep $secs; kill -TERM $pid 2>/dev/null; sleep 1.5; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
}
# healthy gunicorn 27 with access log
( sleep 3; $C http://127.0.0.1:8080/; $C http://127.0.0.1:8080/admin/login/; $C http://127.0.0.1:8080/nope ) &
run gu-healthy 6 $G --bind 127.0.0.1:8080 --workers 2 --access-logfile - mysite.wsgi
# healthy gunicorn 22
( sleep 3; $C http://127.0.0.1:8080/ ) &
run gu22-healthy 5 $G22 --bind=127.0.0.1:8080 --workers=2 --threads=2 --access-logfile=- --log-level=info mysite.wsgi:application
# bad port (empty var)
PORT= ; $G --bind 127.0.0.1:$PORT mysite.wsgi > $O/gu-emptyport.txt 2>&1
WORKERS= ; $G --bind 127.0.0.1:8080 --workers $WORKERS mysite.wsgi > $O/gu-emptyworkers.txt 2>&1
$G --bind 127.0.0.1:8080 mysite.wsgi --reload-engine=auto --timeout=30 --preload --max-requests 1000 --log-file=- --workers 2 --thread 4 --access_log - > $O/gu-unrecognized.txt 2>&1
$G22 --bind 127.0.0.1:8080 mysite.wsgi:application --keepalive 5 --worker_class gthread > $O/gu22-unrecognized.txt 2>&1
# worker boot failure
run gu-bootfail 5 $G --bind 127.0.0.1:8080 mysite.wsgii
run gu22-bootfail 5 $G22 --bind 127.0.0.1:8080 shop.wsgi
# app not found
run gu-appnotfound 5 $G --bind 127.0.0.1:8080 mysite.wsgi:app
# port in use
python3 -m http.server 8080 --bind 127.0.0.1 > /dev/null 2>&1 & HP=$!
sleep 1
run gu-portinuse 9 $G --bind 127.0.0.1:8080 mysite.wsgi
kill $HP
# port 80 as nobody
chmod -R o+rX /tmp/rl
run gu-port80 4 setpriv --reuid=65534 --regid=65534 --clear-groups $G --bind 0.0.0.0:80 mysite.wsgi
# worker timeout
( sleep 3; $C "http://127.0.0.1:8080/slow/?s=12"; ) &
run gu-timeout 10 $G --bind 127.0.0.1:8080 --timeout 4 --workers 1 mysite.wsgi
( sleep 3; $C "http://127.0.0.1:8080/slow/?s=12"; ) &
run gu22-timeout 10 $G22 --bind 127.0.0.1:8080 --timeout 4 --workers 2 --access-logfile - mysite.wsgi
# sigkill a worker
$G --bind 127.0.0.1:8080 --workers 2 mysite.wsgi > $O/gu-sigkill.txt 2>&1 & GP=$!
sleep 3; W=$(pgrep -P $GP | head -1); kill -9 $W; sleep 3; kill -TERM $GP; wait $GP
# uvicorn
( sleep 3; $C http://127.0.0.1:8000/; ) &
run uv-healthy 5 /tmp/rl/v42/bin/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8000
/tmp/rl/v42/bin/uvicorn mysite.asgii:application --host 127.0.0.1 --port 8000 > $O/uv-importerror.txt 2>&1
/tmp/rl/v42/bin/uvicorn mysite.asgi:app --host 127.0.0.1 --port 8000 > $O/uv-attr.txt 2>&1
echo done > $O/gruns.done
