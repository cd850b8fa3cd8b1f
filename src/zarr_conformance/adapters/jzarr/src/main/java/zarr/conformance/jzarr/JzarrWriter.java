package zarr.conformance.jzarr;

import com.bc.zarr.ArrayParams;
import com.bc.zarr.Compressor;
import com.bc.zarr.CompressorFactory;
import com.bc.zarr.DataType;
import com.bc.zarr.DimensionSeparator;
import com.bc.zarr.ZarrArray;
import com.bc.zarr.ZarrGroup;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import zarr.conformance.kit.FillValues;
import zarr.conformance.kit.JavaArrays;
import zarr.conformance.kit.NpyArray;
import zarr.conformance.kit.NumpyDtype;
import zarr.conformance.kit.Requests;

/** Creates the requested groups and arrays with ZarrGroup.create / ZarrArray.create and writes values. */
final class JzarrWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  ObjectNode write(JsonNode request) throws Exception {
    JzarrLimits.checkWrite(request);
    Path store = Requests.store(request);
    Files.createDirectories(store);
    for (JsonNode node : Requests.nodes(request)) {
      Path dir = Requests.nodeDir(store, node);
      if (Requests.isGroup(node)) {
        ZarrGroup.create(dir, Requests.attributes(node));
      } else {
        writeArray(node, dir);
      }
    }
    return JsonNodeFactory.instance.objectNode();
  }

  private void writeArray(JsonNode node, Path dir) throws Exception {
    NumpyDtype dtype = NumpyDtype.parse(Requests.text(node, "dtype"));
    int[] shape = Requests.ints(node, "shape");
    ArrayParams params = new ArrayParams()
        .shape(shape)
        .chunks(Requests.ints(node, "chunks"))
        .dataType(DataType.valueOf(dtype.kindAndSize()))
        .byteOrder(dtype.order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
        .fillValue(FillValues.toNumber(node.get("fill_value")))
        .compressor(compressor(node.get("compressor")))
        .dimensionSeparator(node.path("chunk_key_separator").asText(".").equals("/") ? DimensionSeparator.SLASH : DimensionSeparator.DOT);
    ZarrArray array = ZarrArray.create(dir, params, Requests.attributes(node));
    NpyArray values = Requests.values(node);
    if (values == null) return;
    Requests.requireSameType(values, dtype);
    // jzarr takes unsigned values in the signed Java type of the same width (docs/datatype.rst).
    array.write(JavaArrays.fromNpy(values), shape, new int[shape.length]);
  }

  /** The numcodecs config handed to jzarr's own CompressorFactory; null means no compressor. */
  private static Compressor compressor(JsonNode config) {
    if (config == null || config.isNull()) return null;
    @SuppressWarnings("unchecked")
    Map<String, Object> properties = JSON.convertValue(config, Map.class);
    return CompressorFactory.create(properties);
  }
}
