package dev.custodian.local.emulator;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The AWS emulator the local cloud runs on, with one SDK client per service. */
public final class Emulator implements AutoCloseable {

  public static final String ACCESS_KEY_ID = "testing";
  public static final String SECRET_ACCESS_KEY = "testing";
  public static final String ACCOUNT_ID = "123456789012";

  private final URI endpoint;
  private final Region region;
  private final SdkHttpClient http = UrlConnectionHttpClient.create();
  private final DynamoDbClient dynamoDb;
  private final KmsClient kms;
  private final SqsClient sqs;
  private final SesV2Client ses;

  public Emulator(URI endpoint, Region region) {
    this.endpoint = endpoint;
    this.region = region;
    this.dynamoDb = build(DynamoDbClient.builder());
    this.kms = build(KmsClient.builder());
    this.sqs = build(SqsClient.builder());
    this.ses = build(SesV2Client.builder());
  }

  private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder) {
    return builder
        .region(region)
        .endpointOverride(endpoint)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
        .httpClient(http)
        .build();
  }

  public URI endpoint() {
    return endpoint;
  }

  public Region region() {
    return region;
  }

  public DynamoDbClient dynamoDb() {
    return dynamoDb;
  }

  public KmsClient kms() {
    return kms;
  }

  public SqsClient sqs() {
    return sqs;
  }

  public SesV2Client ses() {
    return ses;
  }

  @Override
  public void close() {
    dynamoDb.close();
    kms.close();
    sqs.close();
    ses.close();
    http.close();
  }
}
