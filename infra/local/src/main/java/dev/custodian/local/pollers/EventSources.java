package dev.custodian.local.pollers;

import dev.custodian.local.iam.IamGate;
import dev.custodian.local.runtime.FunctionHost;
import dev.custodian.local.runtime.FunctionSpec;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Lambda's event source mappings of the served functions: a {@link QueuePoller} per SQS source and
 * a {@link StreamPoller} per DynamoDB stream source, and the waits tests use to see them done.
 */
public final class EventSources implements AutoCloseable {

  private final URI endpoint;
  private final SqsClient sqs;
  private final UnaryOperator<String> queueUrlForArn;
  private final String region;
  private final IamGate iam;
  private final List<QueuePoller> queues = new ArrayList<>();
  private final List<StreamPoller> streams = new ArrayList<>();

  /**
   * @param endpoint the emulator, whose streams API the stream pollers read
   * @param queueUrlForArn the local URL of a queue the template names by ARN
   */
  public EventSources(
      URI endpoint,
      SqsClient sqs,
      UnaryOperator<String> queueUrlForArn,
      String region,
      IamGate iam) {
    this.endpoint = endpoint;
    this.sqs = sqs;
    this.queueUrlForArn = queueUrlForArn;
    this.region = region;
    this.iam = iam;
  }

  /** Adds a poller for each event source of the function {@code host} serves. */
  public void attach(FunctionHost host) {
    for (FunctionSpec.StreamSource source : host.spec().streams()) {
      streams.add(new StreamPoller(endpoint, region, host, source, iam));
    }
    for (FunctionSpec.QueueSource source : host.spec().queues()) {
      queues.add(
          new QueuePoller(sqs, host, source, queueUrlForArn.apply(source.queueArn()), region, iam));
    }
  }

  public void start() {
    queues.forEach(QueuePoller::start);
    streams.forEach(StreamPoller::start);
  }

  /** Every message body the pollers delivered from the queue at {@code queueUrl}, oldest first. */
  public List<String> delivered(String queueUrl) {
    List<String> out = new ArrayList<>();
    for (QueuePoller poller : queues) {
      if (poller.queueUrl().equals(queueUrl)) {
        out.addAll(poller.delivered());
      }
    }
    return out;
  }

  /**
   * Waits until every stream consumer has handled what its stream held when called. False if that
   * took longer than the timeout.
   */
  public boolean awaitStreams(Duration timeout) {
    long since = System.nanoTime();
    // an idle poller reads again at once instead of at the end of its backoff
    streams.forEach(StreamPoller::nudge);
    return waitFor(timeout, 1, () -> streams.stream().allMatch(p -> p.caughtUpSince(since)));
  }

  /**
   * Waits until every queue consumer is idle (nothing waiting or in flight, no batch in its
   * function), twice in a row; false when that did not happen within the timeout.
   */
  public boolean awaitQueues(Duration timeout) {
    return waitFor(timeout, 2, () -> queues.stream().allMatch(QueuePoller::idle));
  }

  /** The largest iterator age of the stream consumers (Lambda's {@code IteratorAge}), in ms. */
  public long streamIteratorAgeMillis() {
    return streams.stream().mapToLong(StreamPoller::iteratorAgeMillis).max().orElse(0);
  }

  /** Pauses (or resumes) every stream consumer: records wait in their streams meanwhile. */
  public void pauseStreams(boolean paused) {
    streams.forEach(p -> p.pause(paused));
  }

  /** Polls {@code done} every 50 ms until it holds {@code times} checks in a row. */
  private static boolean waitFor(Duration timeout, int times, BooleanSupplier done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int inARow = 0;
    while (System.nanoTime() - deadline < 0) {
      inARow = done.getAsBoolean() ? inARow + 1 : 0;
      if (inARow == times) {
        return true;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  @Override
  public void close() {
    queues.forEach(QueuePoller::close);
    streams.forEach(StreamPoller::close);
  }
}
