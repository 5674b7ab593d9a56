"""Media on S3-compatible storage the subdistrict runs itself (MinIO), for several app servers
(docs/deploy.md). Imported only when production's MEDIA_S3_BUCKET is set: django-storages and
boto3 are then needed (`pip install django-storages[s3]`)."""

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class ProxiedS3Storage(S3Storage):
    """Addresses under the site's own MEDIA_URL, which nginx proxies to the bucket: pages name
    no other host, and a cached page holds no signed address that expires."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return settings.MEDIA_URL + filepath_to_uri(self._normalize_name(self._clean_name(name)))
