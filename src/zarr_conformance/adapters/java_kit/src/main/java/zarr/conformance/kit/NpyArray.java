package zarr.conformance.kit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The contents of a .npy file (format 1.0 to 3.0): dtype, shape, memory order and the raw bytes. */
public final class NpyArray {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  public final NumpyDtype dtype;
  public final int[] shape;
  public final boolean fortranOrder;
  public final byte[] data;

  public NpyArray(NumpyDtype dtype, int[] shape, boolean fortranOrder, byte[] data) {
    this.dtype = dtype;
    this.shape = shape;
    this.fortranOrder = fortranOrder;
    this.data = data;
  }

  public static NpyArray read(Path path) throws IOException {
    ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
    for (byte b : MAGIC) {
      if (file.get() != b) throw new IOException(path + " is not a .npy file");
    }
    int major = file.get();
    file.get(); // minor version
    int headerLength = major == 1 ? Short.toUnsignedInt(file.getShort()) : file.getInt();
    byte[] headerBytes = new byte[headerLength];
    file.get(headerBytes);
    String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    NumpyDtype dtype = NumpyDtype.parse(group(DESCR, header, path));
    boolean fortran = group(FORTRAN, header, path).equals("True");
    int[] shape = parseShape(group(SHAPE, header, path));
    byte[] data = new byte[file.remaining()];
    file.get(data);
    return new NpyArray(dtype, shape, fortran, data);
  }

  public void write(Path path) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (int n : shape) dims.append(n).append(", ");
    String shapeText = shape.length == 1 ? shape[0] + "," : dims.length() == 0 ? "" : dims.substring(0, dims.length() - 2);
    String dict = "{'descr': '" + dtype + "', 'fortran_order': " + (fortranOrder ? "True" : "False")
        + ", 'shape': (" + shapeText + "), }";
    // Pad with spaces so magic + version + length + header is a multiple of 64, ending in '\n'.
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    out.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
    Files.write(path, out.array());
  }

  public long size() {
    long size = 1;
    for (int n : shape) size *= n;
    return size;
  }

  /** The same values with the bytes laid out in C (row-major) order. */
  public NpyArray toCOrder() {
    if (!fortranOrder || shape.length < 2) return new NpyArray(dtype, shape, false, data);
    int item = dtype.itemSize;
    byte[] c = new byte[data.length];
    int[] position = new int[shape.length];
    for (long cIndex = 0; cIndex < size(); cIndex++) {
      long fIndex = 0;
      for (int d = shape.length - 1; d >= 0; d--) fIndex = fIndex * shape[d] + position[d];
      System.arraycopy(data, (int) fIndex * item, c, (int) cIndex * item, item);
      for (int d = shape.length - 1; d >= 0 && ++position[d] == shape[d]; d--) position[d] = 0;
    }
    return new NpyArray(dtype, shape, false, c);
  }

  private static String group(Pattern pattern, String header, Path path) throws IOException {
    Matcher m = pattern.matcher(header);
    if (!m.find()) throw new IOException("unreadable .npy header in " + path + ": " + header);
    return m.group(1);
  }

  private static int[] parseShape(String text) {
    String[] parts = text.replace(" ", "").split(",");
    return java.util.Arrays.stream(parts).filter(p -> !p.isEmpty()).mapToInt(Integer::parseInt).toArray();
  }
}
