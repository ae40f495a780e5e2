#!/bin/bash
# batch43 (issue #13 round 9, logs9): nginx 1.22 (Debian nginx-light) configuration tests and error logs,
# supervisor 4.3 (pip, Python 3.11 venv), pip source builds without a C compiler, and healthy runs/near
# misses of the same tools. Everything under /tmp/p9/b43, ports 8480-8489 on 127.0.0.1.
P=/tmp/p9; B=$P/b43; O=$P/out; PY=/root/.pyenv/versions; mkdir -p $B $O; cd $B
run() { n=$1; shift; echo "### $n: $*" >> $P/batch43.cmds; ( "$@" ) > $O/$n.log 2>&1; echo "rc=$?" >> $P/batch43.cmds; }
# ---------------- nginx: a prefix folder per case, nginx -t -p PREFIX -c nginx.conf
conf() { d=$B/ngx-$1; rm -rf $d; mkdir -p $d/logs $d/conf.d $d/static; cat > $d/nginx.conf; }
head_='pid logs/nginx.pid;
error_log logs/error.log;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    access_log logs/access.log;
    client_body_temp_path body; proxy_temp_path proxy; fastcgi_temp_path fastcgi; uwsgi_temp_path uwsgi; scgi_temp_path scgi;'
conf typo <<C
$head_
    server {
        listen 127.0.0.1:8480;
        location / {
            proxy_passs http://127.0.0.1:8000;
        }
    }
}
C
conf upstream <<C
$head_
    upstream django { server django-app:8000; }
    server {
        listen 127.0.0.1:8480;
        location / { proxy_pass http://django; }
    }
}
C
conf semicolon <<C
$head_
    server {
        listen 127.0.0.1:8480
        location / { proxy_pass http://127.0.0.1:8000; }
    }
}
C
conf notallowed <<C
$head_
    proxy_pass http://127.0.0.1:8000;
    server {
        listen 127.0.0.1:8480;
    }
}
C
conf include <<C
$head_
    include $B/ngx-include/sites/app.conf;
}
C
conf dupe <<C
$head_
    server {
        listen 127.0.0.1:8480;
        location /static/ { alias $B/ngx-dupe/static/; }
        location /static/ { alias /opt/app-root/src/static/; }
    }
}
C
for c in typo upstream semicolon notallowed include dupe; do run b43-nginx-t-$c nginx -t -p $B/ngx-$c/ -c nginx.conf; done
# random UID: port 80 and the Debian image's default temp paths
conf port80 <<C
pid /tmp/p9/b43/ngx-port80/logs/nginx.pid;
error_log stderr;
events { worker_connections 64; }
http {
    client_body_temp_path /tmp/p9/b43/ngx-port80/body; proxy_temp_path /tmp/p9/b43/ngx-port80/proxy; fastcgi_temp_path /tmp/p9/b43/ngx-port80/fastcgi; uwsgi_temp_path /tmp/p9/b43/ngx-port80/uwsgi; scgi_temp_path /tmp/p9/b43/ngx-port80/scgi;
    access_log off;
    server { listen 80; }
}
C
chmod -R 777 $B/ngx-port80
run b43-nginx-port80-uid setpriv --reuid=1000690000 --regid=0 --clear-groups nginx -p $B/ngx-port80/ -c nginx.conf -g 'daemon off;'
conf varlib <<C
pid /tmp/p9/b43/ngx-varlib/logs/nginx.pid;
error_log stderr;
events { worker_connections 64; }
http {
    access_log off;
    server { listen 127.0.0.1:8481; }
}
C
chmod -R 777 $B/ngx-varlib
run b43-nginx-varlib-uid setpriv --reuid=1000690000 --regid=0 --clear-groups nginx -p $B/ngx-varlib/ -c nginx.conf -g 'daemon off;'
# runtime: body too large, upstream time-out, then healthy runs
cat > $B/slow.py <<'PY'
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
class H(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/report"):
            time.sleep(4)
        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
    do_POST = do_GET
HTTPServer(("127.0.0.1", 8489), H).serve_forever()
PY
/tmp/rl/v42/bin/python $B/slow.py > $B/slow.log 2>&1 & spid=$!
conf run <<C
$head_
    server {
        listen 127.0.0.1:8482;
        server_name app.example.com;
        client_max_body_size 1k;
        location /static/ { alias $B/ngx-run/static/; }
        location / { proxy_pass http://127.0.0.1:8489; proxy_read_timeout 2s; }
    }
    server {
        listen 127.0.0.1:8482;
        server_name app.example.com;
    }
}
C
echo "body{}" > $B/ngx-run/static/site.css
run b43-nginx-t-ok-warn nginx -t -p $B/ngx-run/ -c nginx.conf
nginx -p $B/ngx-run/ -c nginx.conf; sleep 1
python3 -c "print('x'*5000, end='')" > $B/big.txt
curl -s -o /dev/null http://127.0.0.1:8482/; curl -s -o /dev/null http://127.0.0.1:8482/static/site.css; curl -s -o /dev/null http://127.0.0.1:8482/static/missing.png
curl -s -o /dev/null --data-binary @$B/big.txt http://127.0.0.1:8482/upload/
curl -s -o /dev/null http://127.0.0.1:8482/report/yearly
curl -s -o /dev/null http://127.0.0.1:8482/
nginx -p $B/ngx-run/ -c nginx.conf -s reload; sleep 2; curl -s -o /dev/null http://127.0.0.1:8482/
nginx -p $B/ngx-run/ -c nginx.conf -s quit; sleep 2; kill $spid
cp $B/ngx-run/logs/error.log $O/b43-nginx-run-error.txt; cp $B/ngx-run/logs/access.log $O/b43-nginx-run-access.txt
echo "### b43-nginx-run: nginx -p $B/ngx-run/ -c nginx.conf (proxy to a Python http.server on 8489 that sleeps 4 s on /report, proxy_read_timeout 2s, client_max_body_size 1k); curl /, /static/site.css, /static/missing.png, POST 5000 bytes to /upload/, /report/yearly, /, nginx -s reload, /, nginx -s quit" >> $P/batch43.cmds
conf clean <<C
$head_
    server {
        listen 127.0.0.1:8483;
        location / { return 200 "ok"; }
    }
}
C
run b43-nginx-t-ok nginx -t -p $B/ngx-clean/ -c nginx.conf
chmod -R 777 $B/ngx-clean
run b43-nginx-t-ok-uid setpriv --reuid=1000690000 --regid=0 --clear-groups nginx -t -p $B/ngx-clean/ -c nginx.conf -g 'user nginx;'
# ---------------- supervisor 4.3
$PY/3.11.7/bin/python -m venv $P/vsup && env -u PIP_FIND_LINKS $P/vsup/bin/pip install -q "supervisor==4.3.0" > $B/sup-install.log 2>&1
sup() { d=$B/sup-$1; rm -rf $d; mkdir -p $d; cat > $d/supervisord.conf; }
supbase() { printf '[supervisord]\nnodaemon=true\nlogfile=%s/supervisord.log\npidfile=%s/supervisord.pid\n[unix_http_server]\nfile=%s/s.sock\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n[supervisorctl]\nserverurl=unix://%s/s.sock\n' $1 $1 $1 $1; }
d=$B/sup-nocmd; supbase $d | sup nocmd; printf '[program:web]\ncommand=/opt/app-root/src/run.sh\nautorestart=true\n' >> $d/supervisord.conf
d=$B/sup-exit; supbase $d | sup exit; printf '[program:web]\ncommand=%s -c "import sys; sys.exit(\\"settings module not found\\")"\nstartsecs=1\nstartretries=2\n' /tmp/rl/v42/bin/python >> $d/supervisord.conf
d=$B/sup-ok; supbase $d | sup ok; printf '[program:web]\ncommand=/tmp/rl/v42/bin/gunicorn -b 127.0.0.1:8484 okapp:app\ndirectory=%s\nstartsecs=2\nstdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\nredirect_stderr=true\n[program:beat]\ncommand=/bin/sh -c "sleep 2; exit 0"\nautorestart=unexpected\nexitcodes=0\nstartsecs=1\n' $B/../b41/fl >> $d/supervisord.conf
for c in nocmd exit ok; do echo "### b43-sup-$c: $P/vsup/bin/supervisord -c $B/sup-$c/supervisord.conf (nodaemon, stopped with TERM after 12 s; supervisorctl status before)" >> $P/batch43.cmds
  $P/vsup/bin/supervisord -c $B/sup-$c/supervisord.conf > $O/b43-sup-$c.log 2>&1 & sp=$!; sleep 10
  $P/vsup/bin/supervisorctl -c $B/sup-$c/supervisord.conf status > $O/b43-supctl-$c.log 2>&1
  sleep 2; kill -TERM $sp; sleep 3; wait $sp; done
# ---------------- pip source builds without a C compiler
mkdir -p $P/nocc; for f in /usr/bin/*; do case $(basename $f) in gcc*|cc|c++|g++*|x86_64-linux-gnu-gcc*|x86_64-linux-gnu-g++*|cpp*|x86_64-linux-gnu-cpp*|clang*) ;; *) ln -sf $f $P/nocc/ ;; esac; done
$PY/3.12.1/bin/python -m venv $P/vcc12 && $PY/3.9.18/bin/python -m venv $P/vcc39
run b43-pip-nocc-psutil-py312 env -u PIP_FIND_LINKS PATH=$P/nocc:/usr/local/bin $P/vcc12/bin/pip install --no-cache-dir --no-binary psutil "psutil==7.0.0"
run b43-pip-nocc-netifaces-py39 env -u PIP_FIND_LINKS PATH=$P/nocc:/usr/local/bin $P/vcc39/bin/pip install --no-cache-dir "netifaces==0.11.0"
run b43-pip-nocc-markupsafe-py312 env -u PIP_FIND_LINKS PATH=$P/nocc:/usr/local/bin $P/vcc12/bin/pip install --no-cache-dir --no-binary markupsafe "MarkupSafe==2.1.5"
run b43-pip-dryrun-py312 env -u PIP_FIND_LINKS $P/vcc12/bin/pip install --dry-run "Django==5.0.*" "gunicorn==22.0.0"
# ---------------- other healthy runs
run b43-dj-sqlmigrate42 bash -c "cd $P/b41/ok42 && /tmp/rl/v42/bin/python manage.py sqlmigrate shop 0001"
run b43-pip-freeze42 /tmp/rl/v42/bin/pip freeze --exclude-editable
