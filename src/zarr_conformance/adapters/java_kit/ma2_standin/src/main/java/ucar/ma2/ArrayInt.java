package ucar.ma2;

/** Stand-in for netCDF-Java's ArrayInt: elements stored as int[], signed or unsigned. */
public class ArrayInt extends Array {
  protected final int[] storage;

  public ArrayInt(DataType dataType, Index index, int[] storage) {
    super(dataType, index);
    this.storage = storage;
  }

  @Override
  protected Array createView(Index index) {
    return new ArrayInt(dataType, index, storage);
  }

  @Override
  public Object getStorage() {
    return storage;
  }

  @Override
  public byte getByte(int elem) {
    return (byte) storage[elem];
  }
  @Override
  public void setByte(int elem, byte value) {
    storage[elem] = (int) value;
  }
  @Override
  public short getShort(int elem) {
    return (short) storage[elem];
  }
  @Override
  public void setShort(int elem, short value) {
    storage[elem] = (int) value;
  }
  @Override
  public int getInt(int elem) {
    return storage[elem];
  }
  @Override
  public void setInt(int elem, int value) {
    storage[elem] = (int) value;
  }
  @Override
  public long getLong(int elem) {
    int v = storage[elem];
    return isUnsigned() ? (v & 0xffffffffL) : v;
  }
  @Override
  public void setLong(int elem, long value) {
    storage[elem] = (int) value;
  }
  @Override
  public float getFloat(int elem) {
    int v = storage[elem];
    return (float) (isUnsigned() ? (v & 0xffffffffL) : v);
  }
  @Override
  public void setFloat(int elem, float value) {
    storage[elem] = (int) value;
  }
  @Override
  public double getDouble(int elem) {
    int v = storage[elem];
    return (double) (isUnsigned() ? (v & 0xffffffffL) : v);
  }
  @Override
  public void setDouble(int elem, double value) {
    storage[elem] = (int) value;
  }

  @Override
  public Object getObject(int elem) {
    return storage[elem];
  }

  @Override
  public void setObject(int elem, Object value) {
    storage[elem] = ((Number) value).intValue();
  }

  @Override
  public boolean getBoolean(int elem) {
    throw forbidden("getBoolean");
  }

  @Override
  public void setBoolean(int elem, boolean value) {
    throw forbidden("setBoolean");
  }
}
