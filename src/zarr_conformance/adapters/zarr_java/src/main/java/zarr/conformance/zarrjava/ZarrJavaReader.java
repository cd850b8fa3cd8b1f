package zarr.conformance.zarrjava;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.zarr.zarrjava.store.FilesystemStore;
import dev.zarr.zarrjava.store.StoreHandle;
import java.nio.file.Path;
import java.nio.file.Paths;
import zarr.conformance.kit.Region;
import zarr.conformance.kit.Reports;
import zarr.conformance.kit.Requests;

/**
 * Reads the requested nodes through zarr-java's v2 or v3 Group / Array and reports what it returned; a region read
 * is zarr-java's own partial read, Array.read(offset, shape).
 */
final class ZarrJavaReader {

  ObjectNode read(JsonNode request) throws Exception {
    int format = Requests.zarrFormat(request);
    FilesystemStore store = new FilesystemStore(Requests.store(request));
    Path outDir = Paths.get(Requests.text(request, "out_dir"));
    ObjectNode reply = JsonNodeFactory.instance.objectNode();
    reply.putArray("nodes");
    int index = 0;
    for (JsonNode node : Requests.nodes(request)) {
      String path = Requests.text(node, "path");
      StoreHandle handle = handle(store, path);
      boolean group = Requests.isGroup(node);
      ObjectNode report = format == 3 ? readV3(path, handle, group, node, outDir, index)
          : readV2(path, handle, group, node, outDir, index);
      reply.withArray("nodes").add(report);
      index++;
    }
    return reply;
  }

  static StoreHandle handle(FilesystemStore store, String path) {
    return path.isEmpty() ? store.resolve() : store.resolve(path.split("/"));
  }

  private ObjectNode readV2(String path, StoreHandle handle, boolean group, JsonNode node, Path outDir, int index)
      throws Exception {
    if (group) return Reports.group(path, dev.zarr.zarrjava.v2.Group.open(handle).metadata.attributes);
    dev.zarr.zarrjava.v2.Array array = dev.zarr.zarrjava.v2.Array.open(handle);
    dev.zarr.zarrjava.v2.ArrayMetadata meta = array.metadata();
    Region region = Region.of(node, meta.shape);
    ucar.ma2.Array values = region == null ? array.read() : array.read(region.offset(), region.shape());
    // v2 has no dimension names in zarr-java; _ARRAY_DIMENSIONS stays in the attributes.
    ObjectNode report = Reports.array(path, meta.shape, Ma2Values.toNpy(values),
        Ma2Values.unsignedFill(meta.parsedFillValue, values.getDataType()), meta.attributes, null, outDir, index);
    Region.echo(report, region);
    return report;
  }

  private ObjectNode readV3(String path, StoreHandle handle, boolean group, JsonNode node, Path outDir, int index)
      throws Exception {
    if (group) return Reports.group(path, dev.zarr.zarrjava.v3.Group.open(handle).metadata.attributes);
    dev.zarr.zarrjava.v3.Array array = dev.zarr.zarrjava.v3.Array.open(handle);
    dev.zarr.zarrjava.v3.ArrayMetadata meta = array.metadata();
    Region region = Region.of(node, meta.shape);
    ucar.ma2.Array values = region == null ? array.read() : array.read(region.offset(), region.shape());
    ObjectNode report = Reports.array(path, meta.shape, Ma2Values.toNpy(values),
        Ma2Values.unsignedFill(meta.parsedFillValue, values.getDataType()), meta.attributes, meta.dimensionNames, outDir,
        index);
    Region.echo(report, region);
    return report;
  }
}
