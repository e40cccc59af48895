package dev.custodian.orders.catalogue;

import static dev.custodian.core.validation.ObjectSchema.object;
import static dev.custodian.core.validation.Types.bool;
import static dev.custodian.core.validation.Types.currency;
import static dev.custodian.core.validation.Types.integer;
import static dev.custodian.core.validation.Types.string;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.audit.AuditRecord;
import dev.custodian.core.audit.AuditRecord.Action;
import dev.custodian.core.audit.AuditRecord.Actor;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.audit.AuditTrail;
import dev.custodian.core.catalogue.CatalogueTable;
import dev.custodian.core.catalogue.Product;
import dev.custodian.core.dynamo.Cancellations;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ApiHandler;
import dev.custodian.core.http.HttpRequest;
import dev.custodian.core.http.HttpResponse;
import dev.custodian.core.log.Log;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.validation.JsonBody;
import dev.custodian.core.validation.Schema;
import dev.custodian.orders.OrdersWiring;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Operator routes (IAM auth): {@code PUT /admin/catalogue/{sku}} creates or replaces a product,
 * {@code DELETE} takes it off sale (orders keep naming it). Each change and its audit record are
 * written together. New orders see a change within the order functions' price cache time.
 */
public final class CatalogueAdminHandler extends ApiHandler {

  static final Schema PRODUCT =
      object()
          .required("name", string(1, 200))
          // at least 1: a free product is a mistake an operator makes, not one the shop sells
          .required("unitPrice", integer(1, 100_000_000))
          .required("currency", currency())
          .optional("active", bool());

  private final CatalogueTable catalogue;
  private final AuditTrail audit;
  private final DynamoDbClient dynamoDb;
  private final Clock clock;

  public CatalogueAdminHandler() {
    this(OrdersWiring.fromEnvironment());
    prime("PUT /admin/catalogue/{sku}", "/admin/catalogue/priming", "{}");
  }

  private CatalogueAdminHandler(OrdersWiring wiring) {
    this(wiring.dynamoDb(), wiring.catalogue(), wiring.audit(), wiring.clock());
  }

  CatalogueAdminHandler(
      DynamoDbClient dynamoDb, CatalogueTable catalogue, AuditTrail audit, Clock clock) {
    this.dynamoDb = dynamoDb;
    this.catalogue = catalogue;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  protected HttpResponse serve(HttpRequest request) {
    String operator = request.operator();
    String sku =
        request
            .pathParameter("sku")
            .filter(s -> CatalogueViews.SKU.matcher(s).matches())
            .orElseThrow(ApiException::notFound);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    return switch (request.routeKey()) {
      case "PUT /admin/catalogue/{sku}" -> {
        JsonNode body = JsonBody.read(request, PRODUCT);
        if (body.has("active") && body.get("active").isNull()) {
          throw ApiException.invalid("active", "must be true or false");
        }
        Product product =
            new Product(
                sku,
                body.get("name").asText(),
                body.get("unitPrice").asLong(),
                body.get("currency").asText(),
                !body.has("active") || body.get("active").asBoolean(),
                now.toString());
        write(catalogue.putting(product), Action.UPDATE, sku, operator, request.requestId());
        Log.info("product put", "sku", sku, "active", product.active());
        yield HttpResponse.ok(CatalogueViews.operatorView(product));
      }
      case "DELETE /admin/catalogue/{sku}" -> {
        write(catalogue.deactivating(sku, now), Action.DELETE, sku, operator, request.requestId());
        Log.info("product taken off sale", "sku", sku);
        yield HttpResponse.ok(Map.of("sku", sku, "active", false));
      }
      default -> throw ApiException.notFound();
    };
  }

  private void write(
      TransactWriteItem change, Action action, String sku, String operator, String requestId) {
    TransactWriteItem record =
        audit.asTransactPut(
            new AuditRecord(
                Actor.operator(operator),
                action,
                DataClass.CATALOGUE,
                sku,
                null,
                Purpose.ORDER_FULFILMENT,
                Outcome.SUCCESS,
                requestId));
    try {
      dynamoDb.transactWriteItems(b -> b.transactItems(List.of(change, record)));
    } catch (TransactionCanceledException e) {
      if (Cancellations.conditionFailedAt(e, 0)) {
        throw ApiException.notFound();
      }
      throw e;
    }
  }
}
