package ucar.ma2;

/** Stand-in for netCDF-Java's ArrayShort: elements stored as short[], signed or unsigned. */
public class ArrayShort extends Array {
  protected final short[] storage;

  public ArrayShort(DataType dataType, Index index, short[] storage) {
    super(dataType, index);
    this.storage = storage;
  }

  @Override
  protected Array createView(Index index) {
    return new ArrayShort(dataType, index, storage);
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
    storage[elem] = (short) value;
  }
  @Override
  public short getShort(int elem) {
    return storage[elem];
  }
  @Override
  public void setShort(int elem, short value) {
    storage[elem] = (short) value;
  }
  @Override
  public int getInt(int elem) {
    short v = storage[elem];
    return (int) (isUnsigned() ? (v & 0xffffL) : v);
  }
  @Override
  public void setInt(int elem, int value) {
    storage[elem] = (short) value;
  }
  @Override
  public long getLong(int elem) {
    short v = storage[elem];
    return isUnsigned() ? (v & 0xffffL) : v;
  }
  @Override
  public void setLong(int elem, long value) {
    storage[elem] = (short) value;
  }
  @Override
  public float getFloat(int elem) {
    short v = storage[elem];
    return (float) (isUnsigned() ? (v & 0xffffL) : v);
  }
  @Override
  public void setFloat(int elem, float value) {
    storage[elem] = (short) value;
  }
  @Override
  public double getDouble(int elem) {
    short v = storage[elem];
    return (double) (isUnsigned() ? (v & 0xffffL) : v);
  }
  @Override
  public void setDouble(int elem, double value) {
    storage[elem] = (short) value;
  }

  @Override
  public Object getObject(int elem) {
    return storage[elem];
  }

  @Override
  public void setObject(int elem, Object value) {
    storage[elem] = ((Number) value).shortValue();
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
