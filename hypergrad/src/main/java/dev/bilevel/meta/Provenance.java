package dev.bilevel.meta;

/**
 * Where a meta-training run came from, as a value (after Tribuo's {@code ModelProvenance}): the
 * library version, the seed, the configuration of learner, optimizer and trainer, and the Java,
 * OS and CPU architecture it ran on.
 *
 * @param library   the Bilevel version (the jar's Implementation-Version, or "dev" from classes)
 * @param seed      the root seed of the run
 * @param learner   the learner's description ({@code toString})
 * @param optimizer the outer optimizer's description
 * @param trainer   the trainer configuration
 * @param java      {@code java.version} and {@code java.vendor}
 * @param os        {@code os.name} and {@code os.version}
 * @param arch      {@code os.arch} and the available processors
 */
public record Provenance(String library, long seed, String learner, String optimizer, String trainer, String java,
        String os, String arch) {

    /** The provenance of a run on this JVM. */
    public static Provenance capture(long seed, Object learner, Object optimizer, Object trainer) {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return new Provenance(v == null ? "dev" : v, seed, String.valueOf(learner), String.valueOf(optimizer),
                String.valueOf(trainer), System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " processors");
    }
}
