package zarr.conformance.zarrjava;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import zarr.conformance.kit.NumpyDtype;
import zarr.conformance.kit.Requests;
import zarr.conformance.kit.UnsupportedRequest;

/** What zarr-java 0.0.9 has no way to express, checked before the library is called. */
final class ZarrJavaLimits {
  /** v2.DataType and v3.DataType both cover exactly these kinds and sizes. */
  static final List<String> DTYPES = Arrays.asList("b1", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f4", "f8");
  /** v2.codec.CodecRegistry. */
  static final List<String> V2_CODECS = Arrays.asList("blosc", "zlib");
  /** v3.codec.CodecRegistry. */
  static final List<String> V3_CODECS = Arrays.asList("bytes", "transpose", "blosc", "gzip", "zstd", "crc32c", "sharding_indexed");

  private ZarrJavaLimits() {}

  static void checkWrite(JsonNode request) {
    int format = Requests.zarrFormat(request);
    if (format != 2 && format != 3) throw new UnsupportedRequest("zarr-java implements Zarr v2 and v3 only");
    for (JsonNode node : Requests.nodes(request)) {
      if (Requests.isGroup(node)) continue;
      NumpyDtype dtype = NumpyDtype.parse(Requests.text(node, "dtype"));
      if (!DTYPES.contains(dtype.kindAndSize())) {
        throw new UnsupportedRequest("zarr-java has no data type " + dtype.kindAndSize() + " (it has " + DTYPES + ")");
      }
      if (format == 2) checkV2(node, dtype);
      else checkCodecs(node.get("codecs"));
    }
  }

  private static void checkV2(JsonNode node, NumpyDtype dtype) {
    if (dtype.isBigEndian()) {
      throw new UnsupportedRequest("zarr-java's v2 DataType enum has little-endian variants only (no " + dtype + ")");
    }
    JsonNode filters = node.get("filters");
    if (filters != null && filters.isArray()) {
      for (JsonNode filter : filters) checkCodecId(filter.path("id").asText(), V2_CODECS, "v2 filter");
    }
    JsonNode compressor = node.get("compressor");
    if (compressor != null && !compressor.isNull()) checkCodecId(compressor.path("id").asText(), V2_CODECS, "v2 compressor");
  }

  /** v3 codec names, descending into sharding_indexed's codecs and index_codecs. */
  private static void checkCodecs(JsonNode codecs) {
    if (codecs == null || !codecs.isArray()) return;
    for (JsonNode codec : codecs) {
      checkCodecId(codec.path("name").asText(), V3_CODECS, "v3 codec");
      JsonNode configuration = codec.path("configuration");
      checkCodecs(configuration.get("codecs"));
      checkCodecs(configuration.get("index_codecs"));
    }
  }

  private static void checkCodecId(String id, List<String> known, String what) {
    if (!known.contains(id)) throw new UnsupportedRequest("zarr-java has no " + what + " '" + id + "' (it has " + known + ")");
    String problem = NativeCodecProbe.problem(id);
    if (problem != null) throw new UnsupportedRequest(problem);
  }
}
