package dev.custodian.core.validation;

import dev.custodian.core.http.ApiException;
import java.util.ArrayList;
import java.util.List;

/** The problems found in one request, capped so a huge bad body cannot make a huge answer. */
public final class Problems {

  static final int MAX = 25;

  private final List<ApiException.FieldProblem> found = new ArrayList<>();

  public void add(String path, String problem) {
    if (found.size() < MAX) {
      found.add(new ApiException.FieldProblem(path.isEmpty() ? "(body)" : path, problem));
    }
  }

  public boolean isEmpty() {
    return found.isEmpty();
  }

  public List<ApiException.FieldProblem> list() {
    return List.copyOf(found);
  }

  static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  static String index(String path, int i) {
    return path + "[" + i + "]";
  }
}
