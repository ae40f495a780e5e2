#!/bin/bash
# batch19 (issue #13 round 5): Django system checks, templates, settings and migrations (SQLite),
# under Django 5.2 / 4.2 / 3.2 (v52 = Python 3.12, v42 = 3.11, v32 = 3.9). Projects: batch19-setup.sh.
P=/tmp/p5; O=$P/out; B=$P/b19; mkdir -p $O $B
V52=$P/v52/bin; V42=/tmp/rl/v42/bin; V32=/tmp/rl/v32/bin
cp_() { rm -rf $B/$2; cp -r $P/$1 $B/$2; cd $B/$2; }
# 1 fields.E304/E305: two ForeignKeys to User without related_name (5.2 check, 3.2 migrate)
for v in 52 32; do cp_ base$v e304-$v
cat >> shop/models.py <<'PY'


class Order(models.Model):
    buyer = models.ForeignKey("auth.User", on_delete=models.CASCADE)
    seller = models.ForeignKey("auth.User", on_delete=models.CASCADE)
PY
done
(cd $B/e304-52 && $V52/python manage.py check) > $O/e304-52.txt 2>&1
(cd $B/e304-32 && $V32/python manage.py migrate) > $O/e304-32.txt 2>&1
# 2 admin.E108 (list_display names a field that does not exist) under runserver 4.2
cp_ base42 e108; cat >> shop/admin.py <<'PY'
from .models import Product


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "price")
PY
(cd $B/e108 && timeout -s TERM 12 $V42/python manage.py runserver 127.0.0.1:8191 --noreload) > $O/e108-42.txt 2>&1
# 3 admin.E408/E409/E410: middleware removed (5.2, migrate)
cp_ base52 e410; cat >> mysite/settings.py <<'PY'
MIDDLEWARE = [m for m in MIDDLEWARE if "session" not in m.lower() and "auth" not in m.lower() and "messages" not in m.lower()]
PY
(cd $B/e410 && $V52/python manage.py migrate) > $O/e410-52.txt 2>&1
# 4 templates.E001 (APP_DIRS with loaders) (5.2 check) and the 3.2 wording
for v in 52 32; do cp_ base$v te001-$v; cat >> mysite/settings.py <<'PY'
TEMPLATES[0]["OPTIONS"]["loaders"] = ["django.template.loaders.filesystem.Loader"]
PY
done
(cd $B/te001-52 && $V52/python manage.py check) > $O/te001-52.txt 2>&1
(cd $B/te001-32 && $V32/python manage.py check) > $O/te001-32.txt 2>&1
# 5 staticfiles.E002 (STATIC_ROOT inside STATICFILES_DIRS) under gunicorn? checks run for collectstatic
cp_ base42 se002; cat >> mysite/settings.py <<'PY'
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "static"
PY
mkdir -p static; (cd $B/se002 && $V42/python manage.py collectstatic --noinput) > $O/se002-42.txt 2>&1
# 6 TemplateSyntaxError: {% static %} without {% load static %} (request under gunicorn 27, 5.2)
cp_ base52 tse; cat > shop/templates/shop/index.html <<'HT'
<link rel="stylesheet" href="{% static 'shop/site.css' %}">
<h1>Shop</h1>
HT
$V52/python manage.py migrate > /dev/null 2>&1
(cd $B/tse && DJANGO_DEBUG=0 timeout -s TERM 15 $V52/gunicorn --bind 127.0.0.1:8192 mysite.wsgi) > $O/tse-52.txt 2>&1 &
sleep 6; curl -s -o /dev/null http://127.0.0.1:8192/; wait
# 6b TemplateSyntaxError: unclosed block (runserver 3.2, DEBUG=False)
cp_ base32 tse2; cat > shop/templates/shop/index.html <<'HT'
<h1>Shop</h1>
{% for p in products %}<li>{{ p.name }}</li>
HT
$V32/python manage.py migrate > /dev/null 2>&1
(cd $B/tse2 && DJANGO_DEBUG=0 timeout -s TERM 12 $V32/python manage.py runserver 127.0.0.1:8193 --noreload) > $O/tse2-32.txt 2>&1 &
sleep 5; curl -s -o /dev/null http://127.0.0.1:8193/; wait
# 7 AUTH_USER_MODEL names a model not installed (5.2 migrate, 4.2 gunicorn)
cp_ base52 aum; echo 'AUTH_USER_MODEL = "accounts.User"' >> mysite/settings.py
(cd $B/aum && $V52/python manage.py migrate) > $O/aum-52.txt 2>&1
cp_ base42 aum42; echo 'AUTH_USER_MODEL = "accounts.User"' >> mysite/settings.py
(cd $B/aum42 && timeout -s TERM 12 $V42/gunicorn --bind 127.0.0.1:8194 mysite.wsgi) > $O/aum-42.txt 2>&1
# 8 AppRegistryNotReady: wsgi.py imports a model before get_wsgi_application (gunicorn 27, 5.2)
cp_ base52 arnr; sed -i 's/^from django.core.wsgi import get_wsgi_application/from shop.models import Product  # noqa\nfrom django.core.wsgi import get_wsgi_application/' mysite/wsgi.py
(cd $B/arnr && timeout -s TERM 12 $V52/gunicorn --bind 127.0.0.1:8195 mysite.wsgi) > $O/arnr-52.txt 2>&1
# 8b a seed script that imports models without django.setup() (3.2)
cp_ base32 arnr2; mkdir -p scripts; cat > scripts/seed.py <<'PY'
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
from shop.models import Product
Product.objects.create(name="x")
PY
(cd $B/arnr2 && PYTHONPATH=. $V32/python scripts/seed.py) > $O/arnr2-32.txt 2>&1
# 9 DATABASES improperly configured: ENGINE missing (5.2)
cp_ base52 dbeng; echo 'DATABASES = {"default": {"NAME": "app"}}' >> mysite/settings.py
(cd $B/dbeng && $V52/python manage.py migrate) > $O/dbeng-52.txt 2>&1
# 10 InconsistentMigrationHistory: a custom user model added after admin was migrated (4.2)
cp_ base42 imh; $V42/python manage.py migrate > /dev/null 2>&1
$V42/python manage.py startapp accounts
cat > accounts/models.py <<'PY'
from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    pass
PY
printf 'INSTALLED_APPS += ["accounts"]\nAUTH_USER_MODEL = "accounts.User"\n' >> mysite/settings.py
$V42/python manage.py makemigrations accounts > /dev/null 2>&1
(cd $B/imh && $V42/python manage.py migrate) > $O/imh-42.txt 2>&1
# 11 conflicting migrations (two leaves) under 5.2
cp_ base52 conf; $V52/python manage.py migrate > /dev/null 2>&1
cat > shop/migrations/0002_product_price.py <<'PY'
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [migrations.AddField("product", "price", models.IntegerField(default=0))]
PY
cat > shop/migrations/0002_product_sku.py <<'PY'
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [migrations.AddField("product", "sku", models.CharField(max_length=20, default=""))]
PY
(cd $B/conf && $V52/python manage.py migrate) > $O/conf-52.txt 2>&1
# 12 NodeNotFoundError: a migration depends on one that is not in the tree (5.2 and 3.2)
for v in 52 32; do cp_ base$v nnf-$v; cat > shop/migrations/0002_product_price.py <<'PY'
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_add_category")]
    operations = [migrations.AddField("product", "price", models.IntegerField(default=0))]
PY
done
(cd $B/nnf-52 && $V52/python manage.py migrate) > $O/nnf-52.txt 2>&1
(cd $B/nnf-32 && timeout -s TERM 12 $V32/python manage.py runserver 127.0.0.1:8196 --noreload) > $O/nnf-32.txt 2>&1
# 13 no such column (a field added without its migration), request under runserver 5.2
cp_ base52 nsc; $V52/python manage.py migrate > /dev/null 2>&1
sed -i 's/    name = models.CharField(max_length=100)/    name = models.CharField(max_length=100)\n    price = models.IntegerField(default=0)/' shop/models.py
(cd $B/nsc && timeout -s TERM 12 $V52/python manage.py runserver 127.0.0.1:8197 --noreload) > $O/nsc-52.txt 2>&1 &
sleep 6; curl -s -o /dev/null http://127.0.0.1:8197/; wait
# 14 database is locked: another process holds a write transaction; timeout 1 s (4.2 shell)
cp_ base42 lock; $V42/python manage.py migrate > /dev/null 2>&1
cat >> mysite/settings.py <<'PY'
DATABASES["default"]["OPTIONS"] = {"timeout": 1}
PY
$V42/python -c "
import sqlite3, time
c = sqlite3.connect('db.sqlite3', isolation_level=None); c.execute('BEGIN EXCLUSIVE'); time.sleep(8)" &
sleep 1
(cd $B/lock && $V42/python manage.py shell -c 'from shop.models import Product; Product.objects.create(name="x")') > $O/lock-42.txt 2>&1
wait
# 15 collectstatic with ManifestStaticFilesStorage and a CSS url() to a missing file (5.2, 4.2)
for v in 52 42; do cp_ base$v manifest-$v
cat >> mysite/settings.py <<'PY'
STORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
PY
echo 'body { background: url("img/bg.png"); }' > shop/static/shop/site.css
done
(cd $B/manifest-52 && $V52/python manage.py collectstatic --noinput) > $O/manifest-52.txt 2>&1
(cd $B/manifest-42 && $V42/python manage.py collectstatic --noinput) > $O/manifest-42.txt 2>&1
# 16 settings are not configured: a script that imports settings with no DJANGO_SETTINGS_MODULE (5.2)
cp_ base52 notconf; (cd $B/notconf && $V52/python -c 'from django.conf import settings; print(settings.DEBUG)') > $O/notconf-52.txt 2>&1
echo done > $O/batch19.done
