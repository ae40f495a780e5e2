O=/tmp/rl/out; U=/tmp/rl/vw/bin/uwsgi; C="curl -s -o /dev/null -m 5"
cd /tmp/rl/proj
export PYTHONHOME=
$U --http 127.0.0.1:8095 --module mysite.wsgi --master --processes 2 --home /tmp/rl/vw > $O/uw-healthy.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8095/; $C http://127.0.0.1:8095/admin/login/; sleep 1; kill -INT $P; sleep 2; kill -9 $P 2>/dev/null; wait $P
$U --http 127.0.0.1:8095 --module mysite.wsgii --home /tmp/rl/vw > $O/uw-noapp.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8095/; $C http://127.0.0.1:8095/; sleep 1; kill -INT $P; sleep 2; kill -9 $P 2>/dev/null; wait $P
$U --http 127.0.0.1:8095 --wsgi-file mysite/wsgi.py --callable app --master --home /tmp/rl/vw > $O/uw-callable.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8095/; sleep 1; kill -INT $P; sleep 2; kill -9 $P 2>/dev/null; wait $P
$U --http 127.0.0.1:8095 --module mysite.wsgi --master --home /tmp/rl/vw --uid 65534 --gid 65534 > $O/uw-uid.txt 2>&1 & P=$!; sleep 3; $C http://127.0.0.1:8095/; sleep 1; kill -INT $P; sleep 2; kill -9 $P 2>/dev/null; wait $P
# mod_wsgi-express
M=/tmp/rl/vw/bin/mod_wsgi-express
mkdir -p /tmp/rl/mw && chmod 777 /tmp/rl/mw
timeout 12 $M start-server mysite/wsgi.py --port 8096 --host 127.0.0.1 --user nobody --group nogroup --server-root /tmp/rl/mw/ok --log-to-terminal > $O/mw-healthy.txt 2>&1 & P=$!; sleep 5; $C http://127.0.0.1:8096/; sleep 1; kill $P; wait $P
printf 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\nfrom mysite.local_settings import DB_URL\nfrom django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n' > /tmp/rl/proj/broken_wsgi.py
timeout 12 $M start-server broken_wsgi.py --port 8096 --host 127.0.0.1 --user nobody --group nogroup --server-root /tmp/rl/mw/bad --log-to-terminal > $O/mw-broken.txt 2>&1 & P=$!; sleep 5; $C http://127.0.0.1:8096/; $C http://127.0.0.1:8096/; sleep 1; kill $P; wait $P
rm -f /tmp/rl/proj/broken_wsgi.py
echo done > $O/wsgiruns.done
