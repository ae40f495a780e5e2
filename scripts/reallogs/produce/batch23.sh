#!/bin/bash
# batch23 (issue #13 round 5): second variants (uWSGI harakiri, a Jinja2 undefined attribute) and
# negatives (Flask 404s, check --deploy on 5.2, pip check, a SyntaxWarning from the app's code).
P=/tmp/p5; O=$P/out; B=$P/b22; V52=$P/v52/bin; VW=/tmp/rl/vw/bin
# 1 uWSGI harakiri with two processes and --http-socket behind no proxy (curl speaks HTTP to it)
(cd $B/uw && timeout -s INT 16 $VW/uwsgi --http-socket 127.0.0.1:8241 --module mysite.wsgi --master --processes 2 --harakiri 2 --vacuum) > $O/uwsgi-harakiri2.txt 2>&1 &
sleep 5; curl -s -o /dev/null "http://127.0.0.1:8241/slow/?s=6"; wait
# 2 Flask: a dict without the key the template reads (Jinja2's "has no attribute"), plus /favicon.ico
cd $B/fl && cat > app2.py <<'PY'
from flask import Flask, render_template

app = Flask(__name__)


@app.route("/")
def index():
    return render_template("profile.html", user={"name": "ann"})
PY
echo '<p>{{ user.name }} <{{ user.email.lower() }}></p>' > templates/profile.html
(cd $B/fl && timeout -s TERM 10 $V52/flask --app app2 run --port 8242) > $O/flask-jinja-attr.txt 2>&1 &
sleep 4; curl -s -o /dev/null http://127.0.0.1:8242/; wait
echo '<p>{{ user.name }}</p>' > templates/profile.html
(cd $B/fl && timeout -s TERM 10 $V52/flask --app app2 run --port 8243) > $O/flask-404-ok.txt 2>&1 &
sleep 4; curl -s -o /dev/null http://127.0.0.1:8243/; curl -s -o /dev/null http://127.0.0.1:8243/favicon.ico; curl -s -o /dev/null http://127.0.0.1:8243/robots.txt; wait
# 3 check --deploy on Django 5.2 (warnings only) and pip check
(cd $P/base52 && DJANGO_DEBUG=0 $V52/python manage.py check --deploy) > $O/check-deploy-52.txt 2>&1
$V52/pip check > $O/pip-check-52.txt 2>&1
# 4 a SyntaxWarning from the app's own code on Python 3.12 (invalid escape), check still passes
rm -rf $B/sw2 && cp -r $P/base52 $B/sw2 && printf '\nimport re\nSKU_RE = re.compile("\\d{4}-\\w+")\n' >> $B/sw2/shop/views.py
(cd $B/sw2 && $V52/python manage.py check) > $O/syntaxwarning-check-312.txt 2>&1
echo done > $O/batch23.done
