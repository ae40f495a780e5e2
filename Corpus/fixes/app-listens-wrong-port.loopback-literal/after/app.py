#!/usr/bin/env python
import imp
import os


def serve(app, ip, port=8080):
    from wsgiref.simple_server import make_server
    make_server(ip, port, app).serve_forever()


if __name__ == '__main__' and 'OPENSHIFT_REPO_DIR' in os.environ:
    game = imp.load_source('game', 'game/main.py')
    serve(game.application, os.environ['OPENSHIFT_PYTHON_IP'], 8080)
elif __name__ == '__main__':
    game = imp.load_source('game', 'game/main.py')
    # serve(game.application, '0.0.0.0', 8080) for other machines
    serve(game.application, '0.0.0.0', 8080)
