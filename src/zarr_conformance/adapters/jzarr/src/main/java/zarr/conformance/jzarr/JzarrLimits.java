package zarr.conformance.jzarr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import zarr.conformance.kit.NumpyDtype;
import zarr.conformance.kit.Requests;
import zarr.conformance.kit.UnsupportedRequest;

/** What jzarr 0.4.2 documents it cannot write, checked before the library is called. */
final class JzarrLimits {
  /** jzarr's DataType enum (docs/datatype.rst). */
  static final List<String> DTYPES = Arrays.asList("f8", "f4", "i8", "i4", "u4", "i2", "u2", "i1", "u1");
  /** CompressorFactory: "null", zlib, blosc; blosc cnames and shuffles from BloscCompressor. */
  private static final List<String> BLOSC_CNAMES = Arrays.asList("zstd", "blosclz", "lz4", "lz4hc", "zlib");
  private static final List<Integer> BLOSC_SHUFFLES = Arrays.asList(0, 1, 2);

  private JzarrLimits() {}

  static void checkWrite(JsonNode request) {
    if (Requests.zarrFormat(request) != 2) throw new UnsupportedRequest("jzarr implements Zarr v2 only");
    for (JsonNode node : Requests.nodes(request)) {
      if (!Requests.isGroup(node)) checkArray(node);
    }
  }

  private static void checkArray(JsonNode node) {
    NumpyDtype dtype = NumpyDtype.parse(Requests.text(node, "dtype"));
    if (!DTYPES.contains(dtype.kindAndSize())) {
      throw new UnsupportedRequest("jzarr has no dtype " + dtype.kindAndSize() + " (it has " + DTYPES + ")");
    }
    if (node.path("order").asText("C").equals("F")) {
      throw new UnsupportedRequest("jzarr writes C order only (ArrayParams has no order; .zarray order is always C)");
    }
    JsonNode filters = node.get("filters");
    if (filters != null && !filters.isNull() && filters.size() > 0) {
      throw new UnsupportedRequest("jzarr has no filters (ArrayParams has none; .zarray filters is always null)");
    }
    checkCompressor(node.get("compressor"));
  }

  private static void checkCompressor(JsonNode compressor) {
    if (compressor == null || compressor.isNull()) return;
    String id = compressor.path("id").asText();
    if (id.equals("zlib")) return;
    if (!id.equals("blosc")) throw new UnsupportedRequest("jzarr has no compressor '" + id + "' (only zlib and blosc)");
    String problem = BloscProbe.problem();
    if (problem != null) throw new UnsupportedRequest(problem);
    String cname = compressor.path("cname").asText("lz4");
    if (!BLOSC_CNAMES.contains(cname)) throw new UnsupportedRequest("jzarr's blosc has no cname '" + cname + "' (it has " + BLOSC_CNAMES + ")");
    int shuffle = compressor.path("shuffle").asInt(1);
    if (!BLOSC_SHUFFLES.contains(shuffle)) throw new UnsupportedRequest("jzarr's blosc has no shuffle " + shuffle + " (it has " + BLOSC_SHUFFLES + ")");
  }
}
