package dev.custodian.local.iam;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS managed policies SAM attaches to a function's role, with their statements as AWS
 * publishes them (AWS Managed Policy Reference Guide, docs.aws.amazon.com/aws-managed-policy/
 * latest/reference/, current versions): SAM adds the basic execution role to every function, the
 * SQS poller role for an SQS event source and the stream reader role for a DynamoDB stream source.
 * Lambda itself uses the last two to poll; a function's own code needs none of them.
 */
public final class AwsManagedPolicies {

  private static final List<String> LOGS =
      List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents");

  private static final Map<String, List<Statement>> POLICIES =
      Map.of(
          // AWSLambdaBasicExecutionRole, version 1
          "AWSLambdaBasicExecutionRole",
          List.of(allowAll(LOGS)),
          // AWSLambdaSQSQueueExecutionRole, version 2
          "AWSLambdaSQSQueueExecutionRole",
          List.of(
              allowAll(
                  List.of(
                      "sqs:ReceiveMessage",
                      "sqs:DeleteMessage",
                      "sqs:GetQueueAttributes",
                      "logs:CreateLogGroup",
                      "logs:CreateLogStream",
                      "logs:PutLogEvents"))),
          // AWSLambdaDynamoDBExecutionRole, version 1
          "AWSLambdaDynamoDBExecutionRole",
          List.of(
              allowAll(
                  List.of(
                      "dynamodb:DescribeStream",
                      "dynamodb:GetRecords",
                      "dynamodb:GetShardIterator",
                      "dynamodb:ListStreams",
                      "logs:CreateLogGroup",
                      "logs:CreateLogStream",
                      "logs:PutLogEvents"))));

  private AwsManagedPolicies() {}

  /**
   * The statements of an AWS managed policy, by name or ARN ({@code
   * arn:aws:iam::aws:policy/service-role/NAME}); empty for one the table does not hold.
   */
  public static Optional<List<Statement>> statements(String nameOrArn) {
    String name = nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1);
    return Optional.ofNullable(POLICIES.get(name));
  }

  private static Statement allowAll(List<String> actions) {
    return new Statement(null, true, actions, false, List.of("*"), false, Map.of());
  }
}
