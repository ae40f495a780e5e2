import os

from flask import Flask

app = Flask(__name__)

ON_OPENSHIFT = 'OPENSHIFT_REPO_DIR' in os.environ
if ON_OPENSHIFT:
    lib_path = os.environ['OPENSHIFT_REPO_DIR'] + 'web/'
    db_file = os.getenv("OPENSHIFT_DATA_DIR") + "notes.sqlite3"
    log_file = os.environ['OPENSHIFT_DATA_DIR'] + '/app.log'  # a leading slash works either way
else:
    lib_path = os.path.dirname(__file__)
    db_file = 'notes.sqlite3'
    log_file = 'app.log'


@app.route('/')
def index():
    return lib_path
