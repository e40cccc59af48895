package dev.custodian.core.processing;

import java.util.List;

/**
 * One function's reach into one table, as its IAM role in the template grants it, with the purposes
 * the function declares ({@code Metadata: Purposes}).
 *
 * @param keyPrefixes the partition keys the grants are limited to; empty for the whole table
 */
public record FunctionAccess(
    String function,
    List<String> purposes,
    String table,
    boolean reads,
    boolean writes,
    List<String> keyPrefixes) {

  public FunctionAccess {
    purposes = List.copyOf(purposes);
    keyPrefixes = List.copyOf(keyPrefixes);
  }
}
