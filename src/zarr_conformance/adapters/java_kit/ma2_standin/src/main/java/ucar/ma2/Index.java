package ucar.ma2;

import java.util.Arrays;

/**
 * Stand-in for netCDF-Java's Index: maps an n-d position to an element of the flat storage through
 * shape, strides and an offset, so sections and permutations are views that share storage.
 */
public class Index implements Cloneable {
  final int[] shape;
  final int[] stride;
  final int offset;
  private final int[] current;

  Index(int[] shape, int[] stride, int offset) {
    this.shape = shape.clone();
    this.stride = stride.clone();
    this.offset = offset;
    this.current = new int[shape.length];
  }

  /** A C-order (row-major) index over {@code shape}. */
  public static Index factory(int[] shape) {
    int[] stride = new int[shape.length];
    int step = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      stride[d] = step;
      step *= shape[d];
    }
    return new Index(shape, stride, 0);
  }

  public static long computeSize(int[] shape) {
    long size = 1;
    for (int n : shape) size *= n;
    return size;
  }

  public int getRank() {
    return shape.length;
  }

  public int[] getShape() {
    return shape.clone();
  }

  public long getSize() {
    return computeSize(shape);
  }

  public Index set(int[] position) {
    if (position.length != shape.length) {
      throw new ArrayIndexOutOfBoundsException("rank " + position.length + " != " + shape.length);
    }
    System.arraycopy(position, 0, current, 0, position.length);
    return this;
  }

  public int[] getCurrentCounter() {
    return current.clone();
  }

  /** The storage element the current position refers to. */
  public int currentElement() {
    int element = offset;
    for (int d = 0; d < shape.length; d++) {
      if (current[d] < 0 || current[d] >= shape[d]) {
        throw new ArrayIndexOutOfBoundsException("position " + Arrays.toString(current));
      }
      element += current[d] * stride[d];
    }
    return element;
  }

  /** True when logical order is storage order from element 0 (no copy needed). */
  boolean isContiguousFromZero() {
    return offset == 0 && Arrays.equals(stride, factory(shape).stride);
  }

  Index permute(int[] dims) {
    if (dims.length != shape.length) {
      throw new IllegalArgumentException("permute: rank " + dims.length + " != " + shape.length);
    }
    int[] newShape = new int[dims.length];
    int[] newStride = new int[dims.length];
    boolean[] used = new boolean[dims.length];
    for (int i = 0; i < dims.length; i++) {
      if (used[dims[i]]) throw new IllegalArgumentException("permute: repeated dim " + dims[i]);
      used[dims[i]] = true;
      newShape[i] = shape[dims[i]];
      newStride[i] = stride[dims[i]];
    }
    return new Index(newShape, newStride, offset);
  }

  Index section(int[] origin, int[] size, int[] step) throws InvalidRangeException {
    int rank = shape.length;
    if (origin.length != rank || size.length != rank || (step != null && step.length != rank)) {
      throw new InvalidRangeException("section rank mismatch with array rank " + rank);
    }
    int[] newStride = new int[rank];
    int newOffset = offset;
    for (int d = 0; d < rank; d++) {
      int s = step == null ? 1 : step[d];
      if (s < 1 || origin[d] < 0 || size[d] < 0 || origin[d] + (size[d] - 1) * s >= shape[d] && size[d] > 0) {
        throw new InvalidRangeException("section out of bounds in dim " + d);
      }
      newStride[d] = stride[d] * s;
      newOffset += origin[d] * stride[d];
    }
    return new Index(size, newStride, newOffset);
  }

  @Override
  public Index clone() {
    Index copy = new Index(shape, stride, offset);
    copy.set(current);
    return copy;
  }
}
