package dev.custodian.analytics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The shop's pages by type, from an allow-list of route templates (a template parameter): a path
 * the visitor's browser sent is counted and stored as its type only, never as itself, so no client
 * text becomes a key and a search or a private path never reaches the statistics. A path no
 * template matches is {@value #OTHER}.
 *
 * <p>The list reads {@code type=/route;type=/route/*;...}: {@code *} stands for one path segment, a
 * trailing {@code /**} for any number of them.
 */
final class PageTypes {

  static final String OTHER = "other";
  static final String DEFAULTS =
      "home=/;catalogue=/catalogue;product=/products/*;basket=/basket;checkout=/checkout;"
          + "order=/orders/*;account=/account/**;privacy=/privacy/**;contact=/contact";

  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9-]{0,31}");

  private record Route(String type, Pattern pattern) {}

  private final List<Route> routes;

  private PageTypes(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  /** Reads the list; a malformed entry is a configuration error, found at start. */
  static PageTypes parse(String list) {
    List<Route> routes = new ArrayList<>();
    for (String entry : (list == null || list.isBlank() ? DEFAULTS : list).split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      String type = eq > 0 ? entry.substring(0, eq).trim() : "";
      String route = eq > 0 ? entry.substring(eq + 1).trim() : "";
      if (!TYPE.matcher(type).matches() || type.equals(OTHER) || !route.startsWith("/")) {
        throw new IllegalStateException("ANALYTICS_PAGE_TYPES: malformed entry " + entry);
      }
      routes.add(new Route(type, compile(route)));
    }
    return new PageTypes(routes);
  }

  private static Pattern compile(String route) {
    String body = route.endsWith("/**") ? route.substring(0, route.length() - 3) : route;
    StringBuilder regex = new StringBuilder();
    for (String segment : body.split("/", -1)) {
      if (segment.isEmpty()) {
        continue;
      }
      regex.append('/').append(segment.equals("*") ? "[^/]+" : Pattern.quote(segment));
    }
    if (route.endsWith("/**")) {
      regex.append("(/[^/]+)*");
    }
    return Pattern.compile(regex.length() == 0 ? "/?" : regex + "/?");
  }

  /** The type of a path (its query and fragment already cut): the first route that matches. */
  String typeOf(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    for (Route route : routes) {
      if (route.pattern().matcher(lower).matches()) {
        return route.type();
      }
    }
    return OTHER;
  }

  /** Every type a path can be counted as, {@value #OTHER} included. */
  List<String> types() {
    List<String> out = new ArrayList<>(routes.stream().map(Route::type).distinct().toList());
    out.add(OTHER);
    return out;
  }
}
