#!/bin/bash
# batch43c (issue #13 round 9, logs9): four more negatives: the Redis primary's log of batch42 (replica sync,
# SIGTERM shutdown), nginx -V, and stdlib deprecation warnings on Python 3.12 (cgi) and 3.11 (asyncore).
P=/tmp/p9; O=$P/out; PY=/root/.pyenv/versions
run() { n=$1; shift; echo "### $n: $*" >> $P/batch43.cmds; ( "$@" ) > $O/$n.log 2>&1; echo "rc=$?" >> $P/batch43.cmds; }
cp $P/redis/main.log $O/b43-redis-primary.log; echo "### b43-redis-primary: redis-server --port 6391 --maxclients 3 --logfile main.log of batch42.sh (the primary of the 6392 replica), stopped with kill (whole log)" >> $P/batch43.cmds
run b43-nginx-V nginx -V
run b43-py312-cgi-warning $PY/3.12.1/bin/python -W default -c "import cgi; print(cgi.escape if hasattr(cgi, 'escape') else 'ok')"
run b43-py311-asyncore-warning $PY/3.11.7/bin/python -W default -c "import asyncore, smtpd; print('loaded')"
