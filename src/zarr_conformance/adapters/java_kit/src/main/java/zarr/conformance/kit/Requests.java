package zarr.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

/** Field access for read and write requests, with "Expected ... Got ..." errors. */
public final class Requests {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Requests() {}

  public static Path store(JsonNode request) {
    return Paths.get(text(request, "store"));
  }

  public static int zarrFormat(JsonNode request) {
    JsonNode format = request.get("zarr_format");
    if (format == null || !format.isInt()) throw new IllegalArgumentException("Expected zarr_format 2 or 3. Got " + format + " instead.");
    return format.intValue();
  }

  public static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("Expected a string '" + field + "'. Got " + value + " instead.");
    }
    return value.textValue();
  }

  public static JsonNode nodes(JsonNode request) {
    JsonNode nodes = request.get("nodes");
    if (nodes == null || !nodes.isArray()) throw new IllegalArgumentException("Expected a list 'nodes'. Got " + nodes + " instead.");
    return nodes;
  }

  public static boolean isGroup(JsonNode node) {
    String kind = text(node, "kind");
    if (!kind.equals("group") && !kind.equals("array")) {
      throw new IllegalArgumentException("Expected kind 'group' or 'array'. Got '" + kind + "' instead.");
    }
    return kind.equals("group");
  }

  /** The node's directory: the store root joined with its '/'-separated path ("" is the root). */
  public static Path nodeDir(Path store, JsonNode node) {
    String path = text(node, "path");
    return path.isEmpty() ? store : store.resolve(path);
  }

  public static int[] ints(JsonNode node, String field) {
    JsonNode list = node.get(field);
    if (list == null || !list.isArray()) throw new IllegalArgumentException("Expected a list '" + field + "'. Got " + list + " instead.");
    int[] values = new int[list.size()];
    for (int i = 0; i < values.length; i++) values[i] = list.get(i).intValue();
    return values;
  }

  public static Map<String, Object> attributes(JsonNode node) {
    JsonNode attributes = node.get("attributes");
    if (attributes == null || attributes.isNull()) return new LinkedHashMap<>();
    @SuppressWarnings("unchecked")
    Map<String, Object> map = JSON.convertValue(attributes, LinkedHashMap.class);
    return map;
  }

  /** The .npy named by a node's values, or null when the node brings no values. */
  public static NpyArray values(JsonNode node) throws java.io.IOException {
    JsonNode values = node.get("values");
    if (values == null || values.isNull()) return null;
    return NpyArray.read(Paths.get(text(values, "npy")));
  }

  /** Checks the .npy holds the array's kind and width (byte order may differ) before values move. */
  public static void requireSameType(NpyArray values, NumpyDtype arrayDtype) {
    if (values.dtype.kind != arrayDtype.kind || values.dtype.itemSize != arrayDtype.itemSize) {
      throw new IllegalArgumentException("values dtype " + values.dtype + " does not match array dtype " + arrayDtype);
    }
  }
}
