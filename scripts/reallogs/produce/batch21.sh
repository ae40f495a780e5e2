#!/bin/bash
# batch21 (issue #13 round 5): builds and pip. Source builds with a build tool missing from PATH:
# /tmp/p5/nobin holds a symlink to every /usr/bin program except pg_config, mysql_config,
# mariadb_config/mariadb-config, pkg-config/pkgconf, xml2-config, xslt-config; NOPATH leaves out
# /usr/bin, /bin and ~/.cargo/bin (so no Rust). Throw-away venvs under /tmp/p5/b21.
P=/tmp/p5; O=$P/out; B=$P/b21; mkdir -p $O $B
NOPATH=$P/nobin:/usr/local/bin:/usr/sbin
PY312=/root/.pyenv/versions/3.12.1/bin/python; PY39=/root/.pyenv/versions/3.9.18/bin/python
PY36=/root/.pyenv/versions/3.6.15/bin/python; PY313=/root/.pyenv/versions/3.13.0/bin/python
mkv() { rm -rf $B/$1; $2 -m venv $B/$1; }
pipx() { env -u PIP_FIND_LINKS PATH=$NOPATH "$@"; }
# 1 psycopg2 from source without pg_config: Python 3.12 (pip 23.2) and 3.6 (pip 18.1)
mkv p312 $PY312; mkv p36 $PY36; mkv p39 $PY39; mkv p313 $PY313
pipx $B/p312/bin/pip install psycopg2==2.9.10 > $O/psycopg2-pgconfig-312.txt 2>&1
pipx $B/p36/bin/pip install psycopg2==2.8.6 > $O/psycopg2-pgconfig-36.txt 2>&1
# 2 mysqlclient without pkg-config (2.2.x) and mysqlclient 1.4.6 without mysql_config (3.9)
pipx $B/p312/bin/pip install mysqlclient==2.2.7 > $O/mysqlclient-pkgconfig-312.txt 2>&1
pipx $B/p39/bin/pip install mysqlclient==1.4.6 > $O/mysqlclient-mysqlconfig-39.txt 2>&1
# 3 cryptography from source without Rust (3.12), lxml from source without xml2-config (3.13)
pipx $B/p312/bin/pip install --no-binary cryptography cryptography==44.0.2 > $O/cryptography-rust-312.txt 2>&1
pipx $B/p313/bin/pip install --no-binary lxml lxml==5.3.0 > $O/lxml-xml2-313.txt 2>&1
# 4 pycrypto 2.6.1 (legacy setup.py, C code from 2013) on Python 3.12
env -u PIP_FIND_LINKS $B/p312/bin/pip install pycrypto==2.6.1 > $O/pycrypto-312.txt 2>&1
# 5 --require-hashes with a requirement that has no hash, and one whose pin is missing
printf 'Django==4.2.16 --hash=sha256:1ddc333a16fc139fd253035a1606bb24261951bbc3a6ca256717fa06cc41a898\nsqlparse==0.5.1\n' > $B/req-hash.txt
env -u PIP_FIND_LINKS $B/p312/bin/pip install --require-hashes -r $B/req-hash.txt > $O/pip-hashes-missing.txt 2>&1
# 6 setuptools 84 (no pkg_resources) with gunicorn 20.1 on Python 3.12: gunicorn's util imports it
mkv g201 $PY312; env -u PIP_FIND_LINKS $B/g201/bin/pip install -q "Django==4.2.*" gunicorn==20.1.0 "setuptools>=82" > $O/g201-install.txt 2>&1
(cd $P/base42 && timeout -s TERM 15 $B/g201/bin/gunicorn --bind 127.0.0.1:8211 mysite.wsgi) > $O/gunicorn201-pkg-resources.txt 2>&1
# 6b the same pins with setuptools 80 (pkg_resources there, deprecated): a near miss
env -u PIP_FIND_LINKS $B/g201/bin/pip install -q "setuptools==80.9.0" > /dev/null 2>&1
(cd $P/base42 && timeout -s TERM 8 $B/g201/bin/gunicorn --bind 127.0.0.1:8212 mysite.wsgi) > $O/gunicorn201-pkg-resources-warning.txt 2>&1
# 7 app code using distutils on Python 3.12 (venv without setuptools): settings under gunicorn 27
rm -rf $B/dist && cp -r $P/base52 $B/dist && sed -i '1i from distutils.util import strtobool' $B/dist/mysite/settings.py
(cd $B/dist && timeout -s TERM 12 $P/v52/bin/gunicorn --bind 127.0.0.1:8213 mysite.wsgi) > $O/distutils-312.txt 2>&1
# 8 healthy: psycopg2 built from source with pg_config on PATH (3.12), and hashes that all match
env -u PIP_FIND_LINKS $B/p313/bin/pip install psycopg2==2.9.10 > $O/psycopg2-build-ok-313.txt 2>&1
env -u PIP_FIND_LINKS $B/p39/bin/pip download -q -d $B/dl sqlparse==0.5.1 > /dev/null 2>&1
printf 'sqlparse==0.5.1 --hash=sha256:%s\n' $(sha256sum $B/dl/sqlparse-0.5.1-*.whl | cut -d' ' -f1) > $B/req-hash-ok.txt
env -u PIP_FIND_LINKS $B/p39/bin/pip install --require-hashes -r $B/req-hash-ok.txt > $O/pip-hashes-ok.txt 2>&1
echo done > $O/batch21.done
