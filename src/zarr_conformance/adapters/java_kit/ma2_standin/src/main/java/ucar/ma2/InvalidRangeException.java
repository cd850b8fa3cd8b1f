package ucar.ma2;

/** Stand-in for netCDF-Java's checked InvalidRangeException. */
public class InvalidRangeException extends Exception {
  public InvalidRangeException(String message) {
    super(message);
  }
}
