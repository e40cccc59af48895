package dev.custodian.local;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/** Reads and writes AWS events as the Lambda runtime does, for handler unit tests. */
public final class LambdaEvents {

  private LambdaEvents() {}

  /** A sample event of {@code events/} as the runtime would hand it to a handler. */
  public static <T> T read(String name, Class<T> type) {
    try {
      return fromJson(Files.readString(ProjectFiles.event(name)), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T> T fromJson(String json, Class<T> type) {
    return LambdaEventSerializers.serializerFor(type, type.getClassLoader()).fromJson(json);
  }

  public static <T> String toJson(T value, Class<T> type) {
    PojoSerializer<T> serializer =
        LambdaEventSerializers.serializerFor(type, type.getClassLoader());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    serializer.toJson(value, out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
