#!/bin/bash
# batch40 (issue #13 round 9, logs9): Python 2 syntax, indentation, recursion, memory and file-descriptor
# failures on Pythons 3.6-3.13 (pyenv builds and the /tmp/rl venvs), plus their near misses. All under /tmp/p9.
P=/tmp/p9; B=$P/b40; O=$P/out; PY=/root/.pyenv/versions; mkdir -p $B $O; cd $B
run() { n=$1; shift; echo "### $n: $*" >> $P/batch40.cmds; ( "$@" ) > $O/$n.log 2>&1; echo "rc=$?" >> $P/batch40.cmds; }
# --- Python 2 syntax in settings of a Django project (FILE_UPLOAD_PERMISSIONS = 0644)
for v in 42 32 36; do cp -r $P/dj$v $B/oct$v; echo 'FILE_UPLOAD_PERMISSIONS = 0644' >> $B/oct$v/mysite/settings.py; done
run b40-oct-check42 bash -c "cd $B/oct42 && /tmp/rl/v42/bin/python manage.py check"
run b40-oct-gunicorn32 bash -c "cd $B/oct32 && timeout 15 /tmp/rl/v32/bin/gunicorn -b 127.0.0.1:8491 mysite.wsgi"
run b40-oct-runserver36 bash -c "cd $B/oct36 && timeout 15 /tmp/rl/v36/bin/python manage.py runserver 127.0.0.1:8492 --noreload"
printf 'import os\n\ndef fix_perms(path):\n    os.chmod(path, 0755)\n' > $B/perms.py
run b40-oct-py313 $PY/3.13.0/bin/python -c "import perms"
# --- other Python 2 constructs
printf 'def load(path):\n    code = open(path).read()\n    exec code in globals()\n' > $B/loader.py
run b40-exec-py39 $PY/3.9.18/bin/python -c "import loader"
run b40-exec-py312 $PY/3.12.1/bin/python -c "import loader"
printf 'def changed(a, b):\n    if a <> b:\n        return True\n    return False\n' > $B/compare.py
run b40-ne-py36 $PY/3.6.15/bin/python compare.py
run b40-ne-py311 $PY/3.11.7/bin/python compare.py
printf 'MAX_UPLOAD = 10485760L\n' > $B/limits.py
run b40-long-py38 $PY/3.8.18/bin/python -c "import limits"
run b40-long-py313 $PY/3.13.0/bin/python -c "import limits"
printf 'def check(value):\n    if value is None:\n        raise ValueError, "value is required"\n    return value\n' > $B/checks.py
run b40-raise-py310 $PY/3.10.13/bin/python checks.py
run b40-raise-py37 $PY/3.7.16/bin/python checks.py
printf 'def label(n):\n    return "item " + `n`\n' > $B/labels.py
run b40-backtick-py312 $PY/3.12.1/bin/python labels.py
mkdir -p $B/legacy && cp $B/perms.py $B/compare.py $B/legacy/ && printf 'x = 1\n' > $B/legacy/ok.py
run b40-compileall-py311 $PY/3.11.7/bin/python -m compileall -q $B/legacy
# --- indentation
printf 'def total(items):\n    s = 0\n    for i in items:\n\ts += i\n    return s\n' > $B/tabs.py
run b40-tab-py36 $PY/3.6.15/bin/python tabs.py
run b40-tab-py311 $PY/3.11.7/bin/python tabs.py
run b40-tab-py313 $PY/3.13.0/bin/python tabs.py
printf 'import os\n\nDEBUG = True\n  ALLOWED_HOSTS = []\n' > $B/indent1.py
run b40-indent-unexpected-py39 $PY/3.9.18/bin/python indent1.py
printf 'def view(request):\n    if request:\n    return 1\n' > $B/indent2.py
run b40-indent-expected-py38 $PY/3.8.18/bin/python indent2.py
run b40-indent-expected-py312 $PY/3.12.1/bin/python indent2.py
printf 'def view(request):\n    if request:\n        x = 1\n      return x\n' > $B/indent3.py
run b40-indent-unindent-py310 $PY/3.10.13/bin/python indent3.py
cp -r $P/dj42 $B/tab42; printf 'from django.http import HttpResponse\n\ndef index(request):\n    name = "x"\n\treturn HttpResponse(name)\n' > $B/tab42/shop/views.py
printf 'from django.urls import path\nfrom shop import views\nurlpatterns = [path("", views.index)]\n' > $B/tab42/mysite/urls.py
run b40-tab-check42 bash -c "cd $B/tab42 && /tmp/rl/v42/bin/python manage.py check"
# --- recursion
printf 'class Config(object):\n    def __init__(self):\n        self.values = {}\n    def __getattr__(self, name):\n        return self.defaults.get(name)\n\nc = Config()\nprint(c.debug)\n' > $B/rec.py
run b40-recursion-py36 $PY/3.6.15/bin/python rec.py
run b40-recursion-py311 $PY/3.11.7/bin/python rec.py
run b40-recursion-py313 $PY/3.13.0/bin/python rec.py
# --- memory
run b40-memory-py39 bash -c "ulimit -v 300000; $PY/3.9.18/bin/python -c 'data = bytearray(1 << 30)'"
printf 'def load_rows(n):\n    rows = []\n    for i in range(n):\n        rows.append([i] * 1000)\n    return rows\n\nrows = load_rows(10**6)\n' > $B/mem.py
run b40-memory-py312 bash -c "ulimit -v 400000; $PY/3.12.1/bin/python mem.py"
# --- file descriptors
run b40-nofile-py36 bash -c "ulimit -n 40; $PY/3.6.15/bin/python -c 'fs = [open(\"/etc/hosts\") for _ in range(100)]'"
run b40-nofile-py312 bash -c "ulimit -n 40; $PY/3.12.1/bin/python -c 'import socket; ss = [socket.socket() for _ in range(100)]'"
# --- near misses
run b40-neg-2to3-py311 bash -c "cd $B && cp compare.py c2.py && $PY/3.11.7/bin/2to3 -w c2.py"
run b40-neg-compileall-py312 $PY/3.12.1/bin/python -m compileall $B/tab42/mysite
run b40-neg-devmode-py312 $PY/3.12.1/bin/python -X dev -c "import datetime; f = open('/etc/hosts'); print(datetime.datetime.utcnow().year > 2000)"
run b40-neg-await-py311 $PY/3.11.7/bin/python -c "
import asyncio
async def ping(): return 1
async def main():
    ping()
    print('done')
asyncio.run(main())"
run b40-neg-recursionlimit-py39 $PY/3.9.18/bin/python -c "
import sys
sys.setrecursionlimit(5000)
def depth(n): return 0 if n == 0 else 1 + depth(n - 1)
print('depth', depth(3000))"
