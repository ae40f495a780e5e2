#!/bin/bash
# batch24 (issue #13 round 5): two more column-missing runs: SQLite under Django 3.2 runserver, and
# the PostgreSQL 15 server's log for psql selecting a column that is not there.
P=/tmp/p5; O=$P/out; B=$P/b24; mkdir -p $O $B; V32=/tmp/rl/v32/bin; PGB=/usr/lib/postgresql/15/bin
[ -n "$SKIP_NSC" ] || { rm -rf $B/nsc && cp -r $P/base32 $B/nsc && cd $B/nsc && $V32/python manage.py migrate > /dev/null 2>&1
sed -i 's/    name = models.CharField(max_length=100)/    name = models.CharField(max_length=100)\n    slug = models.SlugField(default="")/' shop/models.py
(cd $B/nsc && DJANGO_DEBUG=0 timeout -s TERM 12 $V32/python manage.py runserver 127.0.0.1:8251 --noreload) > $O/nsc-32.txt 2>&1 &
sleep 5; curl -s -o /dev/null http://127.0.0.1:8251/; wait; }
# (the first run passed log_line_prefix with -o and postgres refused "[%p]"; it now goes in postgresql.conf)
grep -q '^log_line_prefix' $P/pg/data/postgresql.conf || echo "log_line_prefix = '%m [%p] %q%u@%d '" >> $P/pg/data/postgresql.conf
su postgres -c "$PGB/pg_ctl -D $P/pg/data -l $P/pg/server24.log -o '-c listen_addresses=127.0.0.1 -p 5443 -k $P/pg' start" > /dev/null 2>&1; sleep 3
PGPASSWORD=secret psql -h 127.0.0.1 -p 5443 -U django app -c 'select id, name, sku from shop_product' > $O/psql-column.txt 2>&1
su postgres -c "$PGB/pg_ctl -D $P/pg/data stop" > /dev/null 2>&1; sleep 1
cp $P/pg/server24.log $O/pg-server24.txt
