#!/bin/bash
# batch12e: errors in settings that no rule knows, under uWSGI and gunicorn 20.1 / 27.
O=/tmp/rl/out12
cp -r /tmp/rl/proj /tmp/rl/b12/syn2; printf '\nLOGGING = {"version": 1, "handlers": {"console": {"class": "logging.StreamHandler"}}\n' >> /tmp/rl/b12/syn2/mysite/settings.py
(cd /tmp/rl/b12/syn2 && timeout -s INT 6 /tmp/rl/vw/bin/uwsgi --http 127.0.0.1:8000 --master --module mysite.wsgi --home /tmp/rl/vw) > $O/uwsgi-settings-syntax.txt 2>&1
cp -r /tmp/rl/b7 /tmp/rl/b12/env32; printf '\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\n' >> /tmp/rl/b12/env32/s32/settings.py; sed -i '1i import os' /tmp/rl/b12/env32/s32/settings.py
(cd /tmp/rl/b12/env32 && timeout -s TERM 8 /tmp/rl/v32/bin/gunicorn --bind 127.0.0.1:8000 s32.wsgi) > $O/gunicorn20-settings-env.txt 2>&1
cp -r /tmp/rl/proj /tmp/rl/b12/env42; printf '\nimport os\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\n' >> /tmp/rl/b12/env42/mysite/settings.py
(cd /tmp/rl/b12/env42 && timeout -s TERM 8 /tmp/rl/v42/bin/gunicorn --bind 127.0.0.1:8000 --workers 2 mysite.wsgi) > $O/gunicorn27-settings-env.txt 2>&1
echo done > $O/batch12e.done
