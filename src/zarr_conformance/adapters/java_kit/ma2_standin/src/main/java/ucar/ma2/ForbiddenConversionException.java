package ucar.ma2;

/** Raised, as in netCDF-Java, when an element is read or written as an incompatible type. */
public class ForbiddenConversionException extends RuntimeException {
  public ForbiddenConversionException(String message) {
    super(message);
  }
}
