package dev.bilevel.autodiff.internal;

/**
 * Numbers distinct objects by identity: the first object added gets slot 0, the next slot 1, and so
 * on. An open-addressing table keyed by {@link System#identityHashCode}, without boxing, used by the
 * backward pass to give each graph node a dense index for its flags and cotangent.
 *
 * <p>Not thread-safe; one instance belongs to one backward pass.
 */
public final class IdentitySlots {
    private Object[] keys;
    private int[] slots;
    private int mask;
    private int size;

    /** A table sized for about {@code expected} objects before it grows. */
    public IdentitySlots(int expected) {
        int capacity = Integer.highestOneBit(Math.max(8, expected * 2) - 1) << 1;
        keys = new Object[capacity];
        slots = new int[capacity];
        mask = capacity - 1;
    }

    /** Number of objects added. */
    public int size() {
        return size;
    }

    /** The slot of {@code key}, or −1 when it has not been added. */
    public int indexOf(Object key) {
        int h = hash(key) & mask;
        Object k;
        while ((k = keys[h]) != null) {
            if (k == key) {
                return slots[h];
            }
            h = (h + 1) & mask;
        }
        return -1;
    }

    /** The slot of {@code key}, adding it with the next free slot when absent. */
    public int add(Object key) {
        int h = hash(key) & mask;
        Object k;
        while ((k = keys[h]) != null) {
            if (k == key) {
                return slots[h];
            }
            h = (h + 1) & mask;
        }
        keys[h] = key;
        int slot = size++;
        slots[h] = slot;
        if (size * 2 > keys.length) {
            grow();
        }
        return slot;
    }

    private void grow() {
        Object[] oldKeys = keys;
        int[] oldSlots = slots;
        keys = new Object[oldKeys.length * 2];
        slots = new int[oldKeys.length * 2];
        mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                int h = hash(oldKeys[i]) & mask;
                while (keys[h] != null) {
                    h = (h + 1) & mask;
                }
                keys[h] = oldKeys[i];
                slots[h] = oldSlots[i];
            }
        }
    }

    private static int hash(Object key) {
        int h = System.identityHashCode(key);
        return h ^ (h >>> 16);
    }
}
