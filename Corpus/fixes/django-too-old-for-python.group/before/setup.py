from setuptools import setup

setup(name='FotoArtCMS',
      version='1.0',
      description='OpenShift App',
#      install_requires=['Django>=1.3'],
      install_requires=[
          'Django==1.6.5',
          'Mezzanine==3.1.4',
          'django_compressor==1.5'
      ],
     )
