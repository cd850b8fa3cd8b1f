package zarr.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Builds the per-node entries of a read reply. */
public final class Reports {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Reports() {}

  public static ObjectNode group(String path, Map<String, Object> attributes) {
    ObjectNode node = NODES.objectNode().put("path", path).put("kind", "group");
    node.set("attributes", attributesJson(attributes));
    return node;
  }

  /** An array entry; writes the values into out_dir as "<index>.npy". */
  public static ObjectNode array(String path, long[] shape, NpyArray values, Object fillValue,
      Map<String, Object> attributes, String[] dimensionNames, Path outDir, int index) throws IOException {
    ObjectNode node = NODES.objectNode().put("path", path).put("kind", "array");
    ArrayNode shapeJson = node.putArray("shape");
    for (long n : shape) shapeJson.add(n);
    node.put("dtype", values.dtype.toString());
    node.set("fill_value", FillValues.toJson(fillValue));
    node.set("attributes", attributesJson(attributes));
    node.set("dimension_names", dimensionNames == null ? NODES.nullNode() : JSON.valueToTree(dimensionNames));
    Files.createDirectories(outDir);
    Path npy = outDir.resolve(index + ".npy").toAbsolutePath();
    values.write(npy);
    node.putObject("values").put("npy", npy.toString());
    return node;
  }

  public static long[] longs(int[] values) {
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) out[i] = values[i];
    return out;
  }

  private static JsonNode attributesJson(Map<String, Object> attributes) {
    return attributes == null ? NODES.objectNode() : JSON.valueToTree(attributes);
  }
}
