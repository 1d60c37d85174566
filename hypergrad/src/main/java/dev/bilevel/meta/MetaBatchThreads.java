package dev.bilevel.meta;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * The worker threads that run the chunks of a meta-batch for {@link MetaTrainer}: {@link #runAll}
 * runs the first job on the calling thread and job i ≥ 1 on worker i − 1, and returns when all are
 * done. Between two meta-iterations a worker waits only for the serial part of an iteration (the
 * gradient sum and the optimizer step, tens of microseconds), about as long as it takes to wake a
 * parked thread on a loaded or virtualized machine; so after a job a worker waits busily for up
 * to {@link #SPIN_NANOS} before it blocks, and the caller waits as long for the workers' results
 * ({@code pause}). Daemon threads; {@link #close} stops them.
 */
final class MetaBatchThreads implements AutoCloseable {
    /** How long a thread waits busily for the next job, or for a result, before it parks. */
    static final long SPIN_NANOS = 100_000;
    /**
     * For how much of {@link #SPIN_NANOS} a waiting thread only spins; after that it yields the
     * processor at each check, so that on a machine with more runnable threads than processors it
     * does not hold up the thread it waits for.
     */
    static final long PURE_SPIN_NANOS = 5_000;
    private final Worker[] workers;

    /** Starts {@code n} ≥ 0 worker threads. */
    MetaBatchThreads(int n) {
        workers = new Worker[n];
        for (int i = 0; i < n; i++) {
            workers[i] = new Worker();
            Thread t = new Thread(workers[i], "meta-batch");
            t.setDaemon(true);
            workers[i].thread = t;
            t.start();
        }
    }

    /** The number of worker threads. */
    int size() {
        return workers.length;
    }

    /**
     * Runs {@code jobs} (at most {@link #size()} + 1), the first on this thread, and waits for all
     * of them, even when one fails; then rethrows the first failure in job order (a checked one
     * wrapped in an {@link IllegalStateException}).
     */
    void runAll(List<Callable<Void>> jobs) {
        if (jobs.size() > workers.length + 1) {
            throw new IllegalArgumentException("MetaBatchThreads: " + jobs.size() + " jobs for "
                    + (workers.length + 1) + " threads");
        }
        Thread caller = Thread.currentThread();
        for (int j = 1; j < jobs.size(); j++) {
            workers[j - 1].submit(jobs.get(j), caller);
        }
        Throwable failure = null;
        try {
            jobs.get(0).call();
        } catch (Throwable t) {
            failure = t;
        }
        for (int j = 1; j < jobs.size(); j++) {
            Throwable t = workers[j - 1].await();
            failure = failure == null ? t : failure;
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException("MetaTrainer: task failed", failure);
        }
    }

    /** Stops the workers once their current jobs end. */
    @Override
    public void close() {
        for (Worker h : workers) {
            h.closed = true;
            LockSupport.unpark(h.thread);
        }
    }

    /**
     * One step of a wait that began at {@code start}: a spin-wait hint for the first
     * {@link #PURE_SPIN_NANOS}, then a yield until {@link #SPIN_NANOS}, then parking (until
     * unparked, or spuriously); the caller checks its condition after each.
     */
    private static void pause(Object blocker, long start) {
        long waited = System.nanoTime() - start;
        if (waited < PURE_SPIN_NANOS) {
            Thread.onSpinWait();
        } else if (waited < SPIN_NANOS) {
            Thread.yield();
        } else {
            LockSupport.park(blocker);
        }
    }

    /** One worker thread: a job slot, a done flag, the job's failure, and whom to wake when done. */
    private static final class Worker implements Runnable {
        Thread thread;
        private volatile Callable<Void> job;
        private volatile boolean done = true;
        private volatile Throwable failure;
        private volatile Thread waiter;
        private volatile boolean closed;

        void submit(Callable<Void> j, Thread caller) {
            failure = null;
            done = false;
            waiter = caller;
            job = j;
            LockSupport.unpark(thread);
        }

        /** Waits for the submitted job; its failure, or null. */
        Throwable await() {
            long start = System.nanoTime();
            while (!done) {
                pause(this, start);
            }
            return failure;
        }

        @Override
        public void run() {
            while (!closed) {
                Callable<Void> j = job;
                if (j == null) {
                    awaitJob();
                    continue;
                }
                job = null;
                try {
                    j.call();
                } catch (Throwable t) {
                    failure = t;
                }
                done = true;
                LockSupport.unpark(waiter);
            }
        }

        private void awaitJob() {
            long start = System.nanoTime();
            while (job == null && !closed) {
                pause(this, start);
            }
        }
    }
}
