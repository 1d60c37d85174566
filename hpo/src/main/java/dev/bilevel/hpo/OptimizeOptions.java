package dev.bilevel.hpo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.LinkedHashSet;

/**
 * Settings of one {@link Study#optimize} call.
 *
 * <pre>{@code
 * study.optimize(objective, OptimizeOptions.trials(100).withThreads(4)
 *     .withTimeout(Duration.ofMinutes(5)).withCatch(IOException.class));
 * }</pre>
 *
 * @param nTrials trials this call starts (all threads together), or {@code null} for no limit
 * @param timeout no new trial starts after this much time, or {@code null} for none
 * @param nThreads worker threads, at least 1
 * @param catches exception types that fail the trial but let optimization continue (others fail
 *     the trial and end the call); {@link TrialPrunedException} is always handled
 * @param callbacks called after each finished trial
 */
public record OptimizeOptions(
    Integer nTrials,
    Duration timeout,
    int nThreads,
    Set<Class<? extends Throwable>> catches,
    List<StudyCallback> callbacks) {

  /**
   * Validates and copies.
   *
   * @param nTrials see the record component of the same name
   * @param timeout see the record component of the same name
   * @param nThreads see the record component of the same name
   * @param catches see the record component of the same name
   * @param callbacks see the record component of the same name
   */
  public OptimizeOptions {
    if (nTrials != null && nTrials < 0) {
      throw new IllegalArgumentException("nTrials must be >= 0, got " + nTrials);
    }
    if (timeout != null && timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
    }
    if (nThreads < 1) {
      throw new IllegalArgumentException("nThreads must be >= 1, got " + nThreads);
    }
    if (nTrials == null && timeout == null) {
      throw new IllegalArgumentException(
          "Give nTrials or a timeout (or stop the study from a callback, with a timeout as bound)");
    }
    catches = Set.copyOf(catches);
    callbacks = List.copyOf(callbacks);
  }

  /**
   * A given number of trials on one thread, no timeout, nothing caught.
   *
   * @param nTrials the number of trials
   * @return the options
   */
  public static OptimizeOptions trials(int nTrials) {
    return new OptimizeOptions(nTrials, null, 1, Set.of(), List.of());
  }

  /**
   * Runs until the timeout, with no trial limit.
   *
   * @param timeout the timeout
   * @return the options
   */
  public static OptimizeOptions until(Duration timeout) {
    return new OptimizeOptions(null, timeout, 1, Set.of(), List.of());
  }

  /**
   * With a timeout.
   *
   * @param t the timeout
   * @return a copy
   */
  public OptimizeOptions withTimeout(Duration t) {
    return new OptimizeOptions(nTrials, t, nThreads, catches, callbacks);
  }

  /**
   * With worker threads.
   *
   * @param n the number of threads
   * @return a copy
   */
  public OptimizeOptions withThreads(int n) {
    return new OptimizeOptions(nTrials, timeout, n, catches, callbacks);
  }

  /**
   * Also catching the given exception types.
   *
   * @param types exception types
   * @return a copy
   */
  @SafeVarargs
  public final OptimizeOptions withCatch(Class<? extends Throwable>... types) {
    Set<Class<? extends Throwable>> s = new LinkedHashSet<>(catches);
    s.addAll(List.of(types));
    return new OptimizeOptions(nTrials, timeout, nThreads, s, callbacks);
  }

  /**
   * Also calling the given callbacks.
   *
   * @param cbs callbacks
   * @return a copy
   */
  public OptimizeOptions withCallbacks(StudyCallback... cbs) {
    List<StudyCallback> l = new ArrayList<>(callbacks);
    l.addAll(List.of(cbs));
    return new OptimizeOptions(nTrials, timeout, nThreads, catches, l);
  }

  /**
   * Whether a throwable is of a caught type.
   *
   * @param t the throwable
   * @return {@code true} if caught
   */
  public boolean isCaught(Throwable t) {
    for (Class<? extends Throwable> c : catches) {
      if (c.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
