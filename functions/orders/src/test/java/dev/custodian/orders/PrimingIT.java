package dev.custodian.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.core.config.RuntimeEnvironment;
import dev.custodian.core.snapstart.Priming;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.SharedLocalCloud;
import dev.custodian.local.TableCounts;
import dev.custodian.orders.catalogue.CatalogueAdminHandler;
import dev.custodian.orders.catalogue.CatalogueHandler;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a SnapStart checkpoint would run for the order functions: it writes nothing. */
class PrimingIT {

  @Test
  void primingTheOrderFunctions_runsTheirSteps_andWritesNothing() {
    LocalCloud cloud = SharedLocalCloud.get();
    Map<String, Integer> before = TableCounts.of(cloud);
    RuntimeEnvironment.install(cloud.environmentOf("PlaceOrderFunction"));
    new PlaceOrderHandler();
    new ReadOrderHandler();
    new OrderAdminHandler();

    assertThat(Priming.primeNow()).as("the SDK call and the last handler's request").isEqualTo(2);
    assertThat(TableCounts.of(cloud)).isEqualTo(before);
  }

  @Test
  void primingTheCatalogueAndPaymentFunctions_writesNothing_andOpensNoSecret() {
    LocalCloud cloud = SharedLocalCloud.get();
    Map<String, Integer> before = TableCounts.of(cloud);
    String payments = cloud.function("PaymentEventsFunction").name();
    cloud.proxy().reset();
    RuntimeEnvironment.install(cloud.environmentOf("CatalogueFunction"));
    new CatalogueHandler();
    RuntimeEnvironment.install(cloud.environmentOf("CatalogueAdminFunction"));
    new CatalogueAdminHandler();
    RuntimeEnvironment.install(cloud.environmentOf("PaymentEventsFunction"));
    new PaymentEventsHandler();

    assertThat(Priming.primeNow()).as("the SDK call and the last handler's request").isEqualTo(2);
    assertThat(TableCounts.of(cloud)).isEqualTo(before);
    // the webhook request is refused at its signature, before the secret would be decrypted:
    // no secret in a snapshot
    assertThat(cloud.proxy().count(payments, "kms")).isZero();
  }
}
