import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blacklist_portal.settings")
application = get_wsgi_application()

# What loading the project made (settings, apps, models, admin) lives as long as the worker.
# Frozen, it is left out of the garbage collector's full passes: on a staff list's worker
# each full pass paused a request for about 100 ms, afterwards for about 20 ms.
gc.collect()
gc.freeze()
