from flask import Flask
from models import Subscription
import config

app = Flask(__name__)
app.config.from_object(config)


@app.route('/')
def index():
    return '%s: %s' % (app.config['GREETING'], Subscription('a@b.c').email)
