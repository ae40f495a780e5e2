#!/usr/bin/env bash

exec mod_wsgi-express start-server --port 8080 wsgi/application
