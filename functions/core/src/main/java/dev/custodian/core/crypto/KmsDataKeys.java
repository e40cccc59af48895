package dev.custodian.core.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.aws.SignedJsonCall;
import dev.custodian.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * KMS's two data-key operations, {@code GenerateDataKey} (AES-256) and {@code Decrypt}, each bound
 * to an encryption context: all that the functions ask of KMS. They go out as signed JSON calls
 * ({@link SignedJsonCall}), without the SDK's KMS client, whose model classes, endpoint rules and
 * interceptors every function that seals data would otherwise load on its cold start
 * (docs/benchmarks.md). The calls, their IAM actions and their retries are the SDK client's.
 */
public final class KmsDataKeys {

  /** A data key in clear (for this container's memory only) and wrapped by KMS (to store). */
  public record DataKey(byte[] plaintext, byte[] wrapped) {}

  private static final Map<String, String> GENERATE =
      Map.of(
          "Content-Type",
          "application/x-amz-json-1.1",
          "X-Amz-Target",
          "TrentService.GenerateDataKey");
  private static final Map<String, String> DECRYPT =
      Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", "TrentService.Decrypt");

  private final SignedJsonCall call;

  public KmsDataKeys(AwsClients clients, String caller) {
    this.call = new SignedJsonCall(clients, "kms", "kms", caller);
  }

  /** A new AES-256 data key under {@code keyId}, bound to {@code context}. */
  public DataKey generate(String keyId, Map<String, String> context) {
    ObjectNode request = request(keyId, context);
    request.put("KeySpec", "AES_256");
    JsonNode answer = post(GENERATE, request);
    return new DataKey(bytes(answer, "Plaintext"), bytes(answer, "CiphertextBlob"));
  }

  /**
   * The data key wrapped as {@code wrapped}, which opens only with the context it was made with.
   */
  public byte[] decrypt(String keyId, byte[] wrapped, Map<String, String> context) {
    ObjectNode request = request(keyId, context);
    request.put("CiphertextBlob", Base64.getEncoder().encodeToString(wrapped));
    return bytes(post(DECRYPT, request), "Plaintext");
  }

  private static ObjectNode request(String keyId, Map<String, String> context) {
    ObjectNode request = Json.MAPPER.createObjectNode();
    request.put("KeyId", keyId);
    ObjectNode encryptionContext = request.putObject("EncryptionContext");
    context.forEach(encryptionContext::put);
    return request;
  }

  private JsonNode post(Map<String, String> headers, ObjectNode request) {
    byte[] answer =
        call.postRetrying("/", headers, Json.write(request).getBytes(StandardCharsets.UTF_8));
    try {
      return Json.MAPPER.readTree(answer);
    } catch (IOException e) {
      throw new UncheckedIOException("KMS answered something other than JSON", e);
    }
  }

  private static byte[] bytes(JsonNode answer, String field) {
    JsonNode value = answer.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalStateException("KMS's answer has no " + field);
    }
    return Base64.getDecoder().decode(value.asText());
  }
}
