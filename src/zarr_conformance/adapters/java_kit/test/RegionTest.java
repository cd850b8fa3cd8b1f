// The kit's Region, run as a single-file program against a worker jar (which holds the kit and Jackson):
//   java -cp <worker.jar> src/zarr_conformance/adapters/java_kit/test/RegionTest.java
// (tests/unit/test_java_kit.py does this with zarr-java's jar). Prints "ok" and exits 0, or throws.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import zarr.conformance.kit.Region;

public class RegionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    check(Region.of(node("{\"path\": \"a\"}"), new long[] {3, 4}) == null, "no region is the whole array");
    check(Region.of(node("{\"region\": null}"), new long[] {3}) == null, "a null region is the whole array");

    Region box = Region.of(node("{\"region\": [[1, 3], [0, 0], [2, 5]]}"), new int[] {3, 4, 5});
    check(Arrays.equals(box.offset(), new long[] {1, 0, 2}), "offset " + Arrays.toString(box.offset()));
    check(Arrays.equals(box.intOffset(), new int[] {1, 0, 2}), "int offset");
    check(Arrays.equals(box.shape(), new int[] {2, 0, 3}), "shape " + Arrays.toString(box.shape()));

    Region scalar = Region.of(node("{\"region\": []}"), new long[0]);  // 0-d
    check(scalar.offset().length == 0 && scalar.shape().length == 0, "a 0-d region is empty");

    String[] bad = {"[[0, 4], [0, 1]]", "[[2, 1], [0, 1]]", "[[0, 1]]", "[[-1, 1], [0, 1]]", "[[0.5, 1], [0, 1]]",
        "\"0:1\"", "[[0, 1, 2], [0, 1]]", "[[\"0\", 1], [0, 1]]"};
    for (String region : bad) {
      try {
        Region.of(node("{\"region\": " + region + "}"), new long[] {3, 4});
        throw new AssertionError("accepted " + region);
      } catch (IllegalArgumentException expected) {
        check(expected.getMessage().contains("is not a [start, stop] box inside the array's shape [3, 4]"),
            expected.getMessage());
      }
    }

    long big = 1L << 40;
    Region far = Region.of(node("{\"region\": [[" + big + ", " + (big + 2) + "]]}"), new long[] {big * 2});
    check(far.offset()[0] == big && far.shape()[0] == 2, "offsets past 2^31 as longs");
    try {
      far.intOffset();
      throw new AssertionError("an offset past 2^31 became an int");
    } catch (ArithmeticException expected) {
      // refused, not wrapped
    }

    ObjectNode reply = JSON.createObjectNode();
    Region.echo(reply, null);
    check(!reply.has("region"), "nothing echoed without a region");
    Region.echo(reply, box);
    check(reply.toString().equals("{\"region\":[[1,3],[0,0],[2,5]]}"), "echo " + reply);
    System.out.println("ok");
  }

  private static JsonNode node(String json) throws Exception {
    return JSON.readTree(json);
  }

  private static void check(boolean ok, String what) {
    if (!ok) throw new AssertionError(what);
  }
}
