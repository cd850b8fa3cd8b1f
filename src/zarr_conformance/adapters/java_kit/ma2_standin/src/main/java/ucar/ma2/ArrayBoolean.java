package ucar.ma2;

/** Stand-in for netCDF-Java's ArrayBoolean: only boolean access is allowed, as there. */
public class ArrayBoolean extends Array {
  protected final boolean[] storage;

  public ArrayBoolean(Index index, boolean[] storage) {
    super(DataType.BOOLEAN, index);
    this.storage = storage;
  }

  @Override protected Array createView(Index index) { return new ArrayBoolean(index, storage); }
  @Override public Object getStorage() { return storage; }
  @Override public boolean getBoolean(int elem) { return storage[elem]; }
  @Override public void setBoolean(int elem, boolean value) { storage[elem] = value; }
  @Override public Object getObject(int elem) { return storage[elem]; }
  @Override public void setObject(int elem, Object value) { storage[elem] = (Boolean) value; }
  @Override public byte getByte(int elem) { throw forbidden("getByte"); }
  @Override public short getShort(int elem) { throw forbidden("getShort"); }
  @Override public int getInt(int elem) { throw forbidden("getInt"); }
  @Override public long getLong(int elem) { throw forbidden("getLong"); }
  @Override public float getFloat(int elem) { throw forbidden("getFloat"); }
  @Override public double getDouble(int elem) { throw forbidden("getDouble"); }
  @Override public void setByte(int elem, byte value) { throw forbidden("setByte"); }
  @Override public void setShort(int elem, short value) { throw forbidden("setShort"); }
  @Override public void setInt(int elem, int value) { throw forbidden("setInt"); }
  @Override public void setLong(int elem, long value) { throw forbidden("setLong"); }
  @Override public void setFloat(int elem, float value) { throw forbidden("setFloat"); }
  @Override public void setDouble(int elem, double value) { throw forbidden("setDouble"); }
}
