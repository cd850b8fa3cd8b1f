package zarr.conformance.jzarr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import zarr.conformance.kit.NumpyDtype;
import zarr.conformance.kit.Requests;
import zarr.conformance.kit.UnsupportedRequest;

/**
 * What jzarr 0.4.2's API has no way to ask for, checked before the library is called (spec.py declares
 * the same gaps, so these are a second line). Compressors are not checked: CompressorFactory takes any id
 * and configuration, and what it does with them is the cell's answer.
 */
final class JzarrLimits {
  /** The constants of jzarr 0.4.2's com.bc.zarr.DataType enum (docs/datatype.rst). */
  static final List<String> DTYPES = Arrays.asList("f8", "f4", "i8", "i4", "u4", "i2", "u2", "i1", "u1");
  private static final String PARAMS = "jzarr 0.4.2 com.bc.zarr.ArrayParams has shape, chunks, chunked, dataType, "
      + "byteOrder, fillValue, compressor, dimensionSeparator only";

  private JzarrLimits() {}

  static void checkWrite(JsonNode request) {
    if (Requests.zarrFormat(request) != 2) {
      throw new UnsupportedRequest("jzarr implements Zarr v2 only (see jzarr 0.4.2 com.bc.zarr.ZarrConstants / "
          + "ZarrHeader: zarr_format 2 is the only format written)");
    }
    for (JsonNode node : Requests.nodes(request)) {
      if (!Requests.isGroup(node)) checkArray(node);
    }
  }

  private static void checkArray(JsonNode node) {
    NumpyDtype dtype = NumpyDtype.parse(Requests.text(node, "dtype"));
    if (!DTYPES.contains(dtype.kindAndSize())) {
      throw new UnsupportedRequest("jzarr has no dtype " + dtype.kindAndSize() + " (see jzarr 0.4.2 "
          + "com.bc.zarr.DataType enum: " + DTYPES + ")");
    }
    if (node.path("order").asText("C").equals("F")) {
      throw new UnsupportedRequest("jzarr has no order setting (see " + PARAMS + "; .zarray order is always C)");
    }
    JsonNode filters = node.get("filters");
    if (filters != null && !filters.isNull() && filters.size() > 0) {
      throw new UnsupportedRequest("jzarr has no filters (see " + PARAMS + "; .zarray filters is always null)");
    }
  }
}
