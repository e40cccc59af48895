package dev.custodian.core.processing;

import dev.custodian.local.ProjectFiles;
import dev.custodian.local.TableReach;
import java.nio.file.Path;
import java.util.List;

/** The template's IAM as the record and the purpose-limitation test see it. */
final class TemplateReach {

  private TemplateReach() {}

  static List<FunctionAccess> of(Path template) throws Exception {
    return TableReach.read(template).stream()
        .map(
            a ->
                new FunctionAccess(
                    a.function(), a.purposes(), a.table(), a.reads(), a.writes(), a.keyPrefixes()))
        .toList();
  }

  static List<FunctionAccess> ofProject() throws Exception {
    return of(ProjectFiles.root().resolve("template.yaml"));
  }
}
