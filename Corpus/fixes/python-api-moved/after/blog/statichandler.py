from django.core.handlers.wsgi import WSGIHandler
from django.core.handlers.wsgi import get_path_info


class Handler(WSGIHandler):
    def __call__(self, environ, start_response):
        if get_path_info(environ).startswith('/healthz'):
            start_response('200 OK', [('Content-Type', 'text/plain')])
            return [b'ok']
        return super().__call__(environ, start_response)
