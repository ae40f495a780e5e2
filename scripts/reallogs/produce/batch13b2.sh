#!/bin/bash
# batch13b2: the Celery runs of batch13b again after `pip install "redis>=6.1,<7"` (batch13b's runs all
# stopped at kombu 5.7's VersionMismatch with redis-py 5.3.1, which celery[redis]==5.4.* had installed; one is kept)
O=/tmp/rl/out13; B=/tmp/rl/b13; V=/tmp/rl/v42/bin
cd $B
redis-server --port 6380 --bind 127.0.0.1 --save '' --appendonly no > $B/redis-b2.txt 2>&1 & R=$!; sleep 2
(cd $B/capp && timeout -s TERM 25 $V/celery -A tasks worker --loglevel=INFO --concurrency=1 > $O/celery-worker.txt 2>&1 &)
sleep 8
(cd $B/capp && $V/python -c "
import tasks
tasks.add.delay(2, 3); tasks.boom.delay(0)
tasks.app.send_task('tasks.missing', args=[1])
") > $O/celery-client.txt 2>&1
sleep 18
redis-server --port 6381 --bind 127.0.0.1 --save '' --requirepass s3cret > $B/redis-auth-server2.txt 2>&1 & R2=$!; sleep 2
(cd $B/capp && BROKER=redis://:wrong@127.0.0.1:6381/0 timeout -s TERM 10 $V/celery -A tasks worker --loglevel=INFO --concurrency=1) > $O/celery-broker-wrongpass.txt 2>&1
kill -TERM $R2; wait $R2
(cd $B/capp && BROKER=redis://127.0.0.1:6390/0 timeout -s TERM 12 $V/celery -A tasks worker --loglevel=INFO --concurrency=1) > $O/celery-broker-refused.txt 2>&1
(cd $B/capp && timeout -s TERM 8 $V/celery -A tasks beat --loglevel=INFO -s $B/beat-schedule2) > $O/celery-beat.txt 2>&1
kill -TERM $R; wait $R
echo done > $O/batch13b2.done
