package zarr.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** Fill values between Java objects and their Zarr v3 JSON form ("NaN", "Infinity", ...). */
public final class FillValues {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private FillValues() {}

  /** The JSON of a fill value as a library reports it: Number, Boolean or null. */
  public static JsonNode toJson(Object value) {
    if (value == null) return NODES.nullNode();
    if (value instanceof Boolean) return NODES.booleanNode((Boolean) value);
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d)) return NODES.textNode("NaN");
      if (Double.isInfinite(d)) return NODES.textNode(d > 0 ? "Infinity" : "-Infinity");
      return value instanceof Float ? NODES.numberNode((Float) value) : NODES.numberNode(d);
    }
    if (value instanceof java.math.BigInteger) return NODES.numberNode((java.math.BigInteger) value);
    if (value instanceof Number) return NODES.numberNode(((Number) value).longValue());
    return NODES.textNode(value.toString());
  }

  /** A request's fill value as a Java Number (Long for integers, Double otherwise), or null. */
  public static Number toNumber(JsonNode json) {
    if (json == null || json.isNull()) return null;
    if (json.isBoolean()) return json.booleanValue() ? 1L : 0L;
    if (json.isIntegralNumber()) return json.canConvertToLong() ? json.longValue() : json.bigIntegerValue();
    if (json.isNumber()) return json.doubleValue();
    switch (json.asText()) {
      case "NaN": return Double.NaN;
      case "Infinity": return Double.POSITIVE_INFINITY;
      case "-Infinity": return Double.NEGATIVE_INFINITY;
      default: throw new IllegalArgumentException("Expected a numeric fill value. Got " + json + " instead.");
    }
  }
}
