#!/bin/bash
# batch13d (issue #13 round 4): the real S2I python assemble script (sclorg/s2i-python-container
# e007f85, 3.12/s2i/bin/assemble) run here with /tmp/src and /opt/app-root moved under $R, a venv of
# pyenv's 3.12.1 as /opt/app-root, and a do-nothing fix-permissions (the image's one prints nothing).
O=/tmp/rl/out13; B=/tmp/rl/b13; A=$B/s2i/assemble
s2i() { local name=$1 src=$2; shift 2; local R=$B/s2i/$name; rm -rf $R; mkdir -p $R/app-root/src $R/bin
  /root/.pyenv/versions/3.12.1/bin/python3.12 -m venv $R/app-root; cp -r $src $R/src
  sed "s|/tmp/src|$R/src|g; s|/opt/app-root|$R/app-root|g" $A > $R/bin/assemble
  printf '#!/bin/sh\nexit 0\n' > $R/bin/fix-permissions; chmod +x $R/bin/assemble $R/bin/fix-permissions
  (cd $R/app-root/src && env -u PIP_FIND_LINKS HOME=$R/app-root/src PATH=$R/app-root/bin:$R/bin:/usr/bin:/bin "$@" $R/bin/assemble) > $O/s2i-$name.txt 2>&1; echo "exit $?" >> $O/s2i-$name.rc; }
mkapp() { rm -rf $B/s2isrc/$1; mkdir -p $B/s2isrc; cp -r /tmp/rl/proj $B/s2isrc/$1; rm -rf $B/s2isrc/$1/db.sqlite3 $B/s2isrc/$1/shop/tests_dir $B/s2isrc/$1/bad_wsgi.py; find $B/s2isrc/$1 -name __pycache__ -prune -exec rm -rf {} +; printf "$2" > $B/s2isrc/$1/requirements.txt; }
mkapp ok 'Django==4.2.*\ngunicorn\n'
s2i healthy $B/s2isrc/ok STATIC_ROOT=/tmp/rl/b13/s2i/healthy/app-root/src/staticfiles
s2i nostaticroot $B/s2isrc/ok
mkapp pyyaml 'Django==4.2.*\nPyYAML==5.4.1\n'
s2i pyyaml $B/s2isrc/pyyaml
mkapp typo 'djnago==4.2\ngunicorn\n'
s2i typo $B/s2isrc/typo
mkapp both 'Django==4.2.*\n'
s2i pipenv-both $B/s2isrc/both ENABLE_PIPENV=1 ENABLE_MICROPIPENV=1
mkapp setuppy 'Django==4.2.*\n'
printf "from setuptools import setup, find_packages\nsetup(name='shop', version='1.0', long_description=open('README.md').read(), packages=find_packages())\n" > $B/s2isrc/setuppy/setup.py
s2i setuppy-readme $B/s2isrc/setuppy STATIC_ROOT=/tmp/rl/b13/s2i/setuppy-readme/app-root/src/staticfiles
echo done > $O/batch13d.done
