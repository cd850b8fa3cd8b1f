package zarr.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/**
 * Region reads (docs/protocol.md "Region reads"): a read request's array node may carry
 * "region": [[start, stop], ...], the half-open box to read. The box is checked against the array's
 * shape here; a worker passes its offset and shape to the library's own partial read.
 */
public final class Region {
  private final long[] start;
  private final long[] stop;

  private Region(long[] start, long[] stop) {
    this.start = start;
    this.stop = stop;
  }

  /** The node's region checked against the array's shape, or null when the whole array is asked. */
  public static Region of(JsonNode node, long[] shape) {
    JsonNode region = node.get("region");
    if (region == null || region.isNull()) return null;
    boolean ok = region.isArray() && region.size() == shape.length;
    long[] start = new long[shape.length];
    long[] stop = new long[shape.length];
    for (int d = 0; ok && d < shape.length; d++) {
      JsonNode pair = region.get(d);
      ok = pair.isArray() && pair.size() == 2 && isIndex(pair.get(0)) && isIndex(pair.get(1));
      if (ok) {
        start[d] = pair.get(0).longValue();
        stop[d] = pair.get(1).longValue();
        ok = 0 <= start[d] && start[d] <= stop[d] && stop[d] <= shape[d];
      }
    }
    if (!ok) {
      throw new IllegalArgumentException("region " + region + " is not a [start, stop] box inside the array's shape "
          + Arrays.toString(shape));
    }
    return new Region(start, stop);
  }

  public static Region of(JsonNode node, int[] shape) {
    return of(node, Reports.longs(shape));
  }

  private static boolean isIndex(JsonNode x) {
    return x.isIntegralNumber() && x.canConvertToLong();
  }

  /** Where the box starts, per dimension. */
  public long[] offset() {
    return start.clone();
  }

  /** The offset for APIs that index with ints; a box past 2^31 is refused, not wrapped. */
  public int[] intOffset() {
    int[] out = new int[start.length];
    for (int d = 0; d < out.length; d++) out[d] = Math.toIntExact(start[d]);
    return out;
  }

  /** The box's shape (stop - start per dimension): the shape of the values read. */
  public int[] shape() {
    int[] out = new int[start.length];
    for (int d = 0; d < out.length; d++) out[d] = Math.toIntExact(stop[d] - start[d]);
    return out;
  }

  /** The reply node repeats the region it was asked for (nothing when none was asked). */
  public static void echo(ObjectNode reply, Region region) {
    if (region == null) return;
    ArrayNode box = reply.putArray("region");
    for (int d = 0; d < region.start.length; d++) box.addArray().add(region.start[d]).add(region.stop[d]);
  }
}
