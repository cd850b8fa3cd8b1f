package ucar.ma2;

/** Stand-in for netCDF-Java's IndexIterator: walks an Array's elements in logical (C) order. */
public interface IndexIterator {
  boolean hasNext();

  boolean getBooleanNext();

  byte getByteNext();

  short getShortNext();

  int getIntNext();

  long getLongNext();

  float getFloatNext();

  double getDoubleNext();

  Object getObjectNext();

  void setBooleanNext(boolean value);

  void setByteNext(byte value);

  void setShortNext(short value);

  void setIntNext(int value);

  void setLongNext(long value);

  void setFloatNext(float value);

  void setDoubleNext(double value);

  void setObjectNext(Object value);
}
