cd /tmp/rl
P=pipv/bin/pip
$P install --no-cache-dir anyjson==0.3.3 > out/pip-use2to3.txt 2>&1
$P install --no-cache-dir Django==9.9.9 > out/pip-nomatch.txt 2>&1
$P install --no-cache-dir "Django==4.2.11" "djangorestframework==3.15.2" "Django<3" > out/pip-resolution.txt 2>&1
$P install --no-cache-dir "django-crispy-forms==2.1" "Django==2.2.28" > out/pip-resolution2.txt 2>&1
PATH=/tmp/rl/pipv/bin:/usr/local/sbin:/usr/sbin:/sbin:/bin $P install --no-cache-dir --no-binary :all: psycopg2==2.9.9 > out/pip-pgconfig.txt 2>&1
$P install --no-cache-dir MySQL-python==1.2.5 > out/pip-mysqlpython.txt 2>&1
$P install --no-cache-dir --index-url https://127.0.0.1:9/simple/ Django==4.2.11 > out/pip-refused.txt 2>&1
$P install --no-cache-dir Django==1.11.29 > out/pip-dj111.txt 2>&1
/root/.pyenv/versions/3.11.7/bin/python -m venv pipv2 && pipv2/bin/pip install --no-cache-dir -r /tmp/rl/req-ok.txt > out/pip-healthy.txt 2>&1
echo ALLDONE > out/pipbatch.done
