package ucar.ma2;

/** Stand-in for netCDF-Java's Range: the inclusive index interval first..last, stride 1. */
public class Range {
  private final int first;
  private final int last;

  public Range(int first, int last) throws InvalidRangeException {
    if (first < 0 || last < first) {
      throw new InvalidRangeException("Invalid range " + first + ":" + last);
    }
    this.first = first;
    this.last = last;
  }

  public int first() {
    return first;
  }

  public int last() {
    return last;
  }

  public int length() {
    return last - first + 1;
  }

  public int stride() {
    return 1;
  }
}
