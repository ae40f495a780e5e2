from __init__ import application, db


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80))


@application.route('/')
def index():
    return '%d users' % User.query.count()


def init_db():
    db.create_all()
    '''db.drop_all()
    db.session.add(User(name='example'))'''
