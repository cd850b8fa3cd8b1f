package zarr.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One implementation's answers to the protocol verbs (docs/protocol.md). Each method returns the
 * verb-specific fields of a success reply; WorkerLoop adds id and ok. Throw UnsupportedRequest to
 * decline before calling the library; anything else thrown becomes an error reply.
 */
public interface Worker {
  ObjectNode hello() throws Exception;

  ObjectNode read(JsonNode request) throws Exception;

  ObjectNode write(JsonNode request) throws Exception;
}
