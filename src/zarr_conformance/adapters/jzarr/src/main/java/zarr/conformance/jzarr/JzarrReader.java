package zarr.conformance.jzarr;

import com.bc.zarr.DataType;
import com.bc.zarr.ZarrArray;
import com.bc.zarr.ZarrGroup;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.nio.file.Paths;
import zarr.conformance.kit.JavaArrays;
import zarr.conformance.kit.NpyArray;
import zarr.conformance.kit.Region;
import zarr.conformance.kit.Reports;
import zarr.conformance.kit.Requests;

/** Reads the requested nodes through ZarrGroup / ZarrArray and reports what jzarr returned. */
final class JzarrReader {

  ObjectNode read(JsonNode request) throws Exception {
    Path store = Requests.store(request);
    Path outDir = Paths.get(Requests.text(request, "out_dir"));
    ObjectNode reply = JsonNodeFactory.instance.objectNode();
    int index = 0;
    for (JsonNode node : Requests.nodes(request)) {
      String path = Requests.text(node, "path");
      Path dir = Requests.nodeDir(store, node);
      if (Requests.isGroup(node)) {
        reply.withArray("nodes").add(Reports.group(path, ZarrGroup.open(dir).getAttributes()));
      } else {
        reply.withArray("nodes").add(readArray(path, dir, node, outDir, index));
      }
      index++;
    }
    if (!reply.has("nodes")) reply.putArray("nodes");
    return reply;
  }

  private ObjectNode readArray(String path, Path dir, JsonNode node, Path outDir, int index) throws Exception {
    ZarrArray array = ZarrArray.open(dir);
    int[] shape = array.getShape();
    // A region read is jzarr's own partial read, ZarrArray.read(shape, offset): only the chunks it touches.
    Region region = Region.of(node, shape);
    Object values = region == null ? array.read() : array.read(region.shape(), region.intOffset());
    NpyArray npy = JavaArrays.toNpy(values, numpyKind(array.getDataType()), region == null ? shape : region.shape());
    // jzarr has no dimension names; a v2 _ARRAY_DIMENSIONS attribute stays in the attributes.
    ObjectNode report = Reports.array(path, Reports.longs(shape), npy, array.getFillValue(), array.getAttributes(), null,
        outDir, index);
    Region.echo(report, region);
    return report;
  }

  /** jzarr's documented mapping: u1/u2/u4 come back in byte/short/int "to be used unsigned". */
  static char numpyKind(DataType dataType) {
    return dataType.name().charAt(0);
  }
}
