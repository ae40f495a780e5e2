import os
from wsgiref.simple_server import make_server

from shop import app

if __name__ == '__main__':
    make_server(app.config['IP'], app.config['PORT'], app).serve_forever()
