#!/bin/bash
# batch35 (issue #13 round 6, logs7): source builds that need a system library's config or headers
# this machine lacks (pycurl without curl-config, python-ldap without the OpenLDAP headers), an old
# greenlet on Python 3.12, Django 1.11.11 on Python 3.7 (its admin widget's generator expression),
# the same project on 1.11.29, ssh as a random UID.
P=/tmp/p7; O=$P/out; B=$P/b35; mkdir -p $O $B; PY=/root/.pyenv/versions
venv() { rm -rf $B/$1 && $PY/$2/bin/python -m venv $B/$1; }
pipi() { local v=$1 out=$2; shift 2; (cd $B && env -u PIP_FIND_LINKS $B/$v/bin/pip install "$@") > $O/$out.txt 2>&1; }
venv p311 3.11.7; venv p312 3.12.1; venv d111a 3.7.16; venv d111b 3.7.16
pipi p311 pip311-pycurl "pycurl==7.43.0.6"
pipi p311 pip311-python-ldap "python-ldap==3.3.1"
pipi p312 pip312-greenlet-112 "greenlet==1.1.2"
pipi d111a pip37-django11111 "Django==1.11.11" "gunicorn==19.9.0"
pipi d111b pip37-django11129 "Django==1.11.29"
for v in d111a d111b; do rm -rf $B/proj-$v && mkdir -p $B/proj-$v; done
(cd $B/proj-d111b && $B/d111b/bin/django-admin startproject mysite . && $B/d111b/bin/python manage.py check) > $O/d11129on37-check.txt 2>&1
cp -r $B/proj-d111b/. $B/proj-d111a/
(cd $B/proj-d111a && $B/d111a/bin/python manage.py check) > $O/d11111on37-check.txt 2>&1
(cd $B/proj-d111a && timeout -s TERM 10 $B/d111a/bin/gunicorn mysite.wsgi -b 127.0.0.1:8350) > $O/d11111on37-gunicorn.txt 2>&1
# ssh as a UID with no passwd entry (nothing listens on port 1: ssh stops before connecting)
chmod 777 $B
env -i PATH=/usr/bin:/bin HOME=/tmp setpriv --reuid=1000720000 --regid=0 --clear-groups ssh -o BatchMode=yes -p 1 git@127.0.0.1 > $O/uid-ssh.txt 2>&1
(cd $B && env -i PATH=/usr/bin:/bin HOME=/tmp setpriv --reuid=1000720000 --regid=0 --clear-groups git clone -q ssh://git@127.0.0.1:1/shop.git clone) > $O/uid-git-ssh2.txt 2>&1
