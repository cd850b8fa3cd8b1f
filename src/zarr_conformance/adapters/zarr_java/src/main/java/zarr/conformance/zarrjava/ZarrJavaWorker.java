package zarr.conformance.zarrjava;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import zarr.conformance.kit.LibraryVersion;
import zarr.conformance.kit.Worker;
import zarr.conformance.kit.WorkerLoop;

/** The zarr-java worker: `java -jar worker.jar`, JSON lines on stdin/stdout (docs/protocol.md). */
public final class ZarrJavaWorker implements Worker {
  private final ZarrJavaReader reader = new ZarrJavaReader();
  private final ZarrJavaWriter writer = new ZarrJavaWriter();

  public static void main(String[] args) throws Exception {
    WorkerLoop.run(new ZarrJavaWorker());
  }

  @Override
  public ObjectNode hello() {
    ObjectNode reply = JsonNodeFactory.instance.objectNode();
    reply.put("name", "zarr-java");
    reply.put("version", LibraryVersion.of("dev.zarr", "zarr-java", dev.zarr.zarrjava.v3.Array.class));
    reply.put("detail", LibraryVersion.javaDetail()
        + "; blosc-java " + LibraryVersion.of("com.scalableminds", "blosc-java", com.scalableminds.bloscjava.Blosc.class)
        + "; zstd-jni " + LibraryVersion.of("com.github.luben", "zstd-jni", com.github.luben.zstd.Zstd.class));
    ObjectNode disabled = NativeCodecProbe.disabled();
    if (disabled.size() > 0) reply.set("disabled", disabled);
    return reply;
  }

  @Override
  public ObjectNode read(JsonNode request) throws Exception {
    return reader.read(request);
  }

  @Override
  public ObjectNode write(JsonNode request) throws Exception {
    return writer.write(request);
  }
}
