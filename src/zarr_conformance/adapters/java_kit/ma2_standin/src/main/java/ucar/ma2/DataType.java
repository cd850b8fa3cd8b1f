package ucar.ma2;

/**
 * Stand-in for netCDF-Java's ucar.ma2.DataType (cdm-core 5.x), limited to the members jzarr and
 * zarr-java use. Why it exists: java_kit/README.md.
 */
public enum DataType {
  BOOLEAN(boolean.class, 1, false),
  BYTE(byte.class, 1, false),
  CHAR(char.class, 1, false),
  SHORT(short.class, 2, false),
  INT(int.class, 4, false),
  LONG(long.class, 8, false),
  FLOAT(float.class, 4, false),
  DOUBLE(double.class, 8, false),
  STRING(String.class, 0, false),
  OBJECT(Object.class, 0, false),
  UBYTE(byte.class, 1, true),
  USHORT(short.class, 2, true),
  UINT(int.class, 4, true),
  ULONG(long.class, 8, true);

  private final Class<?> primitiveClass;
  private final int size;
  private final boolean unsigned;

  DataType(Class<?> primitiveClass, int size, boolean unsigned) {
    this.primitiveClass = primitiveClass;
    this.size = size;
    this.unsigned = unsigned;
  }

  public Class<?> getPrimitiveClassType() {
    return primitiveClass;
  }

  public int getSize() {
    return size;
  }

  public boolean isUnsigned() {
    return unsigned;
  }

  /** The signed or unsigned DataType whose Java storage is {@code c} (primitive or boxed). */
  public static DataType getType(Class<?> c, boolean isUnsigned) {
    if (c == null) return null;
    if (c == boolean.class || c == Boolean.class) return BOOLEAN;
    if (c == byte.class || c == Byte.class) return isUnsigned ? UBYTE : BYTE;
    if (c == char.class || c == Character.class) return CHAR;
    if (c == short.class || c == Short.class) return isUnsigned ? USHORT : SHORT;
    if (c == int.class || c == Integer.class) return isUnsigned ? UINT : INT;
    if (c == long.class || c == Long.class) return isUnsigned ? ULONG : LONG;
    if (c == float.class || c == Float.class) return FLOAT;
    if (c == double.class || c == Double.class) return DOUBLE;
    if (c == String.class) return STRING;
    return OBJECT;
  }

  public static short unsignedByteToShort(byte b) {
    return (short) (b & 0xff);
  }

  public static int unsignedShortToInt(short s) {
    return s & 0xffff;
  }

  public static long unsignedIntToLong(int i) {
    return i & 0xffffffffL;
  }
}
