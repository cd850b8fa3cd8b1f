package zarr.conformance.zarrjava;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.zarr.zarrjava.core.Attributes;
import dev.zarr.zarrjava.store.FilesystemStore;
import dev.zarr.zarrjava.store.StoreHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import zarr.conformance.kit.NpyArray;
import zarr.conformance.kit.NumpyDtype;
import zarr.conformance.kit.Requests;

/**
 * Creates the requested nodes with zarr-java's Group.create / Array.create and writes the values.
 * Array metadata is handed over as the JSON document (.zarray / zarr.json) parsed by zarr-java's
 * own ObjectMapper, so codec configurations reach the library exactly as the request gives them.
 */
final class ZarrJavaWriter {

  ObjectNode write(JsonNode request) throws Exception {
    ZarrJavaLimits.checkWrite(request);
    int format = Requests.zarrFormat(request);
    Path storePath = Requests.store(request);
    Files.createDirectories(storePath);
    FilesystemStore store = new FilesystemStore(storePath);
    for (JsonNode node : Requests.nodes(request)) {
      StoreHandle handle = ZarrJavaReader.handle(store, Requests.text(node, "path"));
      Attributes attributes = new Attributes(Requests.attributes(node));
      if (Requests.isGroup(node)) {
        if (format == 3) dev.zarr.zarrjava.v3.Group.create(handle, attributes);
        else dev.zarr.zarrjava.v2.Group.create(handle, attributes);
      } else if (format == 3) {
        writeV3(node, handle, attributes);
      } else {
        writeV2(node, handle, attributes);
      }
    }
    return JsonNodeFactory.instance.objectNode();
  }

  private void writeV3(JsonNode node, StoreHandle handle, Attributes attributes) throws Exception {
    ObjectNode json = MetadataJson.v3(node);
    dev.zarr.zarrjava.v3.ArrayMetadata metadata =
        dev.zarr.zarrjava.v3.Node.makeObjectMapper().treeToValue(json, dev.zarr.zarrjava.v3.ArrayMetadata.class);
    dev.zarr.zarrjava.v3.Array array = dev.zarr.zarrjava.v3.Array.create(handle, metadata);
    writeValues(node, array, metadata.dataType.getMA2DataType());
  }

  private void writeV2(JsonNode node, StoreHandle handle, Attributes attributes) throws Exception {
    ObjectNode json = MetadataJson.v2(node);
    dev.zarr.zarrjava.v2.ArrayMetadata metadata =
        dev.zarr.zarrjava.v2.Node.makeObjectMapper().treeToValue(json, dev.zarr.zarrjava.v2.ArrayMetadata.class);
    if (node.hasNonNull("attributes")) metadata.attributes = attributes;
    dev.zarr.zarrjava.v2.Array array = dev.zarr.zarrjava.v2.Array.create(handle, metadata);
    writeValues(node, array, metadata.dataType.getMA2DataType());
  }

  private void writeValues(JsonNode node, dev.zarr.zarrjava.core.Array array, ucar.ma2.DataType ma2Type) throws Exception {
    NpyArray values = Requests.values(node);
    if (values == null) return;
    Requests.requireSameType(values, NumpyDtype.parse(Requests.text(node, "dtype")));
    array.write(Ma2Values.fromNpy(values, ma2Type));
  }
}
