package dev.bilevel.hpo.samplers;

public final class GpSamplerAccess {
  public static double standardize(double[] v) { return GpSampler.standardize(v); }
}
