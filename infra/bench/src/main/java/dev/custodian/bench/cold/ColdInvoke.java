package dev.custodian.bench.cold;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cold-start probe, run in a fresh JVM beside one function jar: it creates the handler, reads
 * the sample event into the handler's event type, invokes it once and prints one line, {@code COLD
 * <classes loaded> <answer>}. The benchmark times the process from its start to that line. The same
 * probe runs the baseline handler, so both pay the same for the probe itself.
 */
public final class ColdInvoke {

  private static final Pattern HTTP_STATUS = Pattern.compile("^\\{\"statusCode\":(\\d+)");

  private ColdInvoke() {}

  public static void main(String[] args) throws Exception {
    Class<?> type = Class.forName(args[0]);
    Object handler = type.getDeclaredConstructor().newInstance();
    Method handle = handleRequest(type);
    if (handle.getParameterCount() == 3) {
      // a stream handler: the event's bytes in, the answer's bytes out
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      handle.invoke(
          handler,
          Files.newInputStream(Path.of(args[1])),
          out,
          context(type, handle.getParameterTypes()[2], args[0]));
      // an HTTP answer names its status first; anything else, its size
      Matcher status = HTTP_STATUS.matcher(out.toString(StandardCharsets.UTF_8));
      report(status.find() ? "status=" + status.group(1) : out.size() + " bytes");
      return;
    }
    ObjectMapper mapper =
        JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, true)
            .build();
    Object event =
        mapper.readValue(Files.readString(Path.of(args[1])), handle.getParameterTypes()[0]);
    Object result =
        handle.invoke(handler, event, context(type, handle.getParameterTypes()[1], args[0]));
    report(answer(result));
  }

  private static Object context(Class<?> type, Class<?> contextType, String name) {
    return Proxy.newProxyInstance(
        type.getClassLoader(),
        new Class<?>[] {contextType},
        (proxy, method, arguments) ->
            switch (method.getName()) {
              case "getAwsRequestId" -> "cold-start-probe";
              case "getFunctionName" -> name;
              case "getRemainingTimeInMillis" -> 60_000;
              case "getMemoryLimitInMB" -> 512;
              case "toString" -> "probe context";
              case "hashCode" -> 0;
              case "equals" -> proxy == arguments[0];
              default -> null;
            });
  }

  private static void report(String answer) {
    System.out.println(
        "COLD "
            + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount()
            + " "
            + answer);
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }

  /**
   * The method Lambda's runtime calls for {@code Class::handleRequest}: among the overloads, the
   * stream one ({@code InputStream, OutputStream, Context}) before {@code (event, Context)}, as the
   * runtime ranks longer signatures first.
   */
  private static Method handleRequest(Class<?> type) {
    Method event = null;
    for (Method method : type.getMethods()) {
      if (!method.getName().equals("handleRequest") || method.isBridge()) {
        continue;
      }
      Class<?>[] parameters = method.getParameterTypes();
      if (parameters.length == 3 && parameters[0] == InputStream.class) {
        return method;
      }
      if (parameters.length == 2) {
        event = method;
      }
    }
    if (event == null) {
      throw new IllegalArgumentException(type + " has no handleRequest(event, context)");
    }
    return event;
  }

  private static String answer(Object result) {
    if (result == null) {
      return "null";
    }
    try {
      return "status=" + result.getClass().getMethod("getStatusCode").invoke(result);
    } catch (ReflectiveOperationException notHttp) {
      return result.getClass().getSimpleName();
    }
  }
}
