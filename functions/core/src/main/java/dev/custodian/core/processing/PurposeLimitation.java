package dev.custodian.core.processing;

import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.Processing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Purpose limitation (docs/architecture.md#record-of-processing-and-purpose-limitation) as a check:
 * a function may reach a table only when every data class the table holds may be used for one of
 * the function's declared purposes.
 */
public final class PurposeLimitation {

  private PurposeLimitation() {}

  /** What breaks the rule, one line each; empty when the reach keeps to the purposes. */
  public static List<String> violations(List<FunctionAccess> reach) {
    List<String> out = new ArrayList<>();
    Set<String> known = Arrays.stream(Purpose.values()).map(Enum::name).collect(Collectors.toSet());
    for (FunctionAccess access : reach) {
      for (String purpose : access.purposes()) {
        if (!known.contains(purpose)) {
          out.add(access.function() + " declares an unknown purpose " + purpose);
        }
      }
      if (Tables.holds(access.table()).isEmpty()) {
        out.add(
            access.function()
                + " reaches "
                + access.table()
                + ", which no entry of Tables says the data classes of");
        continue;
      }
      for (DataClass dataClass : Tables.reached(access.table(), access.keyPrefixes())) {
        Set<String> allowed =
            Processing.purposes(dataClass).stream().map(Enum::name).collect(Collectors.toSet());
        if (access.purposes().stream().noneMatch(allowed::contains)) {
          out.add(
              access.function()
                  + " (purposes "
                  + access.purposes()
                  + ") reaches "
                  + access.table()
                  + ", which holds "
                  + dataClass
                  + " (purposes "
                  + allowed.stream().sorted().toList()
                  + ")");
        }
      }
    }
    return out;
  }
}
