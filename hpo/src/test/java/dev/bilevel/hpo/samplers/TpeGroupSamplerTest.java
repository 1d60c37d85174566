package dev.bilevel.hpo.samplers;

/** The sampler contract for TPE with group decomposition and for univariate TPE without liar. */
class TpeGroupSamplerTest extends SamplerContract {

  @Override
  protected Sampler createSampler(long seed) {
    return TpeSampler.builder().seed(seed).nStartupTrials(5).group(true).build();
  }

  /** Univariate TPE, constant liar off. */
  static class Univariate extends SamplerContract {
    @Override
    protected Sampler createSampler(long seed) {
      return TpeSampler.builder().seed(seed).nStartupTrials(5).multivariate(false)
          .constantLiar(false).build();
    }
  }
}
