from setuptools import setup

import os

# Uncomment what your application needs.
packages = ['Django>=1.11,<2.0; python_version < "3"', 'Django>=3.2,<4.0; python_version >= "3" and python_version < "3.8"', 'Django>=4.2,<5.0; python_version >= "3.8" and python_version < "3.10"', 'Django>=5.2,<5.3; python_version >= "3.10"',
            'djangorestframework',  # the API
            # 'psycopg2',
           ]

setup(name='RestAPI', version='1.0',
      packages=[],
      install_requires=packages,
     )
