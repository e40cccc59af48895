package dev.custodian.local.gateway;

import dev.custodian.local.runtime.FunctionHost;
import dev.custodian.local.runtime.FunctionSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP API's routes and the function behind each, matched as API Gateway matches them: the most
 * specific route wins.
 */
final class RouteTable {

  record Binding(
      FunctionSpec.HttpRoute route, FunctionHost host, Pattern pattern, List<String> names) {

    /** API Gateway prefers literal segments over variables, and variables over greedy ones. */
    int specificity() {
      if (route.path().equals("$default")) {
        return Integer.MIN_VALUE;
      }
      int score = 0;
      for (String segment : route.path().split("/")) {
        if (segment.endsWith("+}")) {
          score -= 1000;
        } else if (segment.startsWith("{")) {
          score += 1;
        } else if (!segment.isEmpty()) {
          score += 100;
        }
      }
      return score;
    }
  }

  /** A route that matched a request, with the values of its path variables. */
  record Matched(Binding binding, Map<String, String> pathParameters) {}

  private final List<Binding> bindings = new ArrayList<>();

  void bind(FunctionSpec.HttpRoute route, FunctionHost host) {
    List<String> names = new ArrayList<>();
    StringBuilder regex = new StringBuilder("^");
    if (route.path().equals("$default")) {
      regex.append(".*");
    } else {
      Matcher variables = Pattern.compile("\\{([^}]+)}").matcher(route.path());
      int last = 0;
      while (variables.find()) {
        regex.append(Pattern.quote(route.path().substring(last, variables.start())));
        String name = variables.group(1);
        if (name.endsWith("+")) {
          names.add(name.substring(0, name.length() - 1));
          regex.append("(.+)");
        } else {
          names.add(name);
          regex.append("([^/]+)");
        }
        last = variables.end();
      }
      regex.append(Pattern.quote(route.path().substring(last)));
    }
    regex.append("$");
    bindings.add(new Binding(route, host, Pattern.compile(regex.toString()), names));
    bindings.sort(Comparator.comparingInt(Binding::specificity).reversed());
  }

  Optional<Matched> match(String method, String path) {
    for (Binding binding : bindings) {
      String routeMethod = binding.route().method();
      if (!routeMethod.equals("ANY") && !routeMethod.equals(method)) {
        continue;
      }
      Matcher m = binding.pattern().matcher(path);
      if (m.matches()) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < binding.names().size(); i++) {
          parameters.put(binding.names().get(i), m.group(i + 1));
        }
        return Optional.of(new Matched(binding, parameters));
      }
    }
    return Optional.empty();
  }
}
