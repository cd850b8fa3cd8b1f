package zarr.conformance.jzarr;

import com.bc.zarr.Compressor;
import com.bc.zarr.CompressorFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import zarr.conformance.kit.ErrorText;

/** Whether jzarr's blosc compressor works here: jblosc loads the system's libblosc through JNA. */
final class BloscProbe {
  private static String problem;
  private static boolean probed;

  private BloscProbe() {}

  /** Null when blosc works, else why not. Probed once per JVM. */
  static synchronized String problem() {
    if (!probed) {
      probed = true;
      try {
        Compressor blosc = CompressorFactory.create("blosc", "cname", "lz4", "clevel", 5, "shuffle", 1);
        blosc.compress(new ByteArrayInputStream(new byte[256]), new ByteArrayOutputStream());
      } catch (Throwable failure) { // UnsatisfiedLinkError when libblosc is missing
        problem = "jzarr's blosc (jblosc over JNA) cannot load the native blosc library: "
            + failure.getClass().getSimpleName() + ": " + ErrorText.describe(failure);
      }
    }
    return problem;
  }
}
