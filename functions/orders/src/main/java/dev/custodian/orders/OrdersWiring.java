package dev.custodian.orders;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditTrail;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.catalogue.CatalogueTable;
import dev.custodian.core.catalogue.PriceList;
import dev.custodian.core.config.RuntimeEnvironment;
import dev.custodian.core.snapstart.Priming;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The collaborators of the order and catalogue handlers, built from one reading of the environment
 * ({@link OrdersConfig}) when a handler's no-argument constructor runs: once per container. Each is
 * built when first asked for and shared after, so a handler builds only what it uses (the catalogue
 * routes no privacy core, the order routes no second DynamoDB client).
 */
public final class OrdersWiring {

  private final OrdersConfig config;
  private final AwsClients clients;
  private final Clock clock = Clock.systemUTC();
  private PrivacyCore core;
  private OrderStore store;
  private OrderViews views;
  private OrderAccess access;
  private DynamoDbClient dynamoDb;

  OrdersWiring(OrdersConfig config, AwsClients clients) {
    this.config = config;
    this.clients = clients;
  }

  public static OrdersWiring fromEnvironment() {
    Map<String, String> env = RuntimeEnvironment.current();
    return new OrdersWiring(OrdersConfig.fromEnvironment(env), AwsClients.fromEnvironment(env));
  }

  private PrivacyCore core() {
    if (core == null) {
      core = new PrivacyCore(config.core(), clients, clock);
    }
    return core;
  }

  private OrderStore store() {
    if (store == null) {
      store =
          new OrderStore(
              core().dynamoDb(), config.ordersTable(), core().keyring(), core().retention());
    }
    return store;
  }

  OrderViews views() {
    if (views == null) {
      views = new OrderViews(core(), store());
    }
    return views;
  }

  OrderAccess access() {
    if (access == null) {
      access = new OrderAccess(core(), store(), views());
    }
    return access;
  }

  OrderPlacement placement() {
    PriceList prices =
        new PriceList(new CatalogueTable(core().dynamoDb(), config.catalogueTable()), clock);
    return new OrderPlacement(core(), store(), new Pricing(prices), access());
  }

  StatusChanges statusChanges() {
    return new StatusChanges(core(), store());
  }

  PaymentService payments() {
    WebhookSecret secret =
        new WebhookSecret(
            core().kms(), config.core().dataKeyId(), config.webhookSecretCiphertext());
    return new PaymentService(core(), store(), new WebhookSignature(secret, clock));
  }

  /** The catalogue routes' DynamoDB client (they use no privacy core). */
  public DynamoDbClient dynamoDb() {
    if (dynamoDb == null) {
      dynamoDb = clients.dynamoDb("custodian-catalogue");
      DynamoDbClient client = dynamoDb;
      Priming.register("aws-sdk", () -> Priming.touch(client, config.catalogueTable()));
    }
    return dynamoDb;
  }

  public CatalogueTable catalogue() {
    return new CatalogueTable(dynamoDb(), config.catalogueTable());
  }

  public AuditTrail audit() {
    return new AuditTrail(dynamoDb(), config.core().auditTable(), config.core().retention(), clock);
  }

  public Clock clock() {
    return clock;
  }
}
