#!/bin/bash
# batch31b (issue #13 round 6, logs7): batch31's Celery runs stopped at kombu's redis transport
# importing `packaging`, which celery[redis]==5.2.7's resolution did not install (one run kept as
# that failure). `pip install packaging` in /tmp/p7/v310, then the Celery runs again, Redis 7.0 on
# 127.0.0.1:6392.
P=/tmp/p7; O=$P/out; B=$P/b31; V310=$P/v310/bin
env -u PIP_FIND_LINKS $V310/pip install -q packaging > $B/packaging.log 2>&1
sed -i 's/6391/6392/g' $B/cel/tasks.py
(cd $B/cel && timeout -s TERM 15 $V310/celery -A tasks worker --loglevel=INFO) > $O/celery52b-redis-refused.txt 2>&1
(redis-server --bind 127.0.0.1 --port 6392 --save '' --daemonize yes --pidfile $B/redis2.pid --logfile $B/redis2.log)
sleep 2
(cd $B/cel && timeout -s TERM 25 $V310/celery -A tasks worker --loglevel=INFO -c 1 > $O/celery52b-ok-and-task-fails.txt 2>&1 &
 sleep 12; $V310/python -c "from tasks import add, charge; print(add.delay(2, 3).get(timeout=5)); charge.delay(42)"; sleep 5; wait) > $B/client.log 2>&1
redis-cli -p 6392 config set requirepass s3cret > /dev/null
(cd $B/cel && timeout -s TERM 12 $V310/celery -A tasks worker --loglevel=INFO) > $O/celery52b-redis-noauth.txt 2>&1
redis-cli -p 6392 -a s3cret shutdown nosave > /dev/null 2>&1; sleep 1
cp $B/redis2.log $O/redis2-server.txt
