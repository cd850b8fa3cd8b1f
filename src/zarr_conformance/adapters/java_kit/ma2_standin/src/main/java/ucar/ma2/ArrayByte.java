package ucar.ma2;

/** Stand-in for netCDF-Java's ArrayByte: elements stored as byte[], signed or unsigned. */
public class ArrayByte extends Array {
  protected final byte[] storage;

  public ArrayByte(DataType dataType, Index index, byte[] storage) {
    super(dataType, index);
    this.storage = storage;
  }

  @Override
  protected Array createView(Index index) {
    return new ArrayByte(dataType, index, storage);
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
    storage[elem] = (byte) value;
  }
  @Override
  public short getShort(int elem) {
    byte v = storage[elem];
    return (short) (isUnsigned() ? (v & 0xffL) : v);
  }
  @Override
  public void setShort(int elem, short value) {
    storage[elem] = (byte) value;
  }
  @Override
  public int getInt(int elem) {
    byte v = storage[elem];
    return (int) (isUnsigned() ? (v & 0xffL) : v);
  }
  @Override
  public void setInt(int elem, int value) {
    storage[elem] = (byte) value;
  }
  @Override
  public long getLong(int elem) {
    byte v = storage[elem];
    return isUnsigned() ? (v & 0xffL) : v;
  }
  @Override
  public void setLong(int elem, long value) {
    storage[elem] = (byte) value;
  }
  @Override
  public float getFloat(int elem) {
    byte v = storage[elem];
    return (float) (isUnsigned() ? (v & 0xffL) : v);
  }
  @Override
  public void setFloat(int elem, float value) {
    storage[elem] = (byte) value;
  }
  @Override
  public double getDouble(int elem) {
    byte v = storage[elem];
    return (double) (isUnsigned() ? (v & 0xffL) : v);
  }
  @Override
  public void setDouble(int elem, double value) {
    storage[elem] = (byte) value;
  }

  @Override
  public Object getObject(int elem) {
    return storage[elem];
  }

  @Override
  public void setObject(int elem, Object value) {
    storage[elem] = ((Number) value).byteValue();
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
