package zarr.conformance.kit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Moves values between .npy bytes and flat Java primitive arrays in C order. Bits are kept as
 * they are: an unsigned numpy type goes into the Java type of the same width (uint16 -> short[]),
 * which is how both Java libraries document their unsigned types.
 */
public final class JavaArrays {
  private JavaArrays() {}

  /** The npy values as boolean[], byte[], short[], int[], long[], float[] or double[] in C order. */
  public static Object fromNpy(NpyArray npy) {
    NpyArray c = npy.toCOrder();
    ByteBuffer in = ByteBuffer.wrap(c.data).order(c.dtype.byteOrder());
    int n = (int) c.size();
    char kind = c.dtype.kind;
    switch (kind + "" + c.dtype.itemSize) {
      case "b1": { boolean[] v = new boolean[n]; for (int i = 0; i < n; i++) v[i] = in.get() != 0; return v; }
      case "i1": case "u1": { byte[] v = new byte[n]; in.get(v); return v; }
      case "i2": case "u2": { short[] v = new short[n]; in.asShortBuffer().get(v); return v; }
      case "i4": case "u4": { int[] v = new int[n]; in.asIntBuffer().get(v); return v; }
      case "i8": case "u8": { long[] v = new long[n]; in.asLongBuffer().get(v); return v; }
      case "f4": { float[] v = new float[n]; in.asFloatBuffer().get(v); return v; }
      case "f8": { double[] v = new double[n]; in.asDoubleBuffer().get(v); return v; }
      default: throw new IllegalArgumentException("npy dtype " + c.dtype + " is not supported by this worker");
    }
  }

  /** A C-order .npy (little-endian) of {@code values}, labelled with numpy kind 'b','i','u' or 'f'. */
  public static NpyArray toNpy(Object values, char kind, int[] shape) {
    ByteBuffer out;
    int itemSize;
    if (values instanceof boolean[]) {
      boolean[] v = (boolean[]) values;
      itemSize = 1;
      out = ByteBuffer.allocate(v.length);
      for (boolean b : v) out.put((byte) (b ? 1 : 0));
    } else if (values instanceof byte[]) {
      itemSize = 1;
      out = ByteBuffer.wrap((byte[]) values);
    } else if (values instanceof short[]) {
      short[] v = (short[]) values;
      itemSize = 2;
      out = little(v.length * 2);
      out.asShortBuffer().put(v);
    } else if (values instanceof int[]) {
      int[] v = (int[]) values;
      itemSize = 4;
      out = little(v.length * 4);
      out.asIntBuffer().put(v);
    } else if (values instanceof long[]) {
      long[] v = (long[]) values;
      itemSize = 8;
      out = little(v.length * 8);
      out.asLongBuffer().put(v);
    } else if (values instanceof float[]) {
      float[] v = (float[]) values;
      itemSize = 4;
      out = little(v.length * 4);
      out.asFloatBuffer().put(v);
    } else if (values instanceof double[]) {
      double[] v = (double[]) values;
      itemSize = 8;
      out = little(v.length * 8);
      out.asDoubleBuffer().put(v);
    } else {
      throw new IllegalArgumentException("cannot write " + (values == null ? "null" : values.getClass().getSimpleName()) + " to .npy");
    }
    NumpyDtype dtype = NumpyDtype.parse(NumpyDtype.littleEndian(kind, itemSize));
    return new NpyArray(dtype, shape, false, out.array());
  }

  private static ByteBuffer little(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }
}
