package dev.custodian.core.subjects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.core.crypto.FieldAddress;
import dev.custodian.core.crypto.FieldSealer;
import dev.custodian.core.crypto.SubjectErasedException;
import dev.custodian.core.crypto.SubjectKeyring;
import dev.custodian.core.testing.CoreFixture;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * Subject keys, sealed fields, blind indexes and crypto-shredding against moto
 * (docs/privacy.md#keys).
 */
class SubjectKeysIT {

  private static String email() {
    return "Person." + UUID.randomUUID() + "@Example.COM ";
  }

  private static FieldAddress at(String item, String attribute) {
    return new FieldAddress("test-orders", item, attribute);
  }

  @Test
  void sealedValuesInTheTables_holdNoPlaintext() {
    CoreFixture core = new CoreFixture();
    String canary = "canary-" + UUID.randomUUID();
    String subject = core.directory.findOrCreateByEmail(email()).subjectId();
    core.admin.putItem(
        b ->
            b.tableName(core.subjectsTable)
                .item(
                    Map.of(
                        "pk", AttributeValue.fromS("test#" + canary.hashCode()),
                        "name", core.keyring.seal(subject, at("x", "name"), canary))));

    String everything =
        core.admin.scan(b -> b.tableName(core.subjectsTable)).items().toString()
            + core.admin.scan(b -> b.tableName(core.subjectsTable)).items().stream()
                .flatMap(i -> i.values().stream())
                .filter(v -> v.b() != null)
                .map(v -> new String(v.b().asByteArray(), StandardCharsets.ISO_8859_1))
                .reduce("", String::concat);

    assertThat(everything).doesNotContain(canary).doesNotContain("example.com");
  }

  @Test
  void aSealedValueMovedToAnotherItemOrAttribute_doesNotOpen() {
    CoreFixture core = new CoreFixture();
    String subject = core.directory.findOrCreateByEmail(email()).subjectId();
    AttributeValue sealed = core.keyring.seal(subject, at("order#1", "email"), "a@b.example");

    assertThat(core.keyring.open(subject, at("order#1", "email"), sealed)).isEqualTo("a@b.example");
    assertThatThrownBy(() -> core.keyring.open(subject, at("order#2", "email"), sealed))
        .isInstanceOf(FieldSealer.SealBrokenException.class);
    assertThatThrownBy(() -> core.keyring.open(subject, at("order#1", "name"), sealed))
        .isInstanceOf(FieldSealer.SealBrokenException.class);
  }

  @Test
  void kmsRefusesToUnwrapAKey_underAnotherSubjectsEncryptionContext() {
    CoreFixture core = new CoreFixture();
    String subject = core.directory.findOrCreateByEmail(email()).subjectId();
    SdkBytes wrapped =
        core.dynamoDb
            .getItem(
                b ->
                    b.tableName(core.subjectsTable)
                        .key(Map.of("pk", AttributeValue.fromS(SubjectKeyring.itemKey(subject)))))
            .item()
            .get(SubjectKeyring.WRAPPED_KEY)
            .b();

    assertThatThrownBy(
            () ->
                core.kms.decrypt(
                    b ->
                        b.ciphertextBlob(wrapped)
                            .keyId(core.keyId)
                            .encryptionContext(
                                Map.of("purpose", "subject-data", "subjectId", "s_someone_else"))))
        .isInstanceOf(KmsException.class);
  }

  @Test
  void kmsCalls_areAtMostOnePerSubjectPerContainer_plusOneForTheIndexSecret() {
    CoreFixture core = new CoreFixture();
    List<String> subjects = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      subjects.add(core.directory.findOrCreateByEmail(email()).subjectId());
    }
    Map<String, AttributeValue> sealed = new HashMap<>();
    for (int i = 0; i < 500; i++) {
      String subject = subjects.get(i % 100);
      sealed.put(subject + "#" + i, core.keyring.seal(subject, at("o" + i, "name"), "n" + i));
    }
    for (int i = 0; i < 500; i++) {
      String subject = subjects.get(i % 100);
      assertThat(core.keyring.open(subject, at("o" + i, "name"), sealed.get(subject + "#" + i)))
          .isEqualTo("n" + i);
    }
    // 100 subjects created, 1,000 seals and opens: a data key per subject, one index secret.
    int creating = core.kmsCalls();
    System.out.printf(
        "KMS calls, 100 new subjects + 1,000 seals/opens in one container: %d (%s)%n",
        creating, core.kmsOperations());
    assertThat(creating).isLessThanOrEqualTo(101);

    // A fresh container opening the same 500 values: one Decrypt per subject + the index secret.
    CoreFixture fresh = new CoreFixture();
    fresh.directory.findByEmail(email());
    for (int i = 0; i < 500; i++) {
      String subject = subjects.get(i % 100);
      fresh.keyring.open(subject, at("o" + i, "name"), sealed.get(subject + "#" + i));
    }
    System.out.printf(
        "KMS calls, 500 opens for 100 subjects in a fresh container: %d%n", fresh.kmsCalls());
    assertThat(fresh.kmsCalls()).isLessThanOrEqualTo(101);
  }

  @Test
  void shredding_makesEveryValueOfTheSubjectUnopenable_andLeavesOthersAlone() {
    CoreFixture core = new CoreFixture();
    CoreFixture eraser = new CoreFixture("ErasureWorkerFunction");
    String email = email();
    String erased = core.directory.findOrCreateByEmail(email).subjectId();
    String kept = core.directory.findOrCreateByEmail(email()).subjectId();
    AttributeValue erasedValue = core.keyring.seal(erased, at("o1", "name"), "Erased Person");
    AttributeValue keptValue = core.keyring.seal(kept, at("o2", "name"), "Kept Person");

    eraser.directory.shred(erased);

    // (A warm container that unwrapped the key before keeps it until its cache entry expires.)
    assertThatThrownBy(() -> eraser.keyring.open(erased, at("o1", "name"), erasedValue))
        .isInstanceOf(SubjectErasedException.class);
    CoreFixture otherContainer = new CoreFixture();
    assertThatThrownBy(() -> otherContainer.keyring.open(erased, at("o1", "name"), erasedValue))
        .isInstanceOf(SubjectErasedException.class);
    assertThat(otherContainer.keyring.open(kept, at("o2", "name"), keptValue))
        .isEqualTo("Kept Person");
    assertThat(core.directory.findByEmail(email)).isEmpty();
    eraser.directory.shred(erased); // idempotent
  }

  @Test
  void aReturningEmail_resolvesWithoutARead_andItsCheckFailsOnceTheSubjectIsErased() {
    CoreFixture core = new CoreFixture();
    CoreFixture eraser = new CoreFixture("ErasureWorkerFunction");
    String email = email();
    SubjectDirectory.Resolved first = core.directory.resolveEmail(email);
    core.calls.reset();
    SubjectDirectory.Resolved again = core.directory.resolveEmail(email);

    assertThat(again.subjectId()).isEqualTo(first.subjectId());
    assertThat(core.calls.count("GetItem")).isZero();
    core.dynamoDb.transactWriteItems(b -> b.transactItems(again.stillCurrent()));

    eraser.directory.shred(first.subjectId());
    SubjectDirectory.Resolved stale = core.directory.resolveEmail(email);
    assertThat(stale.subjectId()).isEqualTo(first.subjectId()); // still remembered here
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> core.dynamoDb.transactWriteItems(b -> b.transactItems(stale.stillCurrent())))
        .isInstanceOf(
            software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException.class);

    core.directory.forgetEmail(email);
    SubjectDirectory.Resolved fresh = core.directory.resolveEmail(email);
    assertThat(fresh.subjectId()).isNotEqualTo(first.subjectId());
    core.dynamoDb.transactWriteItems(b -> b.transactItems(fresh.stillCurrent()));
  }

  @Test
  void emailsAreFound_normalised_andAccountsAreSeparateSubjects() {
    CoreFixture core = new CoreFixture();
    String id = UUID.randomUUID().toString();
    String subject =
        core.directory.findOrCreateByEmail("  Mixed." + id + "@Example.com").subjectId();

    assertThat(core.directory.findByEmail("mixed." + id + "@example.com")).contains(subject);
    assertThat(core.directory.findOrCreateByEmail("MIXED." + id + "@EXAMPLE.COM "))
        .isEqualTo(new SubjectDirectory.Subject(subject, false));
    SubjectDirectory.Subject account = core.directory.findOrCreateByAccount(id);
    assertThat(account.created()).isTrue();
    assertThat(account.subjectId()).isNotEqualTo(subject);
    assertThat(core.directory.findByAccount(id)).contains(account.subjectId());
  }

  @Test
  void anExpiredLookup_isAbsentBeforeTtlDeletesIt() {
    CoreFixture core = new CoreFixture();
    String email = email();
    String old = core.directory.findOrCreateByEmail(email).subjectId();
    String lookup = "lookup#email#" + core.directory.emailIndex(email);
    core.admin.updateItem(
        b ->
            b.tableName(core.subjectsTable)
                .key(Map.of("pk", AttributeValue.fromS(lookup)))
                .updateExpression("SET expiresAt = :past")
                .expressionAttributeValues(
                    Map.of(
                        ":past",
                        AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond() - 60)))));

    assertThat(core.directory.findByEmail(email)).isEmpty();
    SubjectDirectory.Subject fresh = core.directory.findOrCreateByEmail(email);
    assertThat(fresh.created()).isTrue();
    assertThat(fresh.subjectId()).isNotEqualTo(old);
  }

  @Test
  void twentyConcurrentFirstRequestsWithOneEmail_createOneSubject() throws Exception {
    String email = email();
    ExecutorService pool = Executors.newFixedThreadPool(20);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<SubjectDirectory.Subject>> results = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        CoreFixture container = new CoreFixture();
        Callable<SubjectDirectory.Subject> task =
            () -> {
              start.await();
              return container.directory.findOrCreateByEmail(email);
            };
        results.add(pool.submit(task));
      }
      start.countDown();
      Set<String> ids = new HashSet<>();
      int created = 0;
      for (Future<SubjectDirectory.Subject> result : results) {
        SubjectDirectory.Subject subject = result.get();
        ids.add(subject.subjectId());
        created += subject.created() ? 1 : 0;
      }
      assertThat(ids).hasSize(1);
      assertThat(created).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
