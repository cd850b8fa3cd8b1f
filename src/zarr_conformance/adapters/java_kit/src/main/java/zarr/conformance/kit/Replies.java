package zarr.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The three reply shapes of the protocol envelope. */
public final class Replies {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Replies() {}

  public static ObjectNode ok(JsonNode id, ObjectNode fields) {
    ObjectNode reply = start(id, true);
    reply.setAll(fields);
    return reply;
  }

  public static ObjectNode unsupported(JsonNode id, String reason) {
    return start(id, false).put("unsupported", reason);
  }

  public static ObjectNode error(JsonNode id, Throwable failure) {
    ObjectNode reply = start(id, false);
    ObjectNode error = reply.putObject("error");
    error.put("type", failure.getClass().getSimpleName());
    error.put("message", ErrorText.describe(failure));
    return reply;
  }

  private static ObjectNode start(JsonNode id, boolean ok) {
    ObjectNode reply = NODES.objectNode();
    reply.set("id", id == null ? NODES.nullNode() : id);
    reply.put("ok", ok);
    return reply;
  }
}
