#!/bin/bash
# each case: copy the healthy project, apply one edit, run one command
O=/tmp/rl/out
mk() { rm -rf /tmp/rl/b/$1; mkdir -p /tmp/rl/b; cp -r /tmp/rl/proj /tmp/rl/b/$1; cd /tmp/rl/b/$1; rm -f db.sqlite3; }
PY=/tmp/rl/v42/bin/python; G=/tmp/rl/v42/bin/gunicorn
mk urlresolvers; sed -i '1i from django.core.urlresolvers import reverse' shop/views.py; $PY manage.py check > $O/br-urlresolvers.txt 2>&1
mk confurl; sed -i 's/^from django.urls import path/from django.conf.urls import url\nfrom django.urls import path/' mysite/urls.py; $G --bind 127.0.0.1:8081 mysite.wsgi > $O/br-confurl-gunicorn.txt 2>&1 & P=$!; sleep 4; kill $P 2>/dev/null; wait $P
mk strviews; sed -i 's/path("", views.index)/path("", "shop.views.index")/' mysite/urls.py; $PY manage.py runserver --noreload 127.0.0.1:8082 > $O/br-strviews.txt 2>&1 & P=$!; sleep 4; kill $P 2>/dev/null; wait $P
mk ondelete; cat >> shop/models.py <<'X'

class Review(models.Model):
    product = models.ForeignKey(Product)
    text = models.TextField()
X
$PY manage.py migrate > $O/br-ondelete.txt 2>&1
mk templates; python3 - <<'X'
import re
p='mysite/settings.py'; s=open(p).read()
s=re.sub(r"TEMPLATES = \[.*?\n\]\n", "", s, flags=re.S); open(p,'w').write(s)
X
$PY manage.py runserver --noreload 127.0.0.1:8083 > $O/br-templates.txt 2>&1 & P=$!; sleep 4; kill $P 2>/dev/null; wait $P
mk middleware; python3 - <<'X'
p='mysite/settings.py'; s=open(p).read()
s=s.replace("MIDDLEWARE = [", "MIDDLEWARE_CLASSES = [",1); open(p,'w').write(s)
X
$PY manage.py migrate > $O/br-middleware.txt 2>&1
mk includeadmin; sed -i 's/path("admin\/", admin.site.urls)/path("admin\/", include(admin.site.urls))/; s/^from django.urls import path/from django.urls import include, path/' mysite/urls.py; $PY manage.py check > $O/br-includeadmin.txt 2>&1
mk except; cat >> shop/views.py <<'X'

def legacy(request):
    try:
        n = int(request.GET["n"])
    except KeyError, e:
        n = 0
    return HttpResponse(str(n))
X
$G --bind 127.0.0.1:8084 mysite.wsgi > $O/br-except-gunicorn.txt 2>&1 & P=$!; sleep 4; kill $P 2>/dev/null; wait $P
mk print; sed -i 's/^def index(request):/def index(request):\n    print "index called"/' shop/views.py; $PY manage.py migrate > $O/br-print.txt 2>&1
mk haskey; cat >> mysite/settings.py <<'X'
if os.environ.has_key('OPENSHIFT_APP_NAME'):
    DEBUG = False
X
$G --bind 127.0.0.1:8085 mysite.wsgi > $O/br-haskey-gunicorn.txt 2>&1 & P=$!; sleep 4; kill $P 2>/dev/null; wait $P
mk dotted; echo "from mysite.local_settings import *" >> mysite/settings.py; $PY manage.py collectstatic --noinput > $O/br-dotted.txt 2>&1
mk installedapp; sed -i 's/INSTALLED_APPS += \["shop"\]/INSTALLED_APPS += ["shop", "rest_framework.authtoken"]/' mysite/settings.py; $PY manage.py migrate > $O/br-installedapp.txt 2>&1
# flask
mkdir -p /tmp/rl/b/flaskext && cd /tmp/rl/b/flaskext && printf 'from flask import Flask\nfrom flask.ext.sqlalchemy import SQLAlchemy\napp = Flask(__name__)\n' > wsgi.py && $G --bind 127.0.0.1:8086 wsgi:app > $O/br-flaskext-gunicorn.txt 2>&1 & P=$!; sleep 4; kill $P 2>/dev/null; wait $P
cd /tmp/rl/b/flaskext && /tmp/rl/v42/bin/python wsgi.py > $O/br-flaskext-python.txt 2>&1
# Django 1.11 on python 3.11
cd /tmp/rl && python3.11 -m venv v111 && v111/bin/pip install -q Django==1.11.29 > /dev/null 2>&1; rm -rf /tmp/rl/b/dj111; mkdir -p /tmp/rl/b/dj111; cd /tmp/rl/b/dj111 && /tmp/rl/v111/bin/django-admin startproject oldsite . > $O/br-dj111-startproject.txt 2>&1; /tmp/rl/v111/bin/python manage.py migrate > $O/br-dj111-migrate.txt 2>&1; /tmp/rl/v111/bin/python manage.py runserver --noreload 127.0.0.1:8087 > $O/br-dj111-runserver.txt 2>&1 & P=$!; sleep 4; kill $P 2>/dev/null; wait $P
echo done > $O/breaks.done
