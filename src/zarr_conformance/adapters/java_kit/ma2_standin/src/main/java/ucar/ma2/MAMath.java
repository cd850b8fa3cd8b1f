package ucar.ma2;

/** Stand-in for the one MAMath helper jzarr uses. */
public final class MAMath {
  private MAMath() {}

  /** Sets every element to {@code value}, converted the way each Array subclass's setDouble does. */
  public static void setDouble(Array array, double value) {
    IndexIterator it = array.getIndexIterator();
    while (it.hasNext()) {
      it.setDoubleNext(value);
    }
  }
}
