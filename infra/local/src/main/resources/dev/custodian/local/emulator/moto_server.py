"""moto's server, with DynamoDB requests applied one at a time.

moto's own server handles requests on many threads without a lock, so two conditional writes
to one item can both pass their condition. DynamoDB never lets that happen, and the tests of
idempotency and uniqueness depend on it: this runs the same application behind a lock for
DynamoDB calls only (long-polling SQS receives must not hold it).

moto also snapshots every table a transaction touches (a deep copy of the whole table) so that it
can roll back, which makes a transaction's cost grow with the data held and turns moto's
transactions into the slowest call of any benchmark. DynamoDB's cost does not grow that way, so
this snapshots only the items the transaction touches and restores those on a rollback; what a
transaction does and answers is unchanged.

moto also answers a Query on a table's key by sorting and filtering every item of the table, so a
read of one order slowed down as orders accumulated (42 ms after a few thousand). DynamoDB reads the
one partition: this gives moto's query only the partition's items. Queries on indexes are left to
moto (they are rarer here, and moto keeps no index to read from).

moto also renders a stream's records through its generic, model-driven serializer, which takes
about 3 ms a record (a GetRecords of 50 records took 150-200 ms, more than the consumer's whole
work on them): a stream consumer's pace measured the emulator, not the consumer. The records are
plain JSON already; this writes them as DynamoDB Streams does (times as epoch seconds), unchanged.

moto lists the emails it was asked to send only in its model data (/moto-api/data.json), which
serializes every model instance it ever made, every DynamoDB item among them: the outbox, which
tests poll while they wait for an email, cost more as the tables filled (about 100 ms a read in a
module's first minute, and it held the interpreter meanwhile). This serves the same data for SES
alone at /_custodian/ses.json, in the same shape as the "ses" part of data.json. Nothing reads the
rest of the model data, yet moto kept every instance for it forever: every copy of an item that a
read, query or scan answered, every copy of a received message. Only SES's instances are kept now,
so the emulator's memory follows the data it holds, not the calls it served.

moto also writes the items that GetItem, BatchGetItem, Query and Scan answer through the same
generic serializer (about 0.4 ms an item: a Scan of 2,000 items took 0.8 s, even one that asks for
the count only, and an export's reads spent most of their time there). Those items are DynamoDB
JSON already: this writes them as they are (binary values in base64, as the serializer does), and
leaves every other answer, or one holding anything else, to moto.

moto also refuses a transaction of more than 25 items, DynamoDB's limit until 2022; DynamoDB takes
100 now, and the erasure worker restricts records 100 to a transaction: this takes 100 too.
Usage: python3 moto_server.py HOST PORT
"""
import base64
import copy
import datetime
import json
import sys
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

def _item_level_transactions():
    try:
        from moto.dynamodb import models
        from moto.dynamodb.models.table import Table
    except ImportError:
        return
    backend_class = models.DynamoDBBackend
    original = backend_class.transact_write_items
    if getattr(original, "_custodian", False) or not hasattr(models, "copy"):
        return

    class _NoTableCopies:
        """moto's module-level `copy`, except that whole tables are not copied."""

        @staticmethod
        def deepcopy(value, memo=None):
            return value if isinstance(value, Table) else copy.deepcopy(value, memo)

    def _target(backend, operation):
        table = backend.tables.get(operation.get("TableName"))
        if table is None:
            return None
        if "Item" in operation:
            attrs = operation["Item"]
            key = {table.hash_key_attr: attrs.get(table.hash_key_attr)}
            if table.range_key_attr is not None:
                key[table.range_key_attr] = attrs.get(table.range_key_attr)
        else:
            key = operation.get("Key")
        if not key or any(value is None for value in key.values()):
            return None
        try:
            before = backend.get_item(operation["TableName"], key)
            return operation["TableName"], key, copy.deepcopy(before)
        except Exception:
            return None

    def transact_write_items(self, transact_items):
        snapshots = []
        for entry in transact_items[:100]:
            operation = next(iter(entry.values()), None) if isinstance(entry, dict) else None
            if isinstance(operation, dict):
                target = _target(self, operation)
                if target is not None:
                    snapshots.append(target)
        try:
            return original(self, transact_items)
        except Exception:
            for table_name, key, before in reversed(snapshots):
                if table_name not in self.tables:
                    continue
                if before is None:
                    if self.get_item(table_name, key) is not None:
                        self.delete_item(table_name, key)
                else:
                    self.put_item(table_name, before.to_json()["Attributes"])
            raise

    transact_write_items._custodian = True
    models.copy = _NoTableCopies
    backend_class.transact_write_items = transact_write_items


def _partition_queries():
    try:
        from moto.dynamodb.models.table import Table
    except ImportError:
        return
    original = Table.query
    if getattr(original, "_custodian", False):
        return

    def query(self, hash_key, *args, **kwargs):
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        if index_name is not None or hash_key is None:
            return original(self, hash_key, *args, **kwargs)
        partition = self.items[hash_key] if hash_key in self.items else {}
        if self.range_key_attr:
            items = sorted(partition.values(), key=lambda item: item.range_key)
        else:
            items = [partition] if partition else []
        self.all_items = lambda: items
        try:
            return original(self, hash_key, *args, **kwargs)
        finally:
            del self.all_items

    query._custodian = True
    Table.query = query


def _fast_stream_reads():
    try:
        from moto.dynamodbstreams.responses import DynamoDBStreamsHandler
    except ImportError:
        return
    original = DynamoDBStreamsHandler.get_records
    if getattr(original, "_custodian", False):
        return

    def epoch_seconds(value):
        if isinstance(value, datetime.datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=datetime.timezone.utc)
            return value.timestamp()
        raise TypeError(type(value).__name__)

    def get_records(self):
        limit = self._get_param("Limit")
        result = self.backend.get_records(
            self._get_param("ShardIterator"), 1000 if limit is None else limit
        )
        return json.dumps(result, default=epoch_seconds)

    get_records._custodian = True
    DynamoDBStreamsHandler.get_records = get_records


def _fast_item_answers():
    try:
        from moto.dynamodb.responses import DynamoResult
    except ImportError:
        return
    original = DynamoResult.execute_result
    if getattr(original, "_custodian", False):
        return
    item_reads = {"GetItem", "BatchGetItem", "Query", "Scan"}

    def plain(value):
        if isinstance(value, (bytes, bytearray)):
            return base64.b64encode(value).decode("ascii")
        raise TypeError(type(value).__name__)

    def execute_result(self, context):
        if context.operation_model.name not in item_reads:
            return original(self, context)
        try:
            body = json.dumps(self.result, default=plain)
        except TypeError:
            return original(self, context)
        # the status and headers of an answer, as moto makes them
        status, headers, _ = original(DynamoResult({}), context)
        return status, headers, body

    execute_result._custodian = True
    DynamoResult.execute_result = execute_result


def _transaction_limit():
    try:
        from moto.dynamodb import responses
    except ImportError:
        return
    if getattr(responses, "TRANSACTION_MAX_ITEMS", 100) < 100:
        responses.TRANSACTION_MAX_ITEMS = 100


def _track_ses_only():
    from moto.core.common_models import BaseModel

    def tracked_if_ses(cls, *args, **kwargs):
        instance = object.__new__(cls)
        if cls.__module__.startswith("moto.ses"):
            cls.instances_tracked.append(instance)
        return instance

    BaseModel.__new__ = tracked_if_ses


_track_ses_only()
_item_level_transactions()
_partition_queries()
_transaction_limit()
_fast_stream_reads()
_fast_item_answers()
_app = DomainDispatcherApplication(create_backend_app)
_dynamodb = threading.Lock()


def _ses_data(start_response):
    """The "ses" part of moto's /moto-api/data.json, built the same way from SES's models only."""
    from moto.core.model_instances import model_data

    results = {}
    for name, model in sorted(model_data.get("ses", {}).items()):
        results[name] = []
        for instance in list(model.instances_tracked):
            fields = {}
            for attr in dir(instance):
                if attr.startswith("_"):
                    continue
                try:
                    value = getattr(instance, attr)
                    json.dumps(value)
                except (TypeError, AttributeError, ValueError):
                    continue
                fields[attr] = value
            results[name].append(fields)
    body = json.dumps(results).encode("utf-8")
    start_response(
        "200 OK",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]


def _serve(environ, start_response):
    if environ.get("PATH_INFO") == "/_custodian/ses.json":
        return _ses_data(start_response)
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target.startswith("DynamoDB_"):
        with _dynamodb:
            response = _app(environ, start_response)
            # Render the body inside the lock too.
            return [b"".join(response)]
    return _app(environ, start_response)


if __name__ == "__main__":
    run_simple(sys.argv[1], int(sys.argv[2]), _serve, threaded=True)
