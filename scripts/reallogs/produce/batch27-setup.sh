#!/bin/bash
# batch27-setup (issue #13 round 6, logs7): venvs for other versions than the corpus has, all under /tmp/p7.
# The four installs ran in parallel (the index answered slowly); each line is one of them.
# Python 2.7 has no venv module: its packages go to a --target folder used through PYTHONPATH.
P=/tmp/p7; PY=/root/.pyenv/versions; mkdir -p $P/out
apt-get update > $P/apt-update.log 2>&1
export PIP_DISABLE_PIP_VERSION_CHECK=1
$PY/2.7.18/bin/pip install --target $P/py27 "Django==1.8.19" "Flask==0.12.5" "gunicorn==19.10.0" "pymongo==3.12.3" "waitress==1.4.4" > $P/setup-27.log 2>&1
$PY/3.9.18/bin/python -m venv $P/v39 && env -u PIP_FIND_LINKS $P/v39/bin/pip install "Django==2.2.28" "Flask==1.1.4" "Jinja2<3.1" "itsdangerous<2.1" "MarkupSafe<2.1" "Werkzeug<2.1" "gunicorn==20.0.4" "pymongo==3.13.0" "PyMySQL==0.10.1" "psycopg2-binary==2.8.6" "waitress==2.0.0" "whitenoise==5.3.0" "SQLAlchemy==1.3.24" "Flask-SQLAlchemy==2.5.1" > $P/setup-39.log 2>&1
$PY/3.10.13/bin/python -m venv $P/v310 && env -u PIP_FIND_LINKS $P/v310/bin/pip install "Django==3.2.25" "Flask==2.0.3" "Werkzeug==2.0.3" "gunicorn==20.1.0" "pymongo==4.6.3" "mysql-connector-python==8.0.33" "psycopg2-binary" "celery[redis]==5.2.7" "whitenoise==6.5.0" "uvicorn==0.22.0" "dj-database-url==1.3.0" > $P/setup-310.log 2>&1
env -u PIP_FIND_LINKS $P/v310/bin/pip install -q "waitress==2.1.2"   # added before batch29
$PY/3.13.0/bin/python -m venv $P/v313 && env -u PIP_FIND_LINKS $P/v313/bin/pip install "Django==5.1.*" "Flask==3.0.*" "gunicorn==23.0.0" "waitress==3.0.2" "uvicorn==0.32.1" "pymongo==4.10.1" "asyncpg" "psycopg[binary]" "PyMySQL" "whitenoise" "SQLAlchemy==2.0.*" "Flask-SQLAlchemy" > $P/setup-313.log 2>&1
