from setuptools import setup

setup(name='ExamBookings',
      version='0.0.3',
      description='OpenShift ExamBookings',
      install_requires=['Flask', 'Pillow'],
     )
