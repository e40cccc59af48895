package dev.custodian.bench;

import static dev.custodian.bench.SampleEvents.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.local.LocalCloud;
import java.io.IOException;

/**
 * Invoking a served function in-process and holding it to the status it should answer: a figure
 * taken on a failing request would time the error path, so a wrong status stops the run.
 */
final class FunctionCalls {

  private FunctionCalls() {}

  static void invoke(LocalCloud cloud, String logicalId, String event, int status) {
    answer(cloud.invoke(logicalId, event), status);
  }

  /** The function's answer body, once its status is the expected one. */
  static JsonNode answer(String responseJson, int status) {
    try {
      JsonNode response = JSON.readTree(responseJson);
      if (response.path("statusCode").asInt() != status) {
        throw new IllegalStateException(
            "expected " + status + ", the function answered " + response.path("statusCode"));
      }
      String body = response.path("body").asText("");
      return body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable answer", e);
    }
  }

  /** The deployed name of a function: what the proxy counts its AWS calls under. */
  static String deployedName(LocalCloud cloud, String logicalId) {
    return cloud.function(logicalId).name();
  }
}
