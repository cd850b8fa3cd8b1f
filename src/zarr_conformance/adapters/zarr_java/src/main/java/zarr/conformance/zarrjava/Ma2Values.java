package zarr.conformance.zarrjava;

import ucar.ma2.DataType;
import zarr.conformance.kit.JavaArrays;
import zarr.conformance.kit.NpyArray;

/**
 * Values between ucar.ma2.Array (zarr-java's in-memory type) and .npy. zarr-java maps uint8..uint64
 * to ucar.ma2's UBYTE..ULONG, whose Java storage is the signed type of the same width; the numpy
 * dtype reported follows the ucar DataType (unsigned stays unsigned), the bits pass unchanged.
 */
final class Ma2Values {
  private Ma2Values() {}

  static NpyArray toNpy(ucar.ma2.Array values) {
    return JavaArrays.toNpy(values.copyTo1DJavaArray(), numpyKind(values.getDataType()), values.getShape());
  }

  static ucar.ma2.Array fromNpy(NpyArray values, DataType ma2Type) {
    return ucar.ma2.Array.factory(ma2Type, values.shape, JavaArrays.fromNpy(values));
  }

  /**
   * zarr-java parses a uint fill value into the signed Java type of the same width (uint8 250 ->
   * byte -6); read with the same documented unsigned mapping as the values, it is 250.
   */
  static Object unsignedFill(Object fill, DataType type) {
    if (!type.isUnsigned() || !(fill instanceof Number)) return fill;
    if (fill instanceof Byte) return ((Byte) fill) & 0xffL;
    if (fill instanceof Short) return ((Short) fill) & 0xffffL;
    if (fill instanceof Integer) return ((Integer) fill) & 0xffffffffL;
    if (fill instanceof Long) return new java.math.BigInteger(Long.toUnsignedString((Long) fill));
    return fill;
  }

  static char numpyKind(DataType type) {
    switch (type) {
      case BOOLEAN: return 'b';
      case FLOAT: case DOUBLE: return 'f';
      case UBYTE: case USHORT: case UINT: case ULONG: return 'u';
      case BYTE: case SHORT: case INT: case LONG: return 'i';
      default: throw new IllegalArgumentException("no numpy dtype for ucar.ma2 " + type);
    }
  }
}
