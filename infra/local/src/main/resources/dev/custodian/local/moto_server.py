"""moto's server, with DynamoDB requests applied one at a time.

moto's own server handles requests on many threads without a lock, so two conditional writes
to one item can both pass their condition. DynamoDB never lets that happen, and the tests of
idempotency and uniqueness depend on it: this runs the same application behind a lock for
DynamoDB calls only (long-polling SQS receives must not hold it).
Usage: python3 moto_server.py HOST PORT
"""
import sys
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

_app = DomainDispatcherApplication(create_backend_app)
_dynamodb = threading.Lock()


def _serve(environ, start_response):
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target.startswith("DynamoDB_"):
        with _dynamodb:
            response = _app(environ, start_response)
            # Render the body inside the lock too.
            return [b"".join(response)]
    return _app(environ, start_response)


if __name__ == "__main__":
    run_simple(sys.argv[1], int(sys.argv[2]), _serve, threaded=True)
