"""What an app's `api/` builds its open data on: declared query parameters (`filters`), pages (`pagination`)
and the one viewset mixin (`viewsets`). The list of routes is `coalition.api.router`, above every app."""
