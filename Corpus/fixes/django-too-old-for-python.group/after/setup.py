from setuptools import setup

setup(name='FotoArtCMS',
      version='1.0',
      description='OpenShift App',
#      install_requires=['Django>=1.3'],
      install_requires=[
          'Django>=1.11,<2.0; python_version < "3"',
          'Django>=3.2,<4.0; python_version >= "3" and python_version < "3.8"',
          'Django>=4.2,<5.0; python_version >= "3.8"',
          'Mezzanine',
          'django_compressor'
      ],
     )
