from flask import Flask

app = Flask(__name__)
app.config.from_object('shop.default_settings')
app.config.from_envvar('SHOP_SETTINGS')


@app.route('/')
def index():
    return app.config['SHOP_NAME']
