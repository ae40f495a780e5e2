import cherrypy


class Root(object):
    @cherrypy.expose
    def index(self):
        return "SPS"


application = cherrypy.Application(Root(), script_name='', config=None)
