from os import environ as env
from os import path

from flask import Flask

app = Flask(__name__)
app.config.from_object('blog.settings')
app.config['UPLOAD_FOLDER'] = path.join(env['OPENSHIFT_DATA_DIR'], 'uploads')
