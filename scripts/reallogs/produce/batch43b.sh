#!/bin/bash
# batch43b (issue #13 round 9, logs9): two more source builds without a C compiler (batch43's netifaces found a
# wheel and MarkupSafe fell back to pure Python quietly: both kept as healthy installs), and healthy runs /
# near misses: nginx at notice and info level through a reload and a client that gives up, supervisord
# restarting a program that then stays up, supervisorctl restart, gunicorn rebooting a worker that was
# sent TERM, flask routes, runserver redirects, PostgreSQL and MariaDB start/stop logs, psql restoring a dump.
P=/tmp/p9; B=$P/b43; O=$P/out; PY=/root/.pyenv/versions; PGB=/usr/lib/postgresql/15/bin; cd $B
run() { n=$1; shift; echo "### $n: $*" >> $P/batch43.cmds; ( "$@" ) > $O/$n.log 2>&1; echo "rc=$?" >> $P/batch43.cmds; }
run b43-pip-nocc-ujson-py39 env -u PIP_FIND_LINKS PATH=$P/nocc:/usr/local/bin $P/vcc39/bin/pip install --no-cache-dir --no-binary ujson "ujson==5.10.0"
run b43-pip-nocc-psycopg2-py312 env -u PIP_FIND_LINKS PATH=$P/nocc:/usr/local/bin $P/vcc12/bin/pip install --no-cache-dir "psycopg2==2.9.10"
# nginx at info level: a reload, a client that gives up before the slow upstream answers, a quit
/tmp/rl/v42/bin/python $B/slow.py > $B/slow2.log 2>&1 & spid=$!
sed -e 's#error_log logs/error.log;#error_log logs/info.log info;#' -e 's/proxy_read_timeout 2s/proxy_read_timeout 10s/' $B/ngx-run/nginx.conf > $B/ngx-run/nginx-info.conf
nginx -p $B/ngx-run/ -c nginx-info.conf 2> /dev/null; sleep 1
curl -s -o /dev/null http://127.0.0.1:8482/; curl -s -o /dev/null --max-time 1 http://127.0.0.1:8482/report/monthly
nginx -p $B/ngx-run/ -c nginx-info.conf -s reload 2> /dev/null; sleep 2; curl -s -o /dev/null http://127.0.0.1:8482/
nginx -p $B/ngx-run/ -c nginx-info.conf -s quit 2> /dev/null; sleep 3; kill $spid
cp $B/ngx-run/logs/info.log $O/b43-nginx-info.txt
echo "### b43-nginx-info: nginx -p $B/ngx-run/ -c nginx-info.conf (error_log info; proxy_read_timeout 10s); curl /, curl --max-time 1 /report/monthly (the upstream sleeps 4 s), nginx -s reload, curl /, nginx -s quit" >> $P/batch43.cmds
# supervisord: a program that fails once (no marker file yet) then stays up; supervisorctl restart
d=$B/sup-flaky; rm -rf $d; mkdir -p $d
printf '[supervisord]\nnodaemon=true\nuser=root\nlogfile=%s/supervisord.log\npidfile=%s/supervisord.pid\n[unix_http_server]\nfile=%s/s.sock\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n[supervisorctl]\nserverurl=unix://%s/s.sock\n[program:web]\ncommand=/bin/sh -c "test -f %s/ready || { touch %s/ready; echo waiting for database; exit 1; }; exec /tmp/rl/v42/bin/gunicorn -b 127.0.0.1:8485 okapp:app"\ndirectory=%s\nstartsecs=2\nstdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\nredirect_stderr=true\n' $d $d $d $d $d $d $P/b41/fl > $d/supervisord.conf
echo "### b43-sup-flaky: $P/vsup/bin/supervisord -c $d/supervisord.conf (the program exits 1 the first time, then runs gunicorn); supervisorctl restart web after 10 s; TERM after 16 s" >> $P/batch43.cmds
$P/vsup/bin/supervisord -c $d/supervisord.conf > $O/b43-sup-flaky.log 2>&1 & sp=$!; sleep 10
$P/vsup/bin/supervisorctl -c $d/supervisord.conf restart web > $O/b43-supctl-restart.log 2>&1
echo "### b43-supctl-restart: $P/vsup/bin/supervisorctl -c $d/supervisord.conf restart web" >> $P/batch43.cmds
sleep 6; kill -TERM $sp; sleep 3; wait $sp
# gunicorn 27: one worker sent TERM, the arbiter boots a new one
echo "### b43-gunicorn-worker-term: cd $P/b41/fl && gunicorn -w 2 -b 127.0.0.1:8486 okapp:app; kill -TERM <one worker>; curl /; TERM the master" >> $P/batch43.cmds
( cd $P/b41/fl && exec /tmp/rl/v42/bin/gunicorn -w 2 -b 127.0.0.1:8486 okapp:app ) > $O/b43-gunicorn-worker-term.log 2>&1 & gp=$!; sleep 8
kill -TERM $(pgrep -P $gp | head -1); sleep 5; curl -s -o /dev/null http://127.0.0.1:8486/; kill -TERM $gp; sleep 3; wait $gp
run b43-flask-routes bash -c "cd $P/b41/fl && /tmp/rl/v42/bin/flask --app okapp routes"
echo "### b43-runserver-redirects: cd $P/b41/ok42 && python manage.py runserver 127.0.0.1:8487 --noreload; curl /admin, /admin/, /static/admin/css/base.css twice (If-Modified-Since)" >> $P/batch43.cmds
( cd $P/b41/ok42 && exec /tmp/rl/v42/bin/python manage.py runserver 127.0.0.1:8487 --noreload ) > $O/b43-runserver-redirects.log 2>&1 & rp=$!; sleep 10
curl -s -o /dev/null http://127.0.0.1:8487/admin; curl -s -o /dev/null http://127.0.0.1:8487/admin/; curl -s -o /dev/null http://127.0.0.1:8487/static/admin/css/base.css
curl -s -o /dev/null -H "If-Modified-Since: $(date -u -R)" http://127.0.0.1:8487/static/admin/css/base.css; sleep 1; kill -TERM $rp; wait $rp
# PostgreSQL and MariaDB start, a restore, stop
: > $B/pgoff; wc -l < $P/pg/server.log > $B/pgoff
su postgres -s /bin/bash -c "$PGB/pg_ctl -D $P/pg/data -l $P/pg/server.log -w start" > /dev/null 2>&1
export PGPASSWORD=pgsecret PGHOST=127.0.0.1 PGPORT=5491
psql -U postgres -c "create database restored owner django" > /dev/null
run b43-psql-restore bash -c "PGPASSWORD=secret psql -U django restored -f $P/b42/item.sql"
su postgres -s /bin/bash -c "$PGB/pg_ctl -D $P/pg/data -m fast -w stop" > /dev/null 2>&1
tail -n +$(( $(cat $B/pgoff) + 1 )) $P/pg/server.log > $O/b43-pg-startstop.log
echo "### b43-pg-startstop: PostgreSQL 15 server log (log_line_prefix '%m [%p] %q%u@%d ') of pg_ctl start, the restore above, pg_ctl -m fast stop (whole part of the log)" >> $P/batch43.cmds
: > $B/myoff; wc -l < $P/my/error.log > $B/myoff
mariadbd --user=root --datadir=$P/my/data --bind-address=127.0.0.1 --port=3391 --socket=$P/my/sock --max-connections=10 --log-warnings=2 --log-error=$P/my/error.log --pid-file=$P/my/pid > /dev/null 2>&1 &
sleep 8
run b43-mariadb-check mariadb-check -S $P/my/sock -u root --all-databases
mariadb-admin -S $P/my/sock -u root shutdown; sleep 3
tail -n +$(( $(cat $B/myoff) + 1 )) $P/my/error.log > $O/b43-my-startstop.log
echo "### b43-my-startstop: MariaDB 10.11 error log (--log-warnings=2) of mariadbd start, mariadb-check, mariadb-admin shutdown (whole part of the log)" >> $P/batch43.cmds
