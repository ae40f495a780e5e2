from flask import Flask
from flask_login import LoginManager

from shop.models import db

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///shop.db'
db.init_app(app)
login_manager = LoginManager(app)


@app.route('/')
def index():
    return 'shop'
