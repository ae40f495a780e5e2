class Subscription(object):
    def __init__(self, email):
        self.email = email
