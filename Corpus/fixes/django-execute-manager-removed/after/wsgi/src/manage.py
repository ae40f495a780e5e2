#!/usr/bin/env python
from django.core.management import execute_from_command_line

import settings

if __name__ == "__main__":
    import os, sys
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', settings.__name__)
    execute_from_command_line(sys.argv)
