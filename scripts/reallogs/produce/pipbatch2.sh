cd /tmp/rl
P=pipv/bin/pip
PATH=/tmp/rl/pipv/bin:/usr/local/bin $P install --no-cache-dir --no-binary :all: psycopg2==2.9.9 > out/pip-pgconfig.txt 2>&1
PATH=/tmp/rl/pipv/bin:/usr/local/bin $P install --no-cache-dir mysqlclient==2.2.4 > out/pip-mysqlclient.txt 2>&1
$P install --no-cache-dir --index-url https://127.0.0.1:8443/simple/ Django==4.2.11 > out/pip-tls.txt 2>&1
$P install --no-cache-dir --trusted-host nothing --index-url https://127.0.0.1:8443/simple/ -r req-ok.txt > out/pip-tls2.txt 2>&1
/root/.pyenv/versions/3.6.15/bin/python -m venv v36 && v36/bin/pip install --no-cache-dir Django==4.2.11 > out/pip-py36-nomatch.txt 2>&1
v36/bin/pip install --no-cache-dir -r req-ok.txt > out/pip-py36-req.txt 2>&1
$P install --no-cache-dir "numpy==1.19.5" > out/pip-numpy.txt 2>&1
$P install --no-cache-dir "Pillow==8.4.0" > out/pip-pillow.txt 2>&1
echo ALLDONE > out/pipbatch2.done
