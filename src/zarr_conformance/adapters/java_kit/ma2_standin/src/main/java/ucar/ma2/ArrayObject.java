package ucar.ma2;

/** Stand-in for netCDF-Java's ArrayObject: elements stored as Object[] (strings and other non-numeric types). */
public class ArrayObject extends Array {
  protected final Object[] storage;

  public ArrayObject(DataType dataType, Index index, Object[] storage) {
    super(dataType, index);
    this.storage = storage;
  }

  @Override protected Array createView(Index index) { return new ArrayObject(dataType, index, storage); }
  @Override public Object getStorage() { return storage; }
  @Override public boolean getBoolean(int elem) { throw forbidden("getBoolean"); }
  @Override public void setBoolean(int elem, boolean value) { throw forbidden("setBoolean"); }
  @Override public Object getObject(int elem) { return storage[elem]; }
  @Override public void setObject(int elem, Object value) { storage[elem] = value; }
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
