package dev.custodian.privacy.requests;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.crypto.FieldAddress;
import dev.custodian.core.crypto.FieldSealer;
import dev.custodian.core.crypto.RequestKeys;
import dev.custodian.core.crypto.SubjectErasedException;
import dev.custodian.core.dynamo.BatchReader;
import dev.custodian.core.dynamo.BatchWriter;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.RetentionRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The exports table's layout. An export is a manifest item {@code export#<requestId>} and, when it
 * does not fit one item, parts {@code export#<requestId>#<generation>#<n>} of at most {@value
 * #PART_BYTES} bytes each (DynamoDB items end at 400 KB). A small export is held whole in its
 * manifest. The manifest is published last, once, in the transaction that completes the request: an
 * export that exists is complete, and its request is too. Every part is sealed at its own address,
 * under the subject's key (or, for an address that is not known, a key of the request's own that
 * KMS wraps), so erasing the subject shreds every part at once; all expire with the export's
 * retention.
 */
final class ExportStore {

  static final int PART_BYTES = 350_000;
  private static final String LOGICAL_TABLE = "exports";
  private static final String BUNDLE = "bundle";

  private final PrivacyCore core;
  private final String table;
  private final RequestKeys requestKeys;

  ExportStore(PrivacyCore core, String table, RequestKeys requestKeys) {
    this.core = core;
    this.table = table;
    this.requestKeys = requestKeys;
  }

  /**
   * One page of an export, as JSON, with its number, the number of pages and the subject it was
   * sealed for (null for an address that was not known).
   */
  record Page(String json, int page, int pages, String subjectId) {}

  /** How long the export is kept, from when it is written. */
  AttributeValue expiresAt(Instant now) {
    return core.retention().expiresAtAttribute(DataClass.EXPORT, now);
  }

  /**
   * An export written but not yet published: its parts are in the table (under a generation of
   * their own, so that two deliveries of one request never write over each other's parts), its
   * manifest is for the caller to put, conditionally, in the transaction that completes the
   * request; {@link #discard} deletes the parts when that transaction does not commit.
   */
  record Written(
      Map<String, AttributeValue> manifest,
      List<Map<String, AttributeValue>> partKeys,
      Instant availableUntil,
      int pages) {

    /** The conditional put of the manifest: an export is published once. */
    TransactWriteItem publish(String table) {
      return TransactWriteItem.builder()
          .put(
              p ->
                  p.tableName(table).item(manifest).conditionExpression("attribute_not_exists(pk)"))
          .build();
    }
  }

  /** Seals and stores the parts of a request's export (see {@link Written}). */
  Written write(String requestId, String subjectId, List<String> pages, Instant now) {
    String pk = manifestKey(requestId);
    String generation = HexFormat.of().formatHex(RequestItems.randomBytes(6));
    AttributeValue expiresAt = expiresAt(now);
    Map<String, AttributeValue> manifest = new HashMap<>();
    manifest.put("pk", AttributeValue.fromS(pk));
    manifest.put("createdAt", AttributeValue.fromS(now.toString()));
    manifest.put(RetentionRegistry.EXPIRES_AT, expiresAt);
    Sealer sealer;
    if (subjectId != null) {
      manifest.put("subjectId", AttributeValue.fromS(subjectId));
      sealer = (address, text) -> core.keyring().seal(subjectId, address, text);
    } else {
      // No subject, so no subject key: the export gets a key of its own, wrapped by KMS.
      RequestKeys.NewKey key = requestKeys.generate(requestId);
      manifest.put("wrappedKey", AttributeValue.fromB(SdkBytes.fromByteArray(key.wrapped())));
      sealer =
          (address, text) ->
              AttributeValue.fromB(
                  SdkBytes.fromByteArrayUnsafe(
                      FieldSealer.seal(key.key(), address, text.getBytes(StandardCharsets.UTF_8))));
    }
    List<List<String>> chunks = pages.stream().map(ExportStore::split).toList();
    List<Map<String, AttributeValue>> parts = new ArrayList<>();
    if (chunks.size() == 1 && chunks.get(0).size() == 1) {
      manifest.put(BUNDLE, sealer.seal(new FieldAddress(LOGICAL_TABLE, pk, BUNDLE), pages.get(0)));
    } else {
      List<AttributeValue> pageParts = new ArrayList<>();
      for (List<String> page : chunks) {
        pageParts.add(AttributeValue.fromN(Integer.toString(page.size())));
        for (String chunk : page) {
          String partPk = partKey(requestId, generation, parts.size());
          parts.add(
              Map.of(
                  "pk",
                  AttributeValue.fromS(partPk),
                  BUNDLE,
                  sealer.seal(new FieldAddress(LOGICAL_TABLE, partPk, BUNDLE), chunk),
                  RetentionRegistry.EXPIRES_AT,
                  expiresAt));
        }
      }
      new BatchWriter(core.dynamoDb()).putAll(table, parts);
      manifest.put("generation", AttributeValue.fromS(generation));
      manifest.put("pageParts", AttributeValue.fromL(pageParts));
      manifest.put("partCount", AttributeValue.fromN(Integer.toString(parts.size())));
    }
    return new Written(
        manifest,
        parts.stream().map(p -> Map.of("pk", p.get("pk"))).toList(),
        Instant.ofEpochSecond(Long.parseLong(expiresAt.n())),
        pages.size());
  }

  /** Deletes the parts of an export that was not published. */
  void discard(Written written) {
    new BatchWriter(core.dynamoDb()).deleteAll(table, written.partKeys());
  }

  /**
   * A page of a request's export, opened; not found when there is none, the page is past the last,
   * it has expired, or the subject has been erased since.
   */
  Page read(String requestId, int page) {
    Instant now = core.clock().instant();
    String pk = manifestKey(requestId);
    Map<String, AttributeValue> manifest =
        core.liveItem(table, Map.of("pk", AttributeValue.fromS(pk)))
            .orElseThrow(ApiException::notFound);
    String subjectId = subjectOf(manifest);
    if (subjectId != null && !core.keyring().isHeld(subjectId)) {
      // erased since: a key still cached in this container must not open what it sealed
      throw ApiException.notFound();
    }
    Opener opener = openerOf(requestId, manifest);
    try {
      if (manifest.containsKey(BUNDLE)) {
        if (page != 1) {
          throw ApiException.notFound();
        }
        return new Page(
            opener.open(new FieldAddress(LOGICAL_TABLE, pk, BUNDLE), manifest.get(BUNDLE)),
            1,
            1,
            subjectOf(manifest));
      }
      List<AttributeValue> pageParts = manifest.get("pageParts").l();
      if (page > pageParts.size()) {
        throw ApiException.notFound();
      }
      int first = 0;
      for (int i = 0; i < page - 1; i++) {
        first += Integer.parseInt(pageParts.get(i).n());
      }
      int count = Integer.parseInt(pageParts.get(page - 1).n());
      String generation = manifest.get("generation").s();
      List<Map<String, AttributeValue>> keys = new ArrayList<>();
      for (int n = first; n < first + count; n++) {
        keys.add(Map.of("pk", AttributeValue.fromS(partKey(requestId, generation, n))));
      }
      List<Map<String, AttributeValue>> parts =
          RetentionRegistry.liveOnly(new BatchReader(core.dynamoDb()).getAll(table, keys), now);
      if (parts.size() != count) {
        throw ApiException.notFound(); // expired meanwhile: the export is gone
      }
      StringBuilder json = new StringBuilder();
      parts.stream()
          .sorted(Comparator.comparingInt(p -> partNumber(p.get("pk").s())))
          .forEach(
              p ->
                  json.append(
                      opener.open(
                          new FieldAddress(LOGICAL_TABLE, p.get("pk").s(), BUNDLE),
                          p.get(BUNDLE))));
      return new Page(json.toString(), page, pageParts.size(), subjectOf(manifest));
    } catch (SubjectErasedException gone) {
      throw ApiException.notFound();
    }
  }

  /** The subject an export was sealed for; null for an address that was not known. */
  static String subjectOf(Map<String, AttributeValue> manifest) {
    return RequestItems.s(manifest, "subjectId");
  }

  private Opener openerOf(String requestId, Map<String, AttributeValue> manifest) {
    String subjectId = subjectOf(manifest);
    if (subjectId != null) {
      return (address, value) -> core.keyring().open(subjectId, address, value);
    }
    SecretKey key = requestKeys.unwrap(requestId, manifest.get("wrappedKey").b());
    return (address, value) ->
        new String(FieldSealer.open(key, address, value.b().asByteArray()), StandardCharsets.UTF_8);
  }

  static String manifestKey(String requestId) {
    return "export#" + requestId;
  }

  /** A part's key: the manifest's, its generation and its number. */
  static String partKey(String requestId, String generation, int n) {
    return manifestKey(requestId) + "#" + generation + "#" + n;
  }

  private static int partNumber(String partPk) {
    return Integer.parseInt(partPk.substring(partPk.lastIndexOf('#') + 1));
  }

  /**
   * Cuts a text into pieces of at most {@value #PART_BYTES} bytes of UTF-8, never inside a
   * character.
   */
  static List<String> split(String text) {
    List<String> pieces = new ArrayList<>();
    int start = 0;
    int bytes = 0;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      int width = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
      if (bytes + width > PART_BYTES) {
        pieces.add(text.substring(start, i));
        start = i;
        bytes = 0;
      }
      bytes += width;
      i += Character.charCount(codePoint);
    }
    pieces.add(text.substring(start));
    return pieces;
  }

  @FunctionalInterface
  private interface Sealer {
    AttributeValue seal(FieldAddress address, String text);
  }

  @FunctionalInterface
  private interface Opener {
    String open(FieldAddress address, AttributeValue value);
  }
}
