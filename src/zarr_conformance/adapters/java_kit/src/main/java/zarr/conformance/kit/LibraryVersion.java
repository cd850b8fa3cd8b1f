package zarr.conformance.kit;

import java.io.InputStream;
import java.util.Properties;

/** The version of a library as its own jar says (Maven's pom.properties), not a hard-coded string. */
public final class LibraryVersion {
  private LibraryVersion() {}

  public static String of(String groupId, String artifactId, Class<?> anyClassOfIt) {
    String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
    try (InputStream in = anyClassOfIt.getResourceAsStream(resource)) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        String version = properties.getProperty("version");
        if (version != null) return version;
      }
    } catch (java.io.IOException ignored) {
      // fall through to the manifest
    }
    String manifestVersion = anyClassOfIt.getPackage().getImplementationVersion();
    return manifestVersion != null ? manifestVersion : "unknown";
  }

  /** Java version and the ucar.ma2 provider, which both Java libraries compute with. */
  public static String javaDetail() {
    return "java " + System.getProperty("java.version") + "; ucar.ma2 from " + Ma2Provider.describe();
  }
}
