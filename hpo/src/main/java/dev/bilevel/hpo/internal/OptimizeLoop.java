package dev.bilevel.hpo.internal;

import dev.bilevel.hpo.OptimizeOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The worker loop of {@code Study.optimize}: {@code nThreads} workers each start trials until the
 * trial budget (shared, reserved atomically) is used, the timeout has passed, a stop was
 * requested, or some worker hit an uncaught failure, which is then rethrown to the caller.
 */
public final class OptimizeLoop {
  private final OptimizeOptions options;
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean stopped;
  private long startNanos;

  /**
   * @param options the options of the call
   */
  public OptimizeLoop(OptimizeOptions options) {
    this.options = options;
  }

  /** Starts no new trial from now on. */
  public void stop() {
    stopped = true;
  }

  /**
   * Runs the workers and waits for them.
   *
   * @param oneTrial runs one complete trial, throwing what must end the optimization
   */
  public void run(Runnable oneTrial) {
    startNanos = System.nanoTime();
    if (options.nThreads() == 1) {
      work(oneTrial);
    } else {
      AtomicInteger threadIndex = new AtomicInteger();
      ExecutorService pool =
          Executors.newFixedThreadPool(
              options.nThreads(),
              r -> {
                Thread t = new Thread(r, "bilevel-hpo-worker-" + threadIndex.getAndIncrement());
                t.setDaemon(true);
                return t;
              });
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < options.nThreads(); i++) {
          futures.add(pool.submit(() -> work(oneTrial)));
        }
        for (Future<?> f : futures) {
          try {
            f.get();
          } catch (ExecutionException e) {
            failure.compareAndSet(null, e.getCause());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
            failure.compareAndSet(null, e);
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof Error err) {
      throw err;
    }
    if (t != null) {
      throw new IllegalStateException("Optimization interrupted", t);
    }
  }

  private void work(Runnable oneTrial) {
    while (!stopped && failure.get() == null) {
      if (options.nTrials() != null && started.getAndIncrement() >= options.nTrials()) {
        return;
      }
      if (options.timeout() != null
          && System.nanoTime() - startNanos >= options.timeout().toNanos()) {
        return;
      }
      try {
        oneTrial.run();
      } catch (RuntimeException | Error e) {
        failure.compareAndSet(null, e);
        stopped = true;
        return;
      }
    }
  }
}
