from setuptools import setup

import os

# Uncomment what your application needs.
packages = ['Django<=1.6',
            'djangorestframework',  # the API
            # 'psycopg2',
           ]

setup(name='RestAPI', version='1.0',
      packages=[],
      install_requires=packages,
     )
