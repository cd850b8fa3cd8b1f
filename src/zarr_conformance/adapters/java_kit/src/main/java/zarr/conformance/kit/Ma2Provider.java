package zarr.conformance.kit;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Where the ucar.ma2 classes come from. netCDF-Java's cdm-core, which jzarr and zarr-java depend
 * on, is not on Maven Central; the workers use netCDF-Java's cdm as republished there
 * (org.lasersonlab.thredds:cdm). The hello detail says so: every value passes through it.
 */
final class Ma2Provider {
  private Ma2Provider() {}

  static String describe() {
    Properties properties = new Properties();
    try (InputStream in = Ma2Provider.class.getResourceAsStream("/zc-ma2.properties")) {
      if (in != null) properties.load(in);
    } catch (IOException ignored) {
      // reported as unknown below
    }
    return "netCDF-Java cdm " + properties.getProperty("cdm.version", "unknown")
        + " (org.lasersonlab.thredds:cdm on Maven Central)";
  }
}
