#!/usr/bin/python
import os

# OpenShift V2 virtualenv activation removed: the S2I image's virtualenv (/opt/app-root) is already active.
#
# IMPORTANT: Put any additional includes below this line.  If placed above this
# line, it's possible required libraries won't be in your searchable path
#


def application(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [b'Welcome to OpenShift']
