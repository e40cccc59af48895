package dev.custodian.local.template;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a CloudFormation/SAM template written in YAML, turning the short forms of the intrinsic
 * functions ({@code !Ref X}, {@code !GetAtt A.B}, {@code !Sub ...}) into their long forms ({@code
 * {Ref: X}}, {@code {Fn::GetAtt: [A, B]}}, ...).
 */
public final class CfnYaml {

  private CfnYaml() {}

  @SuppressWarnings("unchecked")
  public static Map<String, Object> load(Path template) throws IOException {
    try (Reader reader = Files.newBufferedReader(template, StandardCharsets.UTF_8)) {
      Object loaded = new Yaml(new IntrinsicConstructor()).load(reader);
      return (Map<String, Object>) normalise(loaded);
    }
  }

  /** YAML 1.1 reads an unquoted 2026-01-01 as a date; CloudFormation reads it as text. */
  private static Object normalise(Object node) {
    if (node instanceof Date date) {
      SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd");
      format.setTimeZone(TimeZone.getTimeZone("UTC"));
      return format.format(date);
    }
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), normalise(v)));
      return copy;
    }
    if (node instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(normalise(v)));
      return copy;
    }
    return node;
  }

  private static final class IntrinsicConstructor extends SafeConstructor {
    IntrinsicConstructor() {
      super(new LoaderOptions());
      this.yamlMultiConstructors.put("!", new ShortForm());
    }

    private final class ShortForm extends AbstractConstruct {
      @Override
      public Object construct(Node node) {
        String tag = node.getTag().getValue().substring(1);
        String function = tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag;
        Object value;
        if (node instanceof ScalarNode scalar) {
          value = constructScalar(scalar);
          if (tag.equals("GetAtt")) {
            String[] parts = ((String) value).split("\\.", 2);
            value = List.of(parts[0], parts[1]);
          }
        } else if (node instanceof SequenceNode sequence) {
          value = constructSequence(sequence);
        } else {
          value = constructMapping((MappingNode) node);
        }
        Map<String, Object> longForm = new LinkedHashMap<>();
        longForm.put(function, value);
        return longForm;
      }
    }
  }
}
