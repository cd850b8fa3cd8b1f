package zarr.conformance.jzarr;

import com.bc.zarr.ZarrArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import zarr.conformance.kit.LibraryVersion;
import zarr.conformance.kit.Worker;
import zarr.conformance.kit.WorkerLoop;

/** The jzarr worker: `java -jar worker.jar`, JSON lines on stdin/stdout (docs/protocol.md). */
public final class JzarrWorker implements Worker {
  private final JzarrReader reader = new JzarrReader();
  private final JzarrWriter writer = new JzarrWriter();

  public static void main(String[] args) throws Exception {
    WorkerLoop.run(new JzarrWorker());
  }

  @Override
  public ObjectNode hello() {
    ObjectNode reply = JsonNodeFactory.instance.objectNode();
    reply.put("name", "jzarr");
    reply.put("version", LibraryVersion.of("dev.zarr", "jzarr", ZarrArray.class));
    reply.put("detail", LibraryVersion.javaDetail() + "; blosc through jblosc "
        + LibraryVersion.of("org.lasersonlab", "jblosc", org.blosc.JBlosc.class) + " (JNA, system libblosc)");
    String bloscProblem = BloscProbe.problem();
    if (bloscProblem != null) reply.putObject("disabled").put("blosc", bloscProblem);
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
