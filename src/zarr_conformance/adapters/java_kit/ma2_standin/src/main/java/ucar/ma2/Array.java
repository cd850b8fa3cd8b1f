package ucar.ma2;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Stand-in for netCDF-Java's ucar.ma2.Array (cdm-core 5.x), covering what jzarr 0.4.2 and
 * zarr-java 0.0.9 call. Elements live in a flat Java array; an Index gives the view over it.
 * Element getters on unsigned types widen the way netCDF-Java documents (a UBYTE read as int is
 * 0..255); setters narrow with plain Java casts.
 */
public abstract class Array {
  protected final DataType dataType;
  protected final Index indexCalc;

  protected Array(DataType dataType, Index index) {
    this.dataType = dataType;
    this.indexCalc = index;
  }

  public static Array factory(DataType dataType, int[] shape) {
    return factory(dataType, Index.factory(shape), null);
  }

  public static Array factory(DataType dataType, int[] shape, Object storage) {
    return factory(dataType, Index.factory(shape), storage);
  }

  /** Wraps {@code storage} (not copied); allocates it when null. */
  public static Array factory(DataType dataType, Index index, Object storage) {
    int size = (int) index.getSize();
    switch (dataType) {
      case BOOLEAN: return new ArrayBoolean(index, storage == null ? new boolean[size] : (boolean[]) storage);
      case BYTE: case UBYTE: return new ArrayByte(dataType, index, storage == null ? new byte[size] : (byte[]) storage);
      case SHORT: case USHORT: return new ArrayShort(dataType, index, storage == null ? new short[size] : (short[]) storage);
      case INT: case UINT: return new ArrayInt(dataType, index, storage == null ? new int[size] : (int[]) storage);
      case LONG: case ULONG: return new ArrayLong(dataType, index, storage == null ? new long[size] : (long[]) storage);
      case FLOAT: return new ArrayFloat(index, storage == null ? new float[size] : (float[]) storage);
      case DOUBLE: return new ArrayDouble(index, storage == null ? new double[size] : (double[]) storage);
      default: return new ArrayObject(dataType, index, storage == null ? new Object[size] : (Object[]) storage);
    }
  }

  /** Reads the elements from {@code bb} (from its position, in its byte order) in C order. */
  public static Array factory(DataType dataType, int[] shape, ByteBuffer bb) {
    ByteBuffer in = bb.duplicate().order(bb.order());
    Array result = factory(dataType, shape);
    int size = (int) result.getSize();
    for (int i = 0; i < size; i++) {
      switch (dataType) {
        case BYTE: case UBYTE: result.setByte(i, in.get()); break;
        case SHORT: case USHORT: result.setShort(i, in.getShort()); break;
        case INT: case UINT: result.setInt(i, in.getInt()); break;
        case LONG: case ULONG: result.setLong(i, in.getLong()); break;
        case FLOAT: result.setFloat(i, in.getFloat()); break;
        case DOUBLE: result.setDouble(i, in.getDouble()); break;
        case BOOLEAN: result.setBoolean(i, in.get() != 0); break;
        default: throw new UnsupportedOperationException("factory from ByteBuffer for " + dataType);
      }
    }
    return result;
  }

  /** A new Array of this class over the same storage, seen through {@code index}. */
  protected abstract Array createView(Index index);

  public abstract Object getStorage();

  public DataType getDataType() {
    return dataType;
  }

  public boolean isUnsigned() {
    return dataType.isUnsigned();
  }

  public Class<?> getElementType() {
    return dataType.getPrimitiveClassType();
  }

  public int[] getShape() {
    return indexCalc.getShape();
  }

  public int getRank() {
    return indexCalc.getRank();
  }

  public long getSize() {
    return indexCalc.getSize();
  }

  public Index getIndex() {
    return indexCalc.clone().set(new int[indexCalc.getRank()]);
  }

  public IndexIterator getIndexIterator() {
    return new StridedIterator(this, indexCalc);
  }

  public IndexIterator getRangeIterator(List<Range> ranges) throws InvalidRangeException {
    int rank = ranges.size();
    int[] origin = new int[rank];
    int[] size = new int[rank];
    for (int d = 0; d < rank; d++) {
      origin[d] = ranges.get(d).first();
      size[d] = ranges.get(d).length();
    }
    return new StridedIterator(this, indexCalc.section(origin, size, null));
  }

  public Array sectionNoReduce(int[] origin, int[] shape, int[] stride) throws InvalidRangeException {
    return createView(indexCalc.section(origin, shape, stride));
  }

  public Array permute(int[] dims) {
    return createView(indexCalc.permute(dims));
  }

  /** A new Java array of the element type holding the elements in logical (C) order. */
  public Object copyTo1DJavaArray() {
    Array copy = factory(dataType, getShape());
    copyInto(copy);
    return copy.getStorage();
  }

  /** The storage itself when it already is in logical order and of that type, else a converted copy. */
  public Object get1DJavaArray(DataType wantType) {
    if (wantType == dataType) {
      return indexCalc.isContiguousFromZero() ? getStorage() : copyTo1DJavaArray();
    }
    Array converted = factory(wantType, getShape());
    IndexIterator from = getIndexIterator();
    IndexIterator to = converted.getIndexIterator();
    Class<?> want = wantType.getPrimitiveClassType();
    while (from.hasNext()) {
      if (want == long.class) to.setLongNext(from.getLongNext());
      else if (want == boolean.class) to.setBooleanNext(from.getBooleanNext());
      else if (want == float.class || want == double.class) to.setDoubleNext(from.getDoubleNext());
      else to.setLongNext(from.getLongNext());
    }
    return converted.getStorage();
  }

  /** The elements in logical (C) order as bytes in {@code order}. */
  public ByteBuffer getDataAsByteBuffer(ByteOrder order) {
    int size = (int) getSize();
    int width = dataType.getSize();
    ByteBuffer bb = ByteBuffer.allocate(size * width).order(order == null ? ByteOrder.BIG_ENDIAN : order);
    IndexIterator it = getIndexIterator();
    while (it.hasNext()) {
      switch (width) {
        case 1: bb.put(dataType == DataType.BOOLEAN ? (byte) (it.getBooleanNext() ? 1 : 0) : it.getByteNext()); break;
        case 2: bb.putShort(it.getShortNext()); break;
        case 4: if (dataType == DataType.FLOAT) bb.putFloat(it.getFloatNext()); else bb.putInt(it.getIntNext()); break;
        case 8: if (dataType == DataType.DOUBLE) bb.putDouble(it.getDoubleNext()); else bb.putLong(it.getLongNext()); break;
        default: throw new UnsupportedOperationException("getDataAsByteBuffer for " + dataType);
      }
    }
    bb.flip();
    return bb;
  }

  public ByteBuffer getDataAsByteBuffer() {
    return getDataAsByteBuffer(ByteOrder.BIG_ENDIAN);
  }

  private void copyInto(Array target) {
    IndexIterator from = getIndexIterator();
    IndexIterator to = target.getIndexIterator();
    while (from.hasNext()) to.setObjectNext(from.getObjectNext());
  }

  public long getLong(Index ima) { return getLong(ima.currentElement()); }
  public void setLong(Index ima, long value) { setLong(ima.currentElement(), value); }
  public double getDouble(Index ima) { return getDouble(ima.currentElement()); }
  public void setDouble(Index ima, double value) { setDouble(ima.currentElement(), value); }
  public int getInt(Index ima) { return getInt(ima.currentElement()); }
  public void setInt(Index ima, int value) { setInt(ima.currentElement(), value); }
  public Object getObject(Index ima) { return getObject(ima.currentElement()); }
  public void setObject(Index ima, Object value) { setObject(ima.currentElement(), value); }

  // Element access by storage position, one implementation per element type.
  public abstract boolean getBoolean(int elem);
  public abstract byte getByte(int elem);
  public abstract short getShort(int elem);
  public abstract int getInt(int elem);
  public abstract long getLong(int elem);
  public abstract float getFloat(int elem);
  public abstract double getDouble(int elem);
  public abstract Object getObject(int elem);
  public abstract void setBoolean(int elem, boolean value);
  public abstract void setByte(int elem, byte value);
  public abstract void setShort(int elem, short value);
  public abstract void setInt(int elem, int value);
  public abstract void setLong(int elem, long value);
  public abstract void setFloat(int elem, float value);
  public abstract void setDouble(int elem, double value);
  public abstract void setObject(int elem, Object value);

  protected ForbiddenConversionException forbidden(String what) {
    return new ForbiddenConversionException(what + " on an Array of " + dataType);
  }
}
