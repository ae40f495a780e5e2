import cherrypy


class Site(object):
    @cherrypy.expose
    def index(self):
        return "ok"
