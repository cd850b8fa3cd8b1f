package ucar.ma2;

/** Marker: this ucar.ma2 is the zarr-conformance stand-in, not netCDF-Java's (see README.md). */
public final class StandIn {
  private StandIn() {}
}
