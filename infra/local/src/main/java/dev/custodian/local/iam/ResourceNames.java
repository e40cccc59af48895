package dev.custodian.local.iam;

import java.util.Optional;

/** What the call reader needs to know of the deployed resources to name them by ARN. */
public interface ResourceNames {

  /** A table's ARN, from its name (or its ARN, which is kept). */
  String tableArn(String tableNameOrArn);

  /** The partition key attribute of a table, by ARN, if the table is known. */
  Optional<String> partitionKey(String tableArn);

  /** A queue's ARN, from its URL. */
  String queueArn(String queueUrl);

  /** A queue's ARN, from its name. */
  String queueArnByName(String queueName);

  /** The ARN of the key a key id, key ARN, alias name or alias ARN designates. */
  String keyArn(String keyIdOrAlias);

  /** The ARN of an SES identity (an address or a domain). */
  String emailIdentityArn(String identity);

  /** The ARN of an SES configuration set. */
  String configurationSetArn(String name);

  /** The account the resources live in. */
  String account();
}
