package zarr.conformance.kit;

import java.nio.ByteOrder;

/** A simple numpy dtype string such as "<i4", ">u2", "|b1": byte order, kind, item size. */
public final class NumpyDtype {
  public final char order; // '<', '>', '|' (or '=' for native)
  public final char kind; // 'b', 'i', 'u', 'f'
  public final int itemSize;

  private NumpyDtype(char order, char kind, int itemSize) {
    this.order = order;
    this.kind = kind;
    this.itemSize = itemSize;
  }

  public static NumpyDtype parse(String dtype) {
    if (dtype == null || dtype.length() < 3 || "<>|=".indexOf(dtype.charAt(0)) < 0) {
      throw new IllegalArgumentException("Expected a numpy dtype like '<i4'. Got " + dtype + " instead.");
    }
    return new NumpyDtype(dtype.charAt(0), dtype.charAt(1), Integer.parseInt(dtype.substring(2)));
  }

  /** The dtype string for values stored in Java order (we always write little-endian). */
  public static String littleEndian(char kind, int itemSize) {
    return (itemSize == 1 ? "|" : "<") + kind + itemSize;
  }

  public ByteOrder byteOrder() {
    if (order == '>') return ByteOrder.BIG_ENDIAN;
    if (order == '<') return ByteOrder.LITTLE_ENDIAN;
    return ByteOrder.nativeOrder();
  }

  public boolean isBigEndian() {
    return order == '>' && itemSize > 1;
  }

  /** Kind and size only, e.g. "i4": what the Zarr v2 dtype names without its byte order. */
  public String kindAndSize() {
    return "" + kind + itemSize;
  }

  @Override
  public String toString() {
    return "" + order + kind + itemSize;
  }
}
