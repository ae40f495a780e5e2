#!/bin/bash
# batch16 (issue #13 round 4, last part): more pip, S2I, Python 3.13, Redis and PostgreSQL shapes.
O=/tmp/rl/out16; B=/tmp/rl/b16; V=/tmp/rl/v42/bin; P="env -u PIP_FIND_LINKS"; PGB=/usr/lib/postgresql/15/bin; A=/tmp/rl/b13/s2i/assemble
# 1 pip: a git requirement whose repository does not exist (no credentials prompt)
[ -d $B/p312 ] || /root/.pyenv/versions/3.12.1/bin/python3.12 -m venv $B/p312
$P GIT_TERMINAL_PROMPT=0 timeout 120 $B/p312/bin/pip install "shoplib @ git+https://github.com/logrx-nonexistent-org/shoplib.git@v1.0" > $O/pip-git-missing.txt 2>&1
# 2 pip: --only-binary for a pin that has no wheel for Python 3.13
$P timeout 120 /tmp/rl/pv313/bin/pip install --no-cache-dir --only-binary :all: "PyYAML==5.4.1" > $O/pip313-only-binary.txt 2>&1
# 3 pip 21 on Python 3.6: an install that works (with its deprecation notice)
$P timeout 120 /tmp/rl/pv36/bin/pip install --no-cache-dir "Django>=3.2,<4" > $O/pip36-django32-ok.txt 2>&1
# 4 Python 3.13: import cgi (removed in 3.13) under gunicorn
[ -d $B/p313 ] || /root/.pyenv/versions/3.13.0/bin/python3.13 -m venv $B/p313
$P $B/p313/bin/pip install -q "Django==4.2.*" gunicorn > $B/pip313-dj.txt 2>&1
rm -rf $B/cgi; cp -r /tmp/rl/proj $B/cgi; rm -f $B/cgi/db.sqlite3; sed -i '1i import cgi' $B/cgi/mysite/settings.py
(cd $B/cgi && timeout -s TERM 20 $B/p313/bin/gunicorn --bind 127.0.0.1:8000 mysite.wsgi) > $O/gunicorn313-cgi.txt 2>&1
# 5 Redis maxmemory: the app's writes refused
redis-server --port 6382 --bind 127.0.0.1 --save '' --maxmemory 2mb --maxmemory-policy noeviction > $B/redis16.txt 2>&1 & R=$!; sleep 2
$V/python -c "
import redis
r = redis.Redis(host='127.0.0.1', port=6382)
for i in range(100000):
    r.set('k%d' % i, 'x' * 200)
" > $O/redis-oom.txt 2>&1
kill -TERM $R; wait $R
# 6 PostgreSQL: a table the app's user may not read
rm -rf $B/pgd; cp -a /tmp/rl/pg/data $B/pgd; chown -R postgres: $B/pgd; rm -f $B/pgd/postmaster.pid; touch $B/pg16.log; chown postgres: $B/pg16.log
su postgres -c "$PGB/pg_ctl -D $B/pgd -l $B/pg16.log -o '-c listen_addresses=127.0.0.1 -p 5434 -k /tmp/rl/pg' start" > /dev/null 2>&1; sleep 2
su postgres -c "psql -h /tmp/rl/pg -p 5434 -d app -c 'create table secret_notes (id int); revoke all on secret_notes from public'" > $B/pg16-setup.txt 2>&1
PGPASSWORD=secret psql -h 127.0.0.1 -p 5434 -U django app -c 'select * from secret_notes' > $O/psql-permission-denied.txt 2>&1
su postgres -c "$PGB/pg_ctl -D $B/pgd stop" > /dev/null 2>&1; sleep 1; cp $B/pg16.log $O/pg-permission-denied-server.txt
# 7 S2I assemble: DISABLE_COLLECTSTATIC (healthy) and APP_HOME pointing at a folder without manage.py (near miss)
s2i() { local name=$1 src=$2; shift 2; local R=$B/s2i/$name; rm -rf $R; mkdir -p $R/app-root/src $R/bin
  /root/.pyenv/versions/3.12.1/bin/python3.12 -m venv $R/app-root; cp -r $src $R/src
  sed "s|/tmp/src|$R/src|g; s|/opt/app-root|$R/app-root|g" $A > $R/bin/assemble
  printf '#!/bin/sh\nexit 0\n' > $R/bin/fix-permissions; chmod +x $R/bin/assemble $R/bin/fix-permissions
  (cd $R/app-root/src && env -u PIP_FIND_LINKS HOME=$R/app-root/src PATH=$R/app-root/bin:$R/bin:/usr/bin:/bin "$@" $R/bin/assemble) > $O/s2i-$name.txt 2>&1; echo "exit $?" > $O/s2i-$name.rc; }
rm -rf $B/src; mkdir -p $B/src; cp -r /tmp/rl/proj $B/src/app; rm -rf $B/src/app/db.sqlite3 $B/src/app/shop/tests_dir $B/src/app/bad_wsgi.py; find $B/src/app -name __pycache__ -prune -exec rm -rf {} +; printf 'Django==4.2.*\ngunicorn\n' > $B/src/app/requirements.txt
s2i nocollect $B/src/app DISABLE_COLLECTSTATIC=1
s2i apphome $B/src/app APP_HOME=shop
echo done > $O/batch16.done
