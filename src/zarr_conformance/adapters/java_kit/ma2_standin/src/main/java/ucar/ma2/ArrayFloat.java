package ucar.ma2;

/** Stand-in for netCDF-Java's ArrayFloat: elements stored as float[]. */
public class ArrayFloat extends Array {
  protected final float[] storage;

  public ArrayFloat(Index index, float[] storage) {
    super(DataType.FLOAT, index);
    this.storage = storage;
  }

  @Override
  protected Array createView(Index index) {
    return new ArrayFloat(index, storage);
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
    storage[elem] = (float) value;
  }
  @Override
  public short getShort(int elem) {
    return (short) storage[elem];
  }
  @Override
  public void setShort(int elem, short value) {
    storage[elem] = (float) value;
  }
  @Override
  public int getInt(int elem) {
    return (int) storage[elem];
  }
  @Override
  public void setInt(int elem, int value) {
    storage[elem] = (float) value;
  }
  @Override
  public long getLong(int elem) {
    return (long) storage[elem];
  }
  @Override
  public void setLong(int elem, long value) {
    storage[elem] = (float) value;
  }
  @Override
  public float getFloat(int elem) {
    return storage[elem];
  }
  @Override
  public void setFloat(int elem, float value) {
    storage[elem] = (float) value;
  }
  @Override
  public double getDouble(int elem) {
    return storage[elem];
  }
  @Override
  public void setDouble(int elem, double value) {
    storage[elem] = (float) value;
  }

  @Override
  public Object getObject(int elem) {
    return storage[elem];
  }

  @Override
  public void setObject(int elem, Object value) {
    storage[elem] = ((Number) value).floatValue();
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
