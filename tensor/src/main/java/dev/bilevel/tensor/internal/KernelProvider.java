package dev.bilevel.tensor.internal;

/**
 * Chooses the kernels once per JVM, in the manner of Lucene's {@code VectorizationProvider}: the
 * Vector API implementation when the {@code jdk.incubator.vector} module is in the boot layer
 * (the JVM was started with {@code --add-modules jdk.incubator.vector}) and the system property
 * {@code bilevel.vector} is not {@code false}; the plain-Java kernels otherwise.
 */
public final class KernelProvider {
    private static final Kernels KERNELS = choose();

    private KernelProvider() {
    }

    /** The kernels in use. */
    public static Kernels get() {
        return KERNELS;
    }

    /** The Vector API kernels, or {@code null} when the module is absent from this JVM. */
    public static Kernels vector() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            return (Kernels) Class.forName("dev.bilevel.tensor.internal.VectorKernels")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    private static Kernels choose() {
        if ("false".equalsIgnoreCase(System.getProperty("bilevel.vector"))) {
            return PlainKernels.INSTANCE;
        }
        Kernels v = vector();
        return v != null ? v : PlainKernels.INSTANCE;
    }
}
