package zarr.conformance.kit;

/** Thrown before the library is called when a request is outside what it documents it can do. */
public class UnsupportedRequest extends RuntimeException {
  public UnsupportedRequest(String reason) {
    super(reason);
  }
}
