import os
import sqlite3

from flask import Flask

basedir = os.path.abspath(os.path.dirname(__file__))
if os.environ.get('OPENSHIFT_DATA_DIR') is not None:
    basedir = os.environ['OPENSHIFT_DATA_DIR']

app = Flask(__name__)
app.config['DATABASE_PATH'] = os.path.join(basedir, 'app.db')


def init_db():
    con = sqlite3.connect(app.config['DATABASE_PATH'])
    con.execute('CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT)')
    con.commit()
