package zarr.conformance.kit;

/** The error text of a reply: the message followed by the whole cause chain. */
public final class ErrorText {
  private ErrorText() {}

  public static String describe(Throwable error) {
    StringBuilder text = new StringBuilder(String.valueOf(error.getMessage()));
    Throwable cause = error.getCause();
    // Libraries wrap the telling exception (ZarrException in RuntimeException, ...): keep every level.
    for (int depth = 0; cause != null && depth < 10; depth++, cause = cause.getCause()) {
      text.append("; caused by ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
    }
    return text.toString();
  }
}
