package dev.custodian.local.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where every AWS call of a function is authorized before it reaches the emulator: the caller is
 * known by the access key id the local cloud gave its container, and each part of the call is
 * evaluated against that function's role. Denials are answered by the proxy and logged in one line;
 * what was allowed is recorded, so granted and used permissions can be compared.
 */
public final class IamGate {

  private static final String KEY_PREFIX = "LOCAL";

  /** A denied call: which function, which action on which resource, and why. */
  public record Denial(String function, String action, String resource, String because) {
    public String line() {
      return "IAM denied: " + function + " " + action + " on " + resource;
    }

    /** The message AWS gives, naming the role and the missing permission. */
    public String message(String account) {
      return "User: arn:aws:sts::"
          + account
          + ":assumed-role/"
          + function
          + "Role/"
          + function
          + " is not authorized to perform: "
          + action
          + " on resource: "
          + resource
          + " "
          + because;
    }
  }

  private final Map<String, Role> roles;
  private final CallReader reader;
  private final String account;
  private final boolean enforcing;
  private final Set<String> trustedKeys;
  private final List<Denial> denials = new CopyOnWriteArrayList<>();
  private final Map<String, Set<String>> used = new ConcurrentHashMap<>();

  /**
   * @param roles each function's role, by logical id
   * @param trustedKeys access keys that act as the account itself (the local cloud's own clients)
   * @param enforcing false to let every call through (still recorded)
   */
  public IamGate(
      Map<String, Role> roles, ResourceNames names, Set<String> trustedKeys, boolean enforcing) {
    this.roles = Map.copyOf(roles);
    this.reader = new CallReader(names);
    this.account = names.account();
    this.trustedKeys = Set.copyOf(trustedKeys);
    this.enforcing = enforcing;
  }

  /** The access key id a function's containers get: it names the function. */
  public static String accessKeyOf(String functionLogicalId) {
    return KEY_PREFIX + functionLogicalId;
  }

  public boolean enforcing() {
    return enforcing;
  }

  public String account() {
    return account;
  }

  /**
   * Authorizes a call as it came over the wire; empty when it may go on.
   *
   * @param accessKeyId from the call's SigV4 {@code Credential}
   * @param target the {@code X-Amz-Target} header, or null
   */
  public Optional<Denial> check(
      String accessKeyId, String target, String method, String path, byte[] body) {
    if (accessKeyId != null && trustedKeys.contains(accessKeyId)) {
      return Optional.empty();
    }
    String function =
        accessKeyId != null && accessKeyId.startsWith(KEY_PREFIX)
            ? accessKeyId.substring(KEY_PREFIX.length())
            : null;
    Role role = function == null ? null : roles.get(function);
    if (role == null) {
      return deny(
          new Denial(
              String.valueOf(accessKeyId),
              target == null ? method + " " + path : target,
              "*",
              "because the access key belongs to no function of the template"));
    }
    CallReader.Call call;
    try {
      call = reader.read(target, method, path, body);
    } catch (CallReader.Unreadable e) {
      return deny(
          new Denial(
              function,
              target == null ? method + " " + path : target,
              "*",
              "because the local cloud cannot authorize " + e.getMessage()));
    }
    for (AccessRequest request : call.requests()) {
      Optional<Denial> denial = check(function, request);
      if (denial.isPresent()) {
        return denial;
      }
    }
    return Optional.empty();
  }

  /**
   * Authorizes one request made with a function's role (the local Lambda service polls queues and
   * streams with it, as Lambda does); empty when allowed.
   */
  public Optional<Denial> check(String function, AccessRequest request) {
    Role role = roles.get(function);
    if (role == null) {
      return deny(
          new Denial(function, request.action(), request.resource(), "because it has no role"));
    }
    java.util.HashMap<String, List<String>> context = new java.util.HashMap<>(request.context());
    context.put("aws:PrincipalAccount", List.of(account));
    Decision decision =
        Evaluator.decide(role, new AccessRequest(request.action(), request.resource(), context));
    if (!decision.allowed()) {
      return deny(new Denial(function, request.action(), request.resource(), decision.because()));
    }
    used.computeIfAbsent(function, f -> ConcurrentHashMap.newKeySet()).add(usage(request));
    return Optional.empty();
  }

  private Optional<Denial> deny(Denial denial) {
    if (!enforcing) {
      return Optional.empty();
    }
    denials.add(denial);
    System.err.println(denial.line() + " (" + denial.because() + ")");
    return Optional.of(denial);
  }

  /**
   * Whether the principal of a SigV4 access key may invoke an IAM-authorized API route ({@code
   * execute-api:Invoke} on {@code routeArn}): its ARN if so. A key names a role of the template as
   * {@code LOCAL<RoleLogicalId>}; any other key may invoke nothing (everything when not enforcing).
   */
  public Optional<String> invoker(String accessKeyId, String routeArn) {
    String id =
        accessKeyId.startsWith(KEY_PREFIX) ? accessKeyId.substring(KEY_PREFIX.length()) : null;
    // LOCAL<Role>.<session>: one role, several people (an assumed role's session name), as the
    // four-eyes routes need two principals of the same operator role.
    String session = "local";
    if (id != null && id.indexOf('.') > 0) {
      session = id.substring(id.indexOf('.') + 1);
      id = id.substring(0, id.indexOf('.'));
    }
    if (!enforcing) {
      return Optional.of(
          id != null && roles.containsKey(id)
              ? "arn:aws:sts::" + account + ":assumed-role/" + id + "/" + session
              : "arn:aws:iam::" + account + ":user/" + accessKeyId);
    }
    if (id == null || !roles.containsKey(id)) {
      deny(
          new Denial(
              accessKeyId,
              "execute-api:Invoke",
              routeArn,
              "because the access key belongs to no role of the template"));
      return Optional.empty();
    }
    if (check(id, AccessRequest.of("execute-api:Invoke", routeArn)).isPresent()) {
      return Optional.empty();
    }
    return Optional.of("arn:aws:sts::" + account + ":assumed-role/" + id + "/" + session);
  }

  /** One line of usage: the action, the resource and the KMS purpose if any. */
  static String usage(AccessRequest request) {
    List<String> purpose = new ArrayList<>();
    for (String key : List.of("kms:EncryptionContext:purpose", "kms:EncryptionContext:index")) {
      List<String> values = request.context().get(key);
      if (values != null) {
        purpose.add(key.substring(key.lastIndexOf(':') + 1) + "=" + String.join(",", values));
      }
    }
    return request.action()
        + "\t"
        + request.resource()
        + (purpose.isEmpty() ? "" : "\t" + String.join(" ", purpose));
  }

  /**
   * Refuses a call whose shape the gate cannot vouch for (a query string or path beside a target,
   * two targets, a signing scope of another service, the emulator's own API): what reaches the
   * emulator must be exactly what was authorized. Empty when not enforcing.
   */
  public Optional<Denial> refuse(String accessKeyId, String call, String because) {
    String function =
        accessKeyId != null && accessKeyId.startsWith(KEY_PREFIX)
            ? accessKeyId.substring(KEY_PREFIX.length())
            : String.valueOf(accessKeyId);
    return deny(new Denial(function, call, "*", "because " + because));
  }

  /** The calls denied so far, oldest first. */
  public List<Denial> denials() {
    return List.copyOf(denials);
  }

  /** What each function was allowed to do so far: action, resource (and KMS purpose) lines. */
  public Map<String, Set<String>> used() {
    Map<String, Set<String>> out = new TreeMap<>();
    used.forEach((function, lines) -> out.put(function, new TreeSet<>(lines)));
    return out;
  }

  /** The roles the gate enforces, by function logical id. */
  public Map<String, Role> roles() {
    return roles;
  }
}
