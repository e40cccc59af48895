package dev.custodian.local.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The website kit ({@code web/}) served at {@code /} for GET requests that match no API route, as a
 * shop would host it: static files with their content types and a strict Content-Security-Policy.
 */
public final class StaticSite {

  /** The policy the pages are served with (docs/website.md documents it for hosting). */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
          + "form-action 'self'; frame-ancestors 'none'";

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "json", "application/json; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon");

  /** A file to send: its bytes and response headers. */
  record File(byte[] body, Map<String, String> headers) {}

  /** The order page, /orders/{orderId}: one page for every order (its token is in the browser). */
  private static final Pattern ORDER_PAGE = Pattern.compile("^/orders/o_[0-9a-f]{32}$");

  private final Path root;

  /** Whether a decoded path is the order page's, which shares its path with the API's read. */
  static boolean isOrderPage(String path) {
    return ORDER_PAGE.matcher(path).matches();
  }

  StaticSite(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The site of the project's {@code web/} beside the template, or empty when there is none. */
  public static Optional<StaticSite> besideTemplate(Path template) {
    Path web = template.toAbsolutePath().normalize().getParent().resolve("web");
    return Files.isDirectory(web) ? Optional.of(new StaticSite(web)) : Optional.empty();
  }

  /** The file for a decoded request path, or empty (no such file, or outside the site). */
  Optional<File> find(String path) throws IOException {
    if (path.isEmpty() || !path.startsWith("/") || path.contains("\\") || path.contains("\0")) {
      return Optional.empty();
    }
    String relative = path.substring(1);
    if (relative.isEmpty() || relative.endsWith("/")) {
      relative = relative + "index.html";
    }
    if (ORDER_PAGE.matcher(path).matches()) {
      relative = "orders/index.html";
    }
    Path file = root.resolve(relative).normalize();
    if (!file.startsWith(root) || isHidden(root.relativize(file))) {
      return Optional.empty();
    }
    if (Files.isDirectory(file)) {
      file = file.resolve("index.html");
    }
    String type = type(file.getFileName().toString());
    if (type == null || !Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", type);
    headers.put("content-security-policy", CONTENT_SECURITY_POLICY);
    headers.put("x-content-type-options", "nosniff");
    headers.put("referrer-policy", "no-referrer");
    headers.put("permissions-policy", "interest-cohort=(), browsing-topics=()");
    headers.put("cache-control", "no-cache");
    return Optional.of(new File(Files.readAllBytes(file), headers));
  }

  private static boolean isHidden(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if (name.startsWith(".") || name.equals("node_modules")) {
        return true;
      }
    }
    return false;
  }

  private static String type(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
