cd /tmp/rl
python3.11 -m venv vw && vw/bin/pip install --no-cache-dir uwsgi mod_wsgi "Django==4.2.*" > out/wsgibuild.txt 2>&1
echo done > out/wsgibuild.done
