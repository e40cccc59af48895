package dev.custodian.core.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Where a sealed value lives: table, item key and attribute. It is bound into the ciphertext as
 * associated data, so a value copied to another item or attribute does not open.
 */
public record FieldAddress(String table, String itemKey, String attribute) {

  public FieldAddress {
    if (table == null || itemKey == null || attribute == null) {
      throw new IllegalArgumentException("table, itemKey and attribute are required");
    }
  }

  /** Length-prefixed, so no two different addresses give the same bytes. */
  byte[] associatedData(byte version) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(version);
    for (String part : new String[] {table, itemKey, attribute}) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      out.write(bytes.length >>> 24);
      out.write(bytes.length >>> 16);
      out.write(bytes.length >>> 8);
      out.write(bytes.length);
      out.write(bytes, 0, bytes.length);
    }
    return out.toByteArray();
  }
}
