package dev.custodian.core.validation;

import com.fasterxml.jackson.databind.JsonNode;

/** A rule for one JSON value; it adds what is wrong with the value to {@link Problems}. */
@FunctionalInterface
public interface Schema {

  void check(JsonNode value, String path, Problems problems);
}
