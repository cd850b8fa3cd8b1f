package zarr.conformance.zarrjava;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import zarr.conformance.kit.ErrorText;

/** Whether the native codecs zarr-java bundles (blosc-java, zstd-jni) load on this platform. */
final class NativeCodecProbe {
  private static ObjectNode disabled;

  private NativeCodecProbe() {}

  /** Codec id -> reason, for the codecs whose native library fails. Probed once per JVM. */
  static synchronized ObjectNode disabled() {
    if (disabled == null) {
      disabled = JsonNodeFactory.instance.objectNode();
      try {
        com.scalableminds.bloscjava.Blosc.decompress(com.scalableminds.bloscjava.Blosc.compress(new byte[64], 1));
      } catch (Throwable failure) { // UnsatisfiedLinkError, ExceptionInInitializerError
        disabled.put("blosc", "blosc-java native library did not load: " + failure.getClass().getSimpleName() + ": " + ErrorText.describe(failure));
      }
      try {
        com.github.luben.zstd.Zstd.decompress(com.github.luben.zstd.Zstd.compress(new byte[64]), 64);
      } catch (Throwable failure) {
        disabled.put("zstd", "zstd-jni native library did not load: " + failure.getClass().getSimpleName() + ": " + ErrorText.describe(failure));
      }
    }
    return disabled;
  }

  static String problem(String codecId) {
    return disabled().path(codecId).asText(null);
  }
}
