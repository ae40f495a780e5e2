#!/bin/bash
# batch30 (issue #13 round 6, logs7): old pins on new Pythons (pip source builds), old Django releases
# run on new Pythons, and the real S2I assemble scripts of sclorg/s2i-python-container e007f85
# (3.13/s2i/bin/assemble and 3.9/s2i/bin/assemble) run as in batch13d (paths moved under $B/s2i, a venv
# of the matching pyenv Python as /opt/app-root, a do-nothing fix-permissions).
P=/tmp/p7; O=$P/out; B=$P/b30; mkdir -p $O $B; PY=/root/.pyenv/versions; M=/work/.mirror/sclorg+s2i-python-container/repo
venv() { rm -rf $B/$1 && $PY/$2/bin/python -m venv $B/$1; }
pipi() { local v=$1 out=$2; shift 2; (cd $B && env -u PIP_FIND_LINKS $B/$v/bin/pip install "$@") > $O/$out.txt 2>&1; }
venv p312 3.12.1; venv p313 3.13.0; venv p39 3.9.18; venv p310 3.10.13; venv p311 3.11.7
pipi p312 pip312-numpy121 "numpy==1.21.6"
pipi p313 pip313-numpy122 "numpy==1.22.4"
pipi p312 pip312-typed-ast "typed-ast==1.4.3"
pipi p313 pip313-backports-zoneinfo "backports.zoneinfo==0.2.1"
pipi p39 pip39-mysql-python "MySQL-python==1.2.5"
pipi p313 pip313-psycopg2-286 "psycopg2==2.8.6"
pipi p312 pip312-uwsgi-2018 "uWSGI==2.0.18"
pipi p311 pip311-pillow-84 "Pillow==8.4.0"
pipi p310 pip310-gevent-14 "gevent==1.4.0"
# old Django on new Pythons (installs work; the app fails when it runs)
venv d22on312 3.12.1; venv d32on313 3.13.0; venv d111on310 3.10.13; venv d18on39 3.9.18
pipi d22on312 pip312-django22-ok "Django==2.2.28" "gunicorn==20.1.0"
pipi d32on313 pip313-django32-ok "Django==3.2.25" "gunicorn==23.0.0"
pipi d111on310 pip310-django111-ok "Django==1.11.29"
pipi d18on39 pip39-django18-ok "Django==1.8.19"
for v in d22on312 d32on313 d111on310 d18on39; do rm -rf $B/proj-$v && mkdir -p $B/proj-$v && (cd $B/proj-$v && $B/$v/bin/django-admin startproject mysite . 2>&1 || $B/$v/bin/python $B/$v/bin/django-admin.py startproject mysite . 2>&1) > $O/$v-startproject.txt; done
(cd $B/proj-d22on312 && $B/d22on312/bin/python manage.py check) > $O/d22on312-check.txt 2>&1
(cd $B/proj-d22on312 && timeout -s TERM 10 $B/d22on312/bin/gunicorn mysite.wsgi -b 127.0.0.1:8311 & sleep 6; curl -s -o /dev/null http://127.0.0.1:8311/; wait) > $O/d22on312-gunicorn.txt 2>&1
(cd $B/proj-d32on313 && $B/d32on313/bin/python manage.py check) > $O/d32on313-check.txt 2>&1
(cd $B/proj-d32on313 && timeout -s TERM 10 $B/d32on313/bin/gunicorn mysite.wsgi -b 127.0.0.1:8312 & sleep 6; curl -s -o /dev/null http://127.0.0.1:8312/; wait) > $O/d32on313-gunicorn.txt 2>&1
(cd $B/proj-d111on310 && $B/d111on310/bin/python manage.py check) > $O/d111on310-check.txt 2>&1
(cd $B/proj-d111on310 && timeout -s TERM 10 $B/d111on310/bin/python manage.py runserver 127.0.0.1:8313 --noreload) > $O/d111on310-runserver.txt 2>&1
(cd $B/proj-d18on39 && $B/d18on39/bin/python manage.py check) > $O/d18on39-check.txt 2>&1
(cd $B/proj-d18on39 && $B/d18on39/bin/python manage.py migrate) > $O/d18on39-migrate.txt 2>&1
# S2I assemble
s2i() { local ver=$1 name=$2 src=$3; shift 3; local R=$B/s2i/$name; rm -rf $R; mkdir -p $R/app-root/src $R/bin
  $PY/$ver/bin/python -m venv $R/app-root; cp -r $src $R/src
  git -C $M show HEAD:${ver%.*}/s2i/bin/assemble | sed "s|/tmp/src|$R/src|g; s|/opt/app-root|$R/app-root|g" > $R/bin/assemble
  printf '#!/bin/sh\nexit 0\n' > $R/bin/fix-permissions; chmod +x $R/bin/assemble $R/bin/fix-permissions
  (cd $R/app-root/src && env -u PIP_FIND_LINKS HOME=$R/app-root/src PATH=$R/app-root/bin:$R/bin:/usr/bin:/bin "$@" $R/bin/assemble) > $O/s2i-$name.txt 2>&1; echo "exit $?" >> $O/s2i-$name.txt; }
mkapp() { rm -rf $B/src/$1; mkdir -p $B/src/$1; cp -r $2/. $B/src/$1/; rm -f $B/src/$1/db.sqlite3; find $B/src/$1 -name __pycache__ -prune -exec rm -rf {} +; printf "$3" > $B/src/$1/requirements.txt; }
mkapp ok51 $P/b29/d51 'Django==5.1.*\ngunicorn==23.0.0\nwhitenoise\n'
mkapp numpy $P/b29/d51 'Django==5.1.*\ngunicorn\nnumpy==1.22.4\n'
mkapp psy286 $P/b29/d51 'Django==5.1.*\ngunicorn\npsycopg2==2.8.6\n'
mkapp ok32 $P/b29/d32 'Django==3.2.25\ngunicorn==20.1.0\n'
mkapp mysqlpy $P/b29/d32 'Django==3.2.25\nMySQL-python==1.2.5\n'
mkapp zoneinfo $P/b29/d32 'Django==4.1.13\nbackports.zoneinfo==0.2.1\n'
s2i 3.13.0 p313-ok $B/src/ok51 STATIC_ROOT=$B/s2i/p313-ok/app-root/src/staticfiles
s2i 3.13.0 p313-numpy $B/src/numpy
s2i 3.13.0 p313-psycopg2 $B/src/psy286
s2i 3.9.18 p39-ok $B/src/ok32 STATIC_ROOT=$B/s2i/p39-ok/app-root/src/staticfiles
s2i 3.9.18 p39-mysql-python $B/src/mysqlpy
s2i 3.13.0 p313-zoneinfo $B/src/zoneinfo DISABLE_COLLECTSTATIC=1
