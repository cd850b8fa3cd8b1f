package ucar.ma2;

/** IndexIterator over an Array view: visits positions in C order, element by element. */
final class StridedIterator implements IndexIterator {
  private final Array array;
  private final Index index;
  private final int[] counter;
  private long remaining;
  private int element;

  StridedIterator(Array array, Index index) {
    this.array = array;
    this.index = index;
    this.counter = new int[index.shape.length];
    this.remaining = index.getSize();
    this.element = index.offset;
  }

  @Override
  public boolean hasNext() {
    return remaining > 0;
  }

  /** Returns the current storage element, then moves the counter one step in C order. */
  private int advance() {
    if (remaining <= 0) throw new ArrayIndexOutOfBoundsException("iterator exhausted");
    int here = element;
    remaining--;
    for (int d = counter.length - 1; d >= 0; d--) {
      counter[d]++;
      element += index.stride[d];
      if (counter[d] < index.shape[d]) break;
      element -= index.stride[d] * counter[d];
      counter[d] = 0;
    }
    return here;
  }

  @Override public boolean getBooleanNext() { return array.getBoolean(advance()); }
  @Override public byte getByteNext() { return array.getByte(advance()); }
  @Override public short getShortNext() { return array.getShort(advance()); }
  @Override public int getIntNext() { return array.getInt(advance()); }
  @Override public long getLongNext() { return array.getLong(advance()); }
  @Override public float getFloatNext() { return array.getFloat(advance()); }
  @Override public double getDoubleNext() { return array.getDouble(advance()); }
  @Override public Object getObjectNext() { return array.getObject(advance()); }
  @Override public void setBooleanNext(boolean v) { array.setBoolean(advance(), v); }
  @Override public void setByteNext(byte v) { array.setByte(advance(), v); }
  @Override public void setShortNext(short v) { array.setShort(advance(), v); }
  @Override public void setIntNext(int v) { array.setInt(advance(), v); }
  @Override public void setLongNext(long v) { array.setLong(advance(), v); }
  @Override public void setFloatNext(float v) { array.setFloat(advance(), v); }
  @Override public void setDoubleNext(double v) { array.setDouble(advance(), v); }
  @Override public void setObjectNext(Object v) { array.setObject(advance(), v); }
}
