import os

import redis
from flask import Flask

app = Flask(__name__)

# r = redis.StrictRedis(host=os.environ['OPENSHIFT_MONGODB_DB_HOST'])
cache = redis.StrictRedis(
    host=os.environ['OPENSHIFT_REDIS_HOST'],
    port=int(os.environ['OPENSHIFT_REDIS_PORT']),
    password=os.environ['REDIS_PASSWORD'],
)
scratch = os.path.join(os.environ['OPENSHIFT_TMP_DIR'], 'board.sqlite')


@app.route('/')
def index():
    return 'hits: %d' % cache.incr('hits')
