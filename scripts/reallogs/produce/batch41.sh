#!/bin/bash
# batch41 (issue #13 round 9, logs9): Django 4.2/3.2/1.11 and Flask 3.1 app errors no round had (NoReverseMatch,
# a model outside INSTALLED_APPS, an unknown app label, a non-nullable field without default, the ORM in an
# async view, request bodies over the limits; Flask's secret key, url_for, app context, endpoint clash) and
# near misses. Projects are copies of /tmp/p9/dj{42,32,36} (startproject + startapp shop). Ports 8493-8499.
P=/tmp/p9; B=$P/b41; O=$P/out; mkdir -p $B $O; cd $B
run() { n=$1; shift; echo "### $n: $*" >> $P/batch41.cmds; ( "$@" ) > $O/$n.log 2>&1; echo "rc=$?" >> $P/batch41.cmds; }
# serve NAME DIR CMD URLS... : start CMD in DIR in the background, wait, request each URL, stop it.
serve() { n=$1; d=$2; c=$3; shift 3; echo "### $n: cd $d && $c; curl $*" >> $P/batch41.cmds
  ( cd $d && exec bash -c "exec $c" ) > $O/$n.log 2>&1 & pid=$!; sleep ${WAIT:-12}
  for u in "$@"; do if [[ $u == POST* ]]; then eval "curl -s -o /dev/null ${u#POST }"; else curl -s -o /dev/null "$u"; fi; sleep 1; done
  sleep 2; kill -TERM $pid; sleep 2; kill -KILL $pid 2>/dev/null; wait $pid 2>/dev/null; }
mk() { rm -rf $B/$1; cp -r $P/dj$2 $B/$1; }
apps() { sed -i "s/'django.contrib.staticfiles',/'django.contrib.staticfiles',\n    'shop',/" $1/mysite/settings.py; }
# --- NoReverseMatch
for v in 42 32 36; do mk rev$v $v; apps $B/rev$v
  printf 'from django.shortcuts import redirect\n\ndef index(request):\n    return redirect("login")\n' > $B/rev$v/shop/views.py
  if [ $v = 36 ]; then printf 'from django.conf.urls import url\nfrom shop import views\nurlpatterns = [url(r"^$", views.index)]\n' > $B/rev$v/mysite/urls.py
  else printf 'from django.urls import path\nfrom shop import views\nurlpatterns = [path("", views.index)]\n' > $B/rev$v/mysite/urls.py; fi
  serve b41-noreverse-$v $B/rev$v "/tmp/rl/v$v/bin/python manage.py runserver 127.0.0.1:849$((v%10+3)) --noreload" http://127.0.0.1:849$((v%10+3))/
done
# --- a model whose app is not in INSTALLED_APPS
for v in 42 32; do mk noapp$v $v
  printf 'from django.db import models\n\nclass Item(models.Model):\n    name = models.CharField(max_length=50)\n' > $B/noapp$v/shop/models.py
  printf 'from django.http import HttpResponse\nfrom shop.models import Item\n\ndef index(request):\n    return HttpResponse(Item.objects.count())\n' > $B/noapp$v/shop/views.py
  printf 'from django.urls import path\nfrom shop import views\nurlpatterns = [path("", views.index)]\n' > $B/noapp$v/mysite/urls.py
done
run b41-noapp-check42 bash -c "cd $B/noapp42 && /tmp/rl/v42/bin/python manage.py check"
WAIT=12 serve b41-noapp-gunicorn32 $B/noapp32 "/tmp/rl/v32/bin/gunicorn -b 127.0.0.1:8495 mysite.wsgi" http://127.0.0.1:8495/
# --- unknown app labels
run b41-label-makemigrations42 bash -c "cd $P/dj42 && /tmp/rl/v42/bin/python manage.py makemigrations shopp"
run b41-label-migrate32 bash -c "cd $P/dj32 && /tmp/rl/v32/bin/python manage.py migrate shopp"
run b41-label-sqlmigrate42 bash -c "cd $P/dj42 && /tmp/rl/v42/bin/python manage.py sqlmigrate shop 0001"
# --- a non-nullable field added without a default
for v in 42 32; do mk nn$v $v; apps $B/nn$v
  printf 'from django.db import models\n\nclass Item(models.Model):\n    name = models.CharField(max_length=50)\n' > $B/nn$v/shop/models.py
  (cd $B/nn$v && /tmp/rl/v$v/bin/python manage.py makemigrations shop > /dev/null && /tmp/rl/v$v/bin/python manage.py migrate > /dev/null)
  printf '    price = models.IntegerField()\n' >> $B/nn$v/shop/models.py
done
run b41-nonnull-42 bash -c "cd $B/nn42 && /tmp/rl/v42/bin/python manage.py makemigrations --noinput"
run b41-nonnull-32 bash -c "cd $B/nn32 && /tmp/rl/v32/bin/python manage.py makemigrations --noinput"
# --- the ORM from an async view (Django 4.2): uvicorn and runserver
mk async42 42; (cd $B/async42 && /tmp/rl/v42/bin/python manage.py migrate > /dev/null)
printf 'from django.http import HttpResponse\nfrom django.contrib.auth.models import User\n\nasync def index(request):\n    return HttpResponse(User.objects.count())\n' > $B/async42/shop/views.py
printf 'from django.urls import path\nfrom shop import views\nurlpatterns = [path("", views.index)]\n' > $B/async42/mysite/urls.py
serve b41-async-uvicorn42 $B/async42 "/tmp/rl/v42/bin/uvicorn mysite.asgi:application --host 127.0.0.1 --port 8496" http://127.0.0.1:8496/
serve b41-async-runserver42 $B/async42 "/tmp/rl/v42/bin/python manage.py runserver 127.0.0.1:8497 --noreload" http://127.0.0.1:8497/
# --- request bodies over DATA_UPLOAD_MAX_MEMORY_SIZE / _NUMBER_FIELDS
for v in 42 32; do mk big$v $v
  printf 'DATA_UPLOAD_MAX_MEMORY_SIZE = 1000\nDATA_UPLOAD_MAX_NUMBER_FIELDS = 20\n' >> $B/big$v/mysite/settings.py
  printf 'from django.http import HttpResponse\nfrom django.views.decorators.csrf import csrf_exempt\n\n@csrf_exempt\ndef upload(request):\n    return HttpResponse(len(request.POST))\n' > $B/big$v/shop/views.py
  printf 'from django.urls import path\nfrom shop import views\nurlpatterns = [path("upload/", views.upload)]\n' > $B/big$v/mysite/urls.py
done
python3 -c "print('note=' + 'x'*5000, end='')" > $B/body-big.txt
python3 -c "print('&'.join('f%d=1' % i for i in range(50)), end='')" > $B/body-fields.txt
serve b41-toobig-runserver42 $B/big42 "/tmp/rl/v42/bin/python manage.py runserver 127.0.0.1:8498 --noreload" "POST --data-binary @$B/body-big.txt http://127.0.0.1:8498/upload/"
serve b41-toomany-runserver32 $B/big32 "/tmp/rl/v32/bin/python manage.py runserver 127.0.0.1:8499 --noreload" "POST --data-binary @$B/body-fields.txt http://127.0.0.1:8499/upload/"
serve b41-toobig-runserver32 $B/big32 "/tmp/rl/v32/bin/python manage.py runserver 127.0.0.1:8499 --noreload" "POST --data-binary @$B/body-big.txt http://127.0.0.1:8499/upload/"
# --- Flask 3.1 (v42)
mkdir -p $B/fl; cd $B/fl
printf 'from flask import Flask, session\napp = Flask(__name__)\n\n@app.route("/")\ndef index():\n    session["seen"] = True\n    return "ok"\n' > nosecret.py
printf 'from flask import Flask, redirect, url_for\napp = Flask(__name__)\n\n@app.route("/")\ndef index():\n    return redirect(url_for("login"))\n' > nourl.py
printf 'from flask import Flask, current_app\napp = Flask(__name__)\nDEBUG = current_app.config["DEBUG"]\n\n@app.route("/")\ndef index():\n    return "ok"\n' > noctx.py
printf 'from flask import Flask\napp = Flask(__name__)\n\n@app.route("/")\ndef index():\n    return "home"\n\n@app.route("/about")\ndef index():\n    return "about"\n' > dupe.py
printf 'from flask import Flask\napp = Flask(__name__)\n\n@app.route("/")\ndef index():\n    return "ok"\n' > okapp.py
serve b41-flask-nosecret-run $B/fl "/tmp/rl/v42/bin/flask --app nosecret run -h 127.0.0.1 -p 8493" http://127.0.0.1:8493/
serve b41-flask-nosecret-gunicorn $B/fl "/tmp/rl/v42/bin/gunicorn -b 127.0.0.1:8494 nosecret:app" http://127.0.0.1:8494/
serve b41-flask-nourl-run $B/fl "/tmp/rl/v42/bin/flask --app nourl run -h 127.0.0.1 -p 8493" http://127.0.0.1:8493/
serve b41-flask-nourl-gunicorn $B/fl "/tmp/rl/v42/bin/gunicorn -b 127.0.0.1:8494 nourl:app" http://127.0.0.1:8494/
WAIT=8 serve b41-flask-noctx-gunicorn $B/fl "/tmp/rl/v42/bin/gunicorn -b 127.0.0.1:8494 noctx:app"
run b41-flask-noctx-run bash -c "cd $B/fl && timeout 10 /tmp/rl/v42/bin/flask --app noctx run -h 127.0.0.1 -p 8493"
run b41-flask-dupe-routes bash -c "cd $B/fl && timeout 10 /tmp/rl/v42/bin/flask --app dupe routes"
WAIT=8 serve b41-flask-dupe-gunicorn $B/fl "/tmp/rl/v42/bin/gunicorn -b 127.0.0.1:8494 dupe:app"
# --- near misses and healthy runs
serve b41-neg-flask-gunicorn $B/fl "/tmp/rl/v42/bin/gunicorn -w 2 --access-logfile - -b 127.0.0.1:8494 okapp:app" http://127.0.0.1:8494/ http://127.0.0.1:8494/missing http://127.0.0.1:8494/
mk ok42 42; apps $B/ok42
printf 'from django.db import models\n\nclass Item(models.Model):\n    name = models.CharField(max_length=50)\n    created = models.DateTimeField(null=True)\n' > $B/ok42/shop/models.py
printf 'from django.test import TestCase\nfrom shop.models import Item\n\nclass ItemTests(TestCase):\n    def test_error_page_absent(self):\n        Item.objects.create(name="a")\n        self.assertEqual(Item.objects.count(), 1)\n' > $B/ok42/shop/tests.py
(cd $B/ok42 && /tmp/rl/v42/bin/python manage.py makemigrations shop > /dev/null)
run b41-neg-migrate42 bash -c "cd $B/ok42 && /tmp/rl/v42/bin/python manage.py migrate && /tmp/rl/v42/bin/python manage.py migrate && /tmp/rl/v42/bin/python manage.py makemigrations"
run b41-neg-test42 bash -c "cd $B/ok42 && /tmp/rl/v42/bin/python manage.py test -v 2"
run b41-neg-naive42 bash -c "cd $B/ok42 && /tmp/rl/v42/bin/python manage.py shell -c 'import datetime; from shop.models import Item; Item.objects.create(name=\"b\", created=datetime.datetime(2024, 1, 1)); from django.core.paginator import Paginator; print(Paginator(Item.objects.all(), 1).page(1))'"
printf '[{"model": "shop.item", "pk": 10, "fields": {"name": "x", "created": null}}, {"model": "shop.item", "pk": 11, "fields": {"name": "y", "created": null}}]\n' > $B/ok42/items.json
run b41-neg-loaddata42 bash -c "cd $B/ok42 && /tmp/rl/v42/bin/python manage.py loaddata items.json && /tmp/rl/v42/bin/python manage.py dumpdata shop --indent 1"
serve b41-neg-reload42 $B/ok42 "/tmp/rl/v42/bin/python manage.py runserver 127.0.0.1:8497" http://127.0.0.1:8497/ "POST -X GET http://127.0.0.1:8497/admin/login/"
( sleep 1; touch $B/ok42/shop/views.py ) & WAIT=10 serve b41-neg-reload42b $B/ok42 "/tmp/rl/v42/bin/python manage.py runserver 127.0.0.1:8497" http://127.0.0.1:8497/admin/
printf 'def application(env, start_response):\n    start_response("200 OK", [("Content-Type", "text/plain")])\n    return [b"ok"]\n' > $B/plain.py
serve b41-neg-uwsgi-maxreq $B "/tmp/rl/vw/bin/uwsgi --http 127.0.0.1:8495 --wsgi-file plain.py --master --processes 1 --max-requests 2 --die-on-term" http://127.0.0.1:8495/ http://127.0.0.1:8495/ http://127.0.0.1:8495/ http://127.0.0.1:8495/ http://127.0.0.1:8495/
