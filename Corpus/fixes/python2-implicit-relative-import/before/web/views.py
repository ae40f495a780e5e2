from web import app
from web.helpers import slugify


@app.route('/')
def index():
    return slugify('Vote for India')
