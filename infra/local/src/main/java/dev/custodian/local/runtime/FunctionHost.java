package dev.custodian.local.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one function as Lambda would: each container is a fresh class loader over the function's
 * packaged jar with one handler instance, serving one invocation at a time. Containers are created
 * on demand up to a limit and reused while warm, so concurrency and cold starts behave as in AWS.
 */
public final class FunctionHost implements AutoCloseable {

  /** The function failed: an exception, a timeout or an init error (as Lambda reports them). */
  public static class InvocationFailed extends Exception {
    InvocationFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Thrown for a synchronous invocation past the function's reserved concurrency, as Lambda's 429.
   */
  public static final class Throttled extends InvocationFailed {
    Throttled(String message) {
      super(message, null);
    }
  }

  private static final String ENVIRONMENT_HOOK = "dev.custodian.core.config.RuntimeEnvironment";

  /** Lambda's limit on a synchronous invocation's response (6 MB). */
  static final int MAX_RESPONSE_BYTES = 6_291_556;

  private static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private final FunctionSpec spec;
  private final String arn;
  private final ClassLoader parent;
  private final Semaphore permits;
  private final ConcurrentLinkedDeque<Container> idle = new ConcurrentLinkedDeque<>();
  private final ExecutorService threads;
  private volatile int coldStarts;
  private volatile Report lastReport;

  public FunctionHost(FunctionSpec spec, String arn, int maxContainers) {
    this.spec = spec;
    this.arn = arn;
    this.parent = new RuntimeApiClassLoader(FunctionHost.class.getClassLoader());
    // Reserved concurrency caps the containers; without it the local limit stands in for the
    // account's (far larger) concurrency.
    this.permits =
        new Semaphore(
            spec.reservedConcurrency() == null
                ? maxContainers
                : Math.min(maxContainers, spec.reservedConcurrency()),
            true);
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fn-" + spec.logicalId());
              t.setDaemon(true);
              return t;
            });
    if (!Files.exists(spec.code())) {
      throw new IllegalStateException(
          "Function "
              + spec.logicalId()
              + " has no code at "
              + spec.code()
              + ": build it first (mvn package)");
    }
  }

  public FunctionSpec spec() {
    return spec;
  }

  public int coldStarts() {
    return coldStarts;
  }

  /**
   * What Lambda's {@code REPORT} line says of an invocation: its duration, timed on the container's
   * thread from the event's JSON to the answer's (as Lambda times it, without this host's hand-over
   * between threads), and here also the CPU time that thread used meanwhile.
   */
  public record Report(double durationMillis, double cpuMillis) {}

  /** The last invocation's report, or null before the first. */
  public Report lastReport() {
    return lastReport;
  }

  /**
   * Invokes the function synchronously (API Gateway, Invoke): past the function's reserved
   * concurrency the call is throttled at once, as Lambda does, instead of waiting.
   */
  public String invokeSync(String eventJson, String requestId) throws InvocationFailed {
    if (spec.reservedConcurrency() != null) {
      if (!permits.tryAcquire()) {
        throw new Throttled(
            "Rate Exceeded (reserved concurrency " + spec.reservedConcurrency() + ")");
      }
      return invokeHolding(eventJson, requestId);
    }
    return invoke(eventJson, requestId);
  }

  /**
   * Invokes the function with an event, waiting for a container (event source pollers: Lambda polls
   * no faster than the function's concurrency allows); returns its response JSON.
   */
  public String invoke(String eventJson, String requestId) throws InvocationFailed {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InvocationFailed("interrupted", e);
    }
    return invokeHolding(eventJson, requestId);
  }

  private String invokeHolding(String eventJson, String requestId) throws InvocationFailed {
    Container container = null;
    boolean healthy = false;
    try {
      container = idle.pollFirst();
      if (container == null) {
        container = startContainer();
      }
      Container running = container;
      Future<String> result =
          threads.submit(
              () -> {
                long start = System.nanoTime();
                long cpu = CPU.getCurrentThreadCpuTime();
                try {
                  return running.invoke(eventJson, new LocalContext(spec, requestId, arn));
                } finally {
                  lastReport =
                      new Report(
                          (System.nanoTime() - start) / 1e6,
                          (CPU.getCurrentThreadCpuTime() - cpu) / 1e6);
                }
              });
      try {
        String response = result.get(spec.timeoutSeconds(), TimeUnit.SECONDS);
        healthy = true;
        int size = response.getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_RESPONSE_BYTES) {
          throw new InvocationFailed(
              "Response payload size ("
                  + size
                  + " bytes) exceeded maximum allowed payload size ("
                  + MAX_RESPONSE_BYTES
                  + " bytes).",
              null);
        }
        return response;
      } catch (TimeoutException e) {
        result.cancel(true);
        throw new InvocationFailed(
            "Task timed out after " + spec.timeoutSeconds() + " seconds", null);
      } catch (ExecutionException e) {
        // The container survives a handler exception, as in Lambda.
        healthy = true;
        throw new InvocationFailed("The function threw", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InvocationFailed("interrupted", e);
      }
    } finally {
      if (container != null && healthy) {
        idle.addFirst(container);
      }
      permits.release();
    }
  }

  private Container startContainer() throws InvocationFailed {
    Thread current = Thread.currentThread();
    ClassLoader previous = current.getContextClassLoader();
    try {
      URLClassLoader loader =
          new URLClassLoader(
              "function-" + spec.logicalId(), new URL[] {spec.code().toUri().toURL()}, parent);
      current.setContextClassLoader(loader);
      installEnvironment(loader, spec.environment());
      String[] handler = spec.handler().split("::", 2);
      Class<?> type = Class.forName(handler[0], true, loader);
      Object instance = type.getDeclaredConstructor().newInstance();
      coldStarts++;
      return new Container(loader, instance);
    } catch (InvocationTargetException e) {
      throw new InvocationFailed("Init error in " + spec.logicalId(), e.getCause());
    } catch (ReflectiveOperationException | IOException | LinkageError e) {
      throw new InvocationFailed("Init error in " + spec.logicalId(), e);
    } finally {
      current.setContextClassLoader(previous);
    }
  }

  private static void installEnvironment(ClassLoader loader, Map<String, String> environment)
      throws ReflectiveOperationException {
    Class<?> hook;
    try {
      hook = Class.forName(ENVIRONMENT_HOOK, true, loader);
    } catch (ClassNotFoundException notACustodianFunction) {
      return;
    }
    hook.getMethod("install", Map.class).invoke(null, environment);
  }

  /** Drops the idle containers, so the next invocation starts a fresh one (a cold start). */
  public void discardIdle() {
    for (Container container = idle.poll(); container != null; container = idle.poll()) {
      container.close();
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
    for (Container container = idle.poll(); container != null; container = idle.poll()) {
      container.close();
    }
  }

  /** One warm container: a class loader and a handler instance. */
  private static final class Container {
    private final URLClassLoader loader;
    private final Object handler;
    private final PojoSerializer<Object> input;
    private final PojoSerializer<Object> output;

    Container(URLClassLoader loader, Object handler) {
      this.loader = loader;
      this.handler = handler;
      if (handler instanceof RequestStreamHandler) {
        this.input = null;
        this.output = null;
      } else if (handler instanceof RequestHandler<?, ?>) {
        Type[] types = handlerTypes(handler.getClass());
        this.input = serializer(types[0], loader);
        this.output = serializer(types[1], loader);
      } else {
        throw new IllegalStateException(
            handler.getClass().getName()
                + " implements neither RequestHandler nor RequestStreamHandler");
      }
    }

    @SuppressWarnings("unchecked")
    public String invoke(String eventJson, Context context) throws IOException {
      Thread current = Thread.currentThread();
      ClassLoader previous = current.getContextClassLoader();
      current.setContextClassLoader(loader);
      try {
        if (handler instanceof RequestStreamHandler stream) {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          stream.handleRequest(
              new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)), out, context);
          return out.toString(StandardCharsets.UTF_8);
        }
        Object event = input.fromJson(eventJson);
        Object result = ((RequestHandler<Object, Object>) handler).handleRequest(event, context);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        output.toJson(result, out);
        return out.toString(StandardCharsets.UTF_8);
      } finally {
        current.setContextClassLoader(previous);
      }
    }

    void close() {
      try {
        loader.close();
      } catch (IOException ignored) {
        // the jar stays open until the JVM ends; nothing else to do
      }
    }

    private static Type[] handlerTypes(Class<?> type) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        for (Type t : c.getGenericInterfaces()) {
          if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
            return p.getActualTypeArguments();
          }
        }
      }
      throw new IllegalStateException("Cannot read the event types of " + type.getName());
    }

    /** As the Lambda runtime chooses: its own serialisers for AWS events, Jackson otherwise. */
    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Type type, ClassLoader loader) {
      if (type instanceof Class<?> c
          && LambdaEventSerializers.isLambdaSupportedEvent(c.getName())) {
        return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(c, loader);
      }
      return (PojoSerializer<Object>) JacksonFactory.getInstance().getSerializer(type);
    }
  }
}
