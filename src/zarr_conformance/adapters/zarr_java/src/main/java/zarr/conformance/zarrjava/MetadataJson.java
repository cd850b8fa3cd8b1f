package zarr.conformance.zarrjava;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import zarr.conformance.kit.NumpyDtype;
import zarr.conformance.kit.Requests;

/** The .zarray / zarr.json document of a write request's array node. */
final class MetadataJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private MetadataJson() {}

  static ObjectNode v2(JsonNode node) {
    ObjectNode json = NODES.objectNode().put("zarr_format", 2);
    json.set("shape", node.get("shape"));
    json.set("chunks", node.get("chunks"));
    json.put("dtype", Requests.text(node, "dtype"));
    json.set("fill_value", node.path("fill_value").isMissingNode() ? NODES.nullNode() : node.get("fill_value"));
    json.put("order", node.path("order").asText("C"));
    json.set("filters", nullIfMissing(node.get("filters")));
    json.set("compressor", nullIfMissing(node.get("compressor")));
    json.put("dimension_separator", node.path("chunk_key_separator").asText("."));
    return json;
  }

  static ObjectNode v3(JsonNode node) {
    ObjectNode json = NODES.objectNode().put("zarr_format", 3).put("node_type", "array");
    json.set("shape", node.get("shape"));
    json.put("data_type", v3DataType(NumpyDtype.parse(Requests.text(node, "dtype"))));
    // The request's grid as it is (zarr-java refuses one it lacks), never the regular grid in its place.
    if (node.hasNonNull("chunk_grid")) {
      json.set("chunk_grid", node.get("chunk_grid"));
    } else {
      json.putObject("chunk_grid").put("name", "regular").putObject("configuration").set("chunk_shape", node.get("chunks"));
    }
    json.putObject("chunk_key_encoding").put("name", Requests.text(node, "chunk_key_encoding")).putObject("configuration")
        .put("separator", node.path("chunk_key_separator").asText("/"));
    json.set("fill_value", nullIfMissing(node.get("fill_value")));
    JsonNode codecs = node.get("codecs");
    if (codecs == null || codecs.isNull()) {
      ArrayNode plain = json.putArray("codecs");
      plain.addObject().put("name", "bytes").putObject("configuration").put("endian", "little");
    } else {
      json.set("codecs", codecs);
    }
    if (node.hasNonNull("attributes")) json.set("attributes", node.get("attributes"));
    if (node.hasNonNull("dimension_names")) json.set("dimension_names", node.get("dimension_names"));
    return json;
  }

  /** The v3 data_type name of a numpy dtype (bool, int8, uint16, float16, complex64, ...). */
  private static String v3DataType(NumpyDtype dtype) {
    switch (dtype.kind) {
      case 'b': return "bool";
      case 'i': return "int" + dtype.itemSize * 8;
      case 'u': return "uint" + dtype.itemSize * 8;
      case 'f': return "float" + dtype.itemSize * 8;
      case 'c': return "complex" + dtype.itemSize * 8;
      default: throw new IllegalArgumentException("Expected a numpy kind among b i u f c. Got " + dtype + " instead.");
    }
  }

  private static JsonNode nullIfMissing(JsonNode value) {
    return value == null ? NODES.nullNode() : value;
  }
}
