package org.mm4j.internal.alloc;

/**
 * The size classes of the size-class allocator.
 *
 * <pre>
 *   index   0..7   : 8, 16, 24, ... 64                       (8-byte steps)
 *   index   8..103 : for k = 6..17, 2^k + j * 2^(k-3), j = 1..8   (eight classes per doubling)
 *                    72, 80, ... 128, 144, ... 256, ... 229376, 262144
 * </pre>
 *
 * Waste bound: a request of n bytes gets a slot of at most n + 7 bytes below 64 bytes; above, the slot
 * s satisfies s - n &lt; s / 9, i.e. less than 11.1 % of the slot (12.5 % of the request). Every class
 * is a multiple of 8, so every slot is 8-byte aligned; a class of 2^k has slots aligned to 2^k.
 */
public final class SizeClasses {
    /** The largest class. */
    public static final int MAX_CLASS_BYTES = 256 << 10;
    /** Number of classes. */
    public static final int COUNT = 104;

    private static final int[] SIZES = new int[COUNT];

    static {
        for (int i = 0; i < COUNT; i++) {
            SIZES[i] = computeSize(i);
        }
    }

    private SizeClasses() {}

    private static int computeSize(int index) {
        if (index < 8) {
            return (index + 1) << 3;
        }
        int k = 6 + ((index - 8) >>> 3);
        int j = ((index - 8) & 7) + 1;
        return (1 << k) + (j << (k - 3));
    }

    /**
     * The largest medium block: sizes above {@link #MAX_CLASS_BYTES} and up to this are served from a
     * page of whole 64 KiB units holding that one block (waste under 64 KiB), not from a mapping of their
     * own. Index {@code COUNT + u - MEDIUM_MIN_UNITS} is the medium class of {@code u} units.
     */
    public static final int MAX_MEDIUM_BYTES = 2 << 20;
    /** Units of the smallest medium class (320 KiB). */
    static final int MEDIUM_MIN_UNITS = MAX_CLASS_BYTES / (64 << 10) + 1;
    /** Number of medium classes. */
    static final int MEDIUM_COUNT = MAX_MEDIUM_BYTES / (64 << 10) - MEDIUM_MIN_UNITS + 1;

    /** The medium class for {@code MAX_CLASS_BYTES < size <= MAX_MEDIUM_BYTES}. */
    static int mediumIndexOf(long size) {
        int units = (int) ((size + (64 << 10) - 1) >>> 16);
        return COUNT + units - MEDIUM_MIN_UNITS;
    }

    /** The class for {@code size} bytes, {@code 1 <= size <= MAX_CLASS_BYTES}. */
    public static int indexOf(int size) {
        if (size <= 64) {
            return ((size + 7) >>> 3) - 1;
        }
        int s = size - 1;
        int k = 31 - Integer.numberOfLeadingZeros(s);
        return 8 + ((k - 6) << 3) + ((s >>> (k - 3)) & 7);
    }

    /**
     * The smallest class holding {@code size} bytes whose slots are aligned to {@code alignment}
     * (a power of two, at most 64 KiB), or -1 if there is none.
     */
    public static int indexOf(int size, long alignment) {
        for (int i = indexOf(size); i < COUNT; i++) {
            if ((SIZES[i] & (alignment - 1)) == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The slot size of class {@code index}. */
    public static int sizeOf(int index) {
        return SIZES[index];
    }
}
