package dev.bilevel.dashboard.plot;

import java.util.Locale;

/** The plots a study can be drawn as, named as in Optuna's {@code optuna.visualization}. */
public enum PlotKind {
  /** Objective value of each complete trial by trial number, with the best value so far. */
  HISTORY,
  /** Intermediate values reported by each trial, one line per trial. */
  INTERMEDIATE,
  /** Parallel coordinates: the objective and each parameter as an axis, one line per trial. */
  PARALLEL,
  /** Objective value over two parameters, interpolated onto a grid. */
  CONTOUR,
  /** Objective value against one parameter. */
  SLICE,
  /** fANOVA parameter importance. */
  IMPORTANCE,
  /** Empirical distribution function of the objective values. */
  EDF,
  /** Trials of a two-objective study, the Pareto front highlighted. */
  PARETO,
  /** Start and end of each trial, coloured by state. */
  TIMELINE;

  /**
   * Parses a kind from its lower-case name.
   *
   * @param name for example {@code history}
   * @return the kind
   * @throws IllegalArgumentException naming the accepted values when {@code name} is unknown
   */
  public static PlotKind parse(String name) {
    for (PlotKind k : values()) {
      if (k.id().equals(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "Unknown plot kind '" + name + "'; expected one of " + java.util.Arrays.toString(ids()));
  }

  /**
   * The lower-case name used on the command line and in URLs.
   *
   * @return for example {@code history}
   */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  private static String[] ids() {
    PlotKind[] all = values();
    String[] out = new String[all.length];
    for (int i = 0; i < all.length; i++) {
      out[i] = all[i].id();
    }
    return out;
  }
}
