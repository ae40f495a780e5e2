#!/bin/bash
# batch31c (issue #13 round 6, logs7): batch31b's task client ran outside the tasks folder (the cd
# was backgrounded with the worker) and sent nothing; here the worker and the client both run in
# the folder. Redis 7.0 on 127.0.0.1:6393; a task that succeeds, one that raises, one that is not
# registered by the worker (sent by name).
P=/tmp/p7; O=$P/out; B=$P/b31; V310=$P/v310/bin
sed -i 's/6392/6393/g' $B/cel/tasks.py
redis-server --bind 127.0.0.1 --port 6393 --save '' --daemonize yes --pidfile $B/redis3.pid --logfile $B/redis3.log
sleep 2; cd $B/cel
timeout -s TERM 30 $V310/celery -A tasks worker --loglevel=INFO -c 1 > $O/celery52c-task-fails.txt 2>&1 &
sleep 12
$V310/python -c "
from tasks import app, add, charge
print(add.delay(2, 3).get(timeout=10))
charge.delay(42)
app.send_task('tasks.refund', args=[42])" > $B/client3.log 2>&1
sleep 6; wait
redis-cli -p 6393 shutdown nosave > /dev/null 2>&1
