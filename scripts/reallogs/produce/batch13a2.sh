#!/bin/bash
# batch13a2 (rerun of batch13a with the venvs made from pyenv paths; its pv313/pv36 runs kept) (issue #13 round 4): pip failures and near misses on Python 3.6-3.13
O=/tmp/rl/out13; B=/tmp/rl/b13; P="env -u PIP_FIND_LINKS"
for v in 3.8 3.10 3.12; do [ -d $B/p${v/./} ] || /root/.pyenv/versions/$(ls /root/.pyenv/versions | grep "^$v\.")/bin/python$v -m venv $B/p${v/./}; done
cd $B
# 1 PyYAML 5.4.1 on 3.12: build deps fail (cython_sources)
$P timeout 300 $B/p312/bin/pip install --no-cache-dir PyYAML==5.4.1 > $O/pip312-pyyaml541.txt 2>&1
# 2 Django 5.0 on 3.8: requires-python
$P timeout 120 $B/p38/bin/pip install --no-cache-dir Django==5.0.6 > $O/pip38-django50.txt 2>&1
# 3 ResolutionImpossible: Django 3.2 with DRF 3.15.2
printf 'Django==3.2.25\ndjangorestframework==3.15.2\n' > $B/req-conflict.txt
$P timeout 200 $B/p310/bin/pip install --no-cache-dir -r $B/req-conflict.txt > $O/pip310-resolution-drf.txt 2>&1
# 4 hash mismatch
printf 'six==1.16.0 --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000\n' > $B/req-hash.txt
$P timeout 120 $B/p310/bin/pip install --no-cache-dir -r $B/req-hash.txt > $O/pip310-hash-mismatch.txt 2>&1
# 5 missing requirements file
(cd $B && $P $B/p312/bin/pip install -r requirements.txt) > $O/pip312-no-reqfile.txt 2>&1
# 6 invalid requirement line
printf 'Django=4.2\n' > $B/req-invalid.txt
$P $B/p312/bin/pip install -r $B/req-invalid.txt > $O/pip312-invalid-req.txt 2>&1
# 7 index host that does not resolve (pip 24 on 3.12)
$P timeout 200 $B/p312/bin/pip install --no-cache-dir --index-url https://pypi.mirror.invalid/simple Django==4.2.11 > $O/pip312-index-dns.txt 2>&1
# 8 psycopg2 (source) without pg_config on 3.13
# 9 pip install -e . in a folder with no project
mkdir -p $B/noproj && (cd $B/noproj && $P $B/p312/bin/pip install -e .) > $O/pip312-no-project.txt 2>&1
# 10 Python 3.6 and a package that needs 3.8+ (pip 21 says Requires-Python)
# 11 numpy 1.24 on 3.13 (no wheel, build from source)
# negatives
# 12 pip check healthy; pip install already satisfied; pip freeze
$P $B/p312/bin/pip install --no-cache-dir "Django==4.2.*" gunicorn > $O/pip312-django-ok.txt 2>&1
$P $B/p312/bin/pip install "Django==4.2.*" gunicorn > $O/pip312-already-satisfied.txt 2>&1
$P $B/p312/bin/pip check > $O/pip312-check-ok.txt 2>&1
# 13 pip on 3.8 with deprecation of python 3.8? (pip 24.x says nothing) - install with --no-binary warning-free build of a pure sdist
$P timeout 200 $B/p38/bin/pip install --no-cache-dir --no-binary :all: six > $O/pip38-sdist-ok.txt 2>&1
# 14 yanked release warning
$P timeout 120 $B/p310/bin/pip install --no-cache-dir "requests==2.32.0" > $O/pip310-yanked.txt 2>&1
echo done > $O/batch13a2.done
