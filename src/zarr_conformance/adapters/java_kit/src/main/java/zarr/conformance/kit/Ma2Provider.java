package zarr.conformance.kit;

/**
 * Which ucar.ma2 classes are on the classpath. netCDF-Java's cdm-core (needed by jzarr and
 * zarr-java) is not on Maven Central, so the build compiles a stand-in (java_kit/ma2_standin); the
 * hello detail says so, because every value these workers report passes through it.
 */
final class Ma2Provider {
  private Ma2Provider() {}

  static String describe() {
    try {
      Class<?> array = Class.forName("ucar.ma2.Array");
      String version = array.getPackage().getImplementationVersion();
      if (isStandIn() || version == null) {
        return "zarr-conformance stand-in (java_kit/ma2_standin; cdm-core is not on Maven Central)";
      }
      return "netCDF-Java " + version;
    } catch (ClassNotFoundException e) {
      return "nowhere (ucar.ma2 missing)";
    }
  }

  private static boolean isStandIn() {
    try {
      Class.forName("ucar.ma2.StandIn");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
