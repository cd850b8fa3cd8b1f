package zarr.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The JSON-lines loop: one request per stdin line, one reply per stdout line, until shutdown or EOF. */
public final class WorkerLoop {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Worker worker;
  private final PrintStream replies;

  private WorkerLoop(Worker worker, PrintStream replies) {
    this.worker = worker;
    this.replies = replies;
  }

  /** Runs the loop on this process's stdin/stdout; returns when told to shut down or stdin ends. */
  public static void run(Worker worker) throws IOException {
    PrintStream protocolOut = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    // Anything a library prints to System.out would corrupt the protocol: send it to stderr.
    System.setOut(System.err);
    new WorkerLoop(worker, protocolOut).loop();
  }

  private void loop() throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) continue;
      if (!answer(line)) return;
    }
  }

  /** Answers one request line; false once the request was shutdown. */
  /** The protocol version this kit speaks (docs/protocol.md); the harness refuses another. */
  public static final int PROTOCOL_VERSION = 1;

  private boolean answer(String line) {
    JsonNode id = null;
    boolean keepGoing = true;
    ObjectNode reply;
    try {
      JsonNode request = JSON.readTree(line);
      if (request == null || !request.isObject()) throw new IllegalArgumentException("request is not a JSON object");
      id = request.get("id");
      String op = request.path("op").asText("");
      keepGoing = !op.equals("shutdown");
      reply = Replies.ok(id, dispatch(op, request));
    } catch (UnsupportedRequest declined) {
      reply = Replies.unsupported(id, declined.getMessage());
    } catch (Throwable failure) { // NoClassDefFoundError, OutOfMemoryError, ...: still one reply per request
      System.err.println("request failed: " + failure);
      failure.printStackTrace(System.err);
      reply = Replies.error(id, failure);
    }
    replies.println(reply.toString());
    replies.flush();
    return keepGoing;
  }

  private ObjectNode dispatch(String op, JsonNode request) throws Exception {
    switch (op) {
      case "hello": return worker.hello().put("protocol", PROTOCOL_VERSION);
      case "read": return worker.read(request);
      case "write": return worker.write(request);
      case "shutdown": return JsonNodeFactory.instance.objectNode();
      default: throw new IllegalArgumentException("unknown op '" + op + "'");
    }
  }
}
