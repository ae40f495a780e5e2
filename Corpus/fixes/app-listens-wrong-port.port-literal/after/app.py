import os

from pyramid.paster import get_app

if __name__ == '__main__':
    here = os.path.dirname(os.path.abspath(__file__))
    if 'OPENSHIFT_APP_NAME' in os.environ:
        ip = os.environ['OPENSHIFT_PYTHON_IP']
        port = int(os.environ['OPENSHIFT_PYTHON_PORT'])
        config = os.path.join(here, 'production.ini')
    else:
        ip = '0.0.0.0'
        port = 8080  # pserve's default
        config = os.path.join(here, 'development.ini')

    app = get_app(config, 'main')

    from waitress import serve
    serve(app, host=ip, port=port, threads=50)
