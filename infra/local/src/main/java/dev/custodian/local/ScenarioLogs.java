package dev.custodian.local;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The log lines of a failing test's own scenario, attached to its failure.
 *
 * <p>The test command sends each test class's output (the functions' JSON logs, the local cloud's
 * lines) to a file under {@code target/}, so that the console shows results only. This extension,
 * registered for every test through JUnit's extension auto-detection (see the root {@code
 * pom.xml}), records what is written while each test runs and, when the test fails, adds the last
 * of those lines to the failure as a suppressed entry: the console then shows the log of that
 * scenario beside its stack trace, and nothing for tests that pass.
 */
public final class ScenarioLogs
    implements BeforeEachCallback,
        TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {

  /** The most lines shown with a failure: the end of the scenario is where it went wrong. */
  static final int SHOWN_LINES = 150;

  /** The longest line shown; stack frames and metric lines can be long. */
  static final int SHOWN_LINE_LENGTH = 400;

  /** What a test may write before the oldest lines are dropped (the last ones matter). */
  static final int KEPT_BYTES = 4 << 20;

  private static final Recorder RECORDER = new Recorder();

  private static PrintStream installedOut;
  private static PrintStream installedErr;

  @Override
  public void beforeEach(ExtensionContext context) {
    install();
    RECORDER.reset();
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    throw withLines(failure);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    throw withLines(failure);
  }

  @Override
  public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    throw withLines(failure);
  }

  /** The failure with the scenario's last lines attached, when there are any. */
  static Throwable withLines(Throwable failure) {
    List<String> lines = RECORDER.lastLines(SHOWN_LINES);
    if (!lines.isEmpty()
        && Arrays.stream(failure.getSuppressed()).noneMatch(s -> s instanceof Lines)) {
      failure.addSuppressed(new Lines(lines));
    }
    return failure;
  }

  /**
   * Puts the recorder between the process's streams and whatever they were. A test that swaps
   * {@code System.out} for its own capture and puts back what it found is covered from its next
   * test on.
   */
  private static synchronized void install() {
    if (System.out != installedOut) {
      installedOut = tee(System.out);
      System.setOut(installedOut);
    }
    if (System.err != installedErr) {
      installedErr = tee(System.err);
      System.setErr(installedErr);
    }
  }

  private static PrintStream tee(PrintStream console) {
    return new PrintStream(new Tee(console, RECORDER), true, StandardCharsets.UTF_8);
  }

  /** The lines written since the current test began, the newest {@link #KEPT_BYTES} of them. */
  static final class Recorder extends OutputStream {
    private ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean dropped;

    synchronized void reset() {
      bytes = new ByteArrayOutputStream();
      dropped = false;
    }

    @Override
    public synchronized void write(int b) {
      bytes.write(b);
      bound();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      bytes.write(b, off, len);
      bound();
    }

    private void bound() {
      if (bytes.size() > KEPT_BYTES) {
        byte[] all = bytes.toByteArray();
        bytes = new ByteArrayOutputStream();
        bytes.write(all, all.length - KEPT_BYTES / 2, KEPT_BYTES / 2);
        dropped = true;
      }
    }

    synchronized List<String> lastLines(int most) {
      List<String> lines =
          bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
      int from = Math.max(0, lines.size() - most);
      boolean cut = dropped || from > 0;
      List<String> shown =
          lines.subList(from, lines.size()).stream()
              .map(
                  line ->
                      line.length() > SHOWN_LINE_LENGTH
                          ? line.substring(0, SHOWN_LINE_LENGTH) + " …"
                          : line)
              .toList();
      if (shown.isEmpty() || !cut) {
        return shown;
      }
      return Stream.concat(
              Stream.of("(earlier lines are in the test's output file)"), shown.stream())
          .toList();
    }
  }

  /** The log lines of a failed test, shown by the console as a suppressed entry of the failure. */
  static final class Lines extends Throwable {
    Lines(List<String> lines) {
      super(
          "the log lines of this test ("
              + lines.size()
              + "):"
              + System.lineSeparator()
              + String.join(System.lineSeparator(), lines),
          null,
          false,
          false);
    }

    @Override
    public String toString() {
      return "Log: " + getMessage();
    }
  }
}
