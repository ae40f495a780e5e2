from tools.helpers import greet

assert greet() == 'hello'
