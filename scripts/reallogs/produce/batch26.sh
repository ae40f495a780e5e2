#!/bin/bash
# batch26 (issue #13 round 5): three more negatives: Django 5.2 runserver with requests (its
# development-server WARNING), pip installing psycopg[binary] on Python 3.12, and migrate on
# PostgreSQL through psycopg 3 when there is nothing to apply.
# (its first run gave runserver 10 s under the machine's load and caught nothing; the runserver step was rerun with 25 s)
P=/tmp/p5; O=$P/out; B=$P/b26; mkdir -p $O $B; V52=$P/v52/bin; PGB=/usr/lib/postgresql/15/bin
(cd $P/base52 && timeout -s TERM 25 $V52/python manage.py runserver 127.0.0.1:8261 --noreload) > $O/runserver-52-ok.txt 2>&1 &
sleep 12; curl -s -o /dev/null http://127.0.0.1:8261/; curl -s -o /dev/null http://127.0.0.1:8261/admin/login/; wait
rm -rf $B/pv && /root/.pyenv/versions/3.12.1/bin/python -m venv $B/pv && env -u PIP_FIND_LINKS $B/pv/bin/pip install "psycopg[binary]" > $O/pip-psycopg3-ok.txt 2>&1
su postgres -c "$PGB/pg_ctl -D $P/pg/data -l $P/pg/server26.log -o '-c listen_addresses=127.0.0.1 -p 5443 -k $P/pg' start" > /dev/null 2>&1; sleep 3
(cd $P/b20/pg && DB=pg $V52/python manage.py migrate shop zero --plan && DB=pg $V52/python manage.py migrate) > $O/pg3-migrate-noop.txt 2>&1
su postgres -c "$PGB/pg_ctl -D $P/pg/data stop" > /dev/null 2>&1; sleep 1
# base52's database was never migrated, so that runserver showed "no such table" (kept, labelled as
# the failure it shows); the healthy runserver is this one, on batch25's migrated copy.
(cd $P/b25/gt && timeout -s TERM 25 $V52/python manage.py runserver 127.0.0.1:8262 --noreload) > $O/runserver-52-ok2.txt 2>&1 &
sleep 12; curl -s -o /dev/null http://127.0.0.1:8262/; curl -s -o /dev/null http://127.0.0.1:8262/admin/login/; curl -s -o /dev/null http://127.0.0.1:8262/favicon.ico; wait
