from flask import Flask
from flask_login import LoginManager, login_required, session, redirect, current_user
from flask_login import login_user, url_for
from flask_login import request

app = Flask(__name__)
app.secret_key = 'dev-only'
login_manager = LoginManager(app)


@app.route('/')
def index():
    if request.args.get('next'):
        return redirect(url_for('index'))
    return 'hello %s' % session.get('name', 'world')
