package dev.custodian.contact;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.aws.QueueSender;
import dev.custodian.core.config.RuntimeEnvironment;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ApiHandler;
import dev.custodian.core.http.HttpRequest;
import dev.custodian.core.http.HttpResponse;
import dev.custodian.core.notify.Notifications;
import dev.custodian.core.policy.PolicyStamp;
import dev.custodian.core.validation.JsonBody;
import java.time.Clock;
import java.util.Map;

/** {@code POST /contact} (public) and {@code GET /admin/contact/{ticketId}} (operators, IAM). */
public final class ContactHandler extends ApiHandler {

  private final ContactService contact;

  public ContactHandler() {
    this(wire(RuntimeEnvironment.current()));
    // SnapStart: the request path once before the snapshot (refused before any write)
    prime("POST /contact", "/contact", "{}");
  }

  ContactHandler(ContactService contact) {
    this.contact = contact;
  }

  private static ContactService wire(Map<String, String> env) {
    ContactConfig config = ContactConfig.fromEnvironment(env);
    AwsClients clients = AwsClients.fromEnvironment(env);
    PrivacyCore core = new PrivacyCore(config.core(), clients, Clock.systemUTC());
    return new ContactService(
        core,
        config.contactTable(),
        // one SQS operation: sent as a signed call, without the SQS client's cold-start cost
        new Notifications(
            QueueSender.signed(clients, "custodian-contact"), config.notificationQueueUrl()),
        config.messagesPerHour(),
        PolicyStamp.fromEnvironment(core.dynamoDb(), env, core.clock()));
  }

  /** The answer to a message: its ticket. */
  record Accepted(String ticketId) {}

  @Override
  protected HttpResponse serve(HttpRequest request) {
    if (request.routeKey().equals("POST /contact")) {
      return HttpResponse.json(
          202,
          new Accepted(
              contact.submit(JsonBody.read(request, ContactService.MESSAGE), request.requestId())));
    }
    String operator = request.operator();
    String ticketId = request.pathParameter("ticketId").orElseThrow(ApiException::notFound);
    return HttpResponse.ok(contact.read(ticketId, operator, request.requestId()));
  }
}
