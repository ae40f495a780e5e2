#!/usr/bin/python
import os


def application(environ, start_response):

    ctype = 'text/plain'
    if environ['PATH_INFO'] == '/health':
        response_body = "1"
    else:
        ctype = 'text/html'
        response_body = '<h1>Welcome to OpenShift</h1>'

    status = '200 OK'
    start_response(status, [('Content-Type', ctype)])
    return [response_body.encode('utf-8')]
