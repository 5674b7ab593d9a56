from django.utils.cache import patch_vary_headers


class VaryOnDisplayPreferenceMiddleware:
    """Pages look different in large mode, which a cookie switches on: tell caches."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        return response
