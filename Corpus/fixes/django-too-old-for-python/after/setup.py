#!/usr/bin/env python

from setuptools import setup

setup(
    # GETTING-STARTED: set your app name:
    name='YourAppName',
    # GETTING-STARTED: set your app version:
    version='1.0',
    # GETTING-STARTED: set your app description:
    description='OpenShift App',
    # GETTING-STARTED: set author name (your name):
    author='Your Name',
    # GETTING-STARTED: set author email (your email):
    author_email='example@example.com',
    # GETTING-STARTED: set author url (your url):
    url='http://www.python.org/sigs/distutils-sig/',
    # GETTING-STARTED: define required django version:
    install_requires=[
        'Django>=1.11,<2.0; python_version < "3"',
        'Django>=3.2,<4.0; python_version >= "3" and python_version < "3.8"',
        'Django>=4.2,<5.0; python_version >= "3.8" and python_version < "3.10"',
        'Django>=5.2,<5.3; python_version >= "3.10"',
    ],
    dependency_links=[
        'https://pypi.python.org/simple/django/'
    ],
)
