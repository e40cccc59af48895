package dev.custodian.core.crypto;

/**
 * The subject's key is gone (crypto-shredded, or never existed): nothing sealed under it can be
 * opened any more. Routes treat the data as absent.
 */
public final class SubjectErasedException extends RuntimeException {

  public SubjectErasedException() {
    super("the subject's key has been erased", null, false, false);
  }
}
