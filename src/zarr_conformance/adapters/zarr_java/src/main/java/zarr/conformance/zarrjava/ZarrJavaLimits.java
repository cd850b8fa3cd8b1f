package zarr.conformance.zarrjava;

import com.fasterxml.jackson.databind.JsonNode;
import zarr.conformance.kit.Requests;
import zarr.conformance.kit.UnsupportedRequest;

/**
 * Nothing of a write request is outside what zarr-java 0.0.9's API can be asked: the writer hands it
 * the array's metadata as a JSON document for its own ObjectMapper, and zarr-java's answer (its
 * DataType enums, codec registries and validation) is the cell's result. Only a native codec whose
 * library does not load here (hello's `disabled`) is declined, for nested sharding codecs too.
 */
final class ZarrJavaLimits {
  private ZarrJavaLimits() {}

  static void checkWrite(JsonNode request) {
    for (JsonNode node : Requests.nodes(request)) {
      if (Requests.isGroup(node)) continue;
      JsonNode filters = node.get("filters");
      if (filters != null && filters.isArray()) {
        for (JsonNode filter : filters) checkLoads(filter.path("id").asText());
      }
      JsonNode compressor = node.get("compressor");
      if (compressor != null && !compressor.isNull()) checkLoads(compressor.path("id").asText());
      checkCodecs(node.get("codecs"));
    }
  }

  /** v3 codec names, descending into sharding_indexed's codecs and index_codecs. */
  private static void checkCodecs(JsonNode codecs) {
    if (codecs == null || !codecs.isArray()) return;
    for (JsonNode codec : codecs) {
      checkLoads(codec.path("name").asText());
      JsonNode configuration = codec.path("configuration");
      checkCodecs(configuration.get("codecs"));
      checkCodecs(configuration.get("index_codecs"));
    }
  }

  private static void checkLoads(String id) {
    String problem = NativeCodecProbe.problem(id);
    if (problem != null) throw new UnsupportedRequest(problem);
  }
}
