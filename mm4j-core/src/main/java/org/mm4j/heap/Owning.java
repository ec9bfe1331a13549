package org.mm4j.heap;

import com.google.errorprone.annotations.MustBeClosed;

/**
 * Where owned objects and buffers come from: the collected {@link Heap} (an object in the old space, a
 * buffer from the heap's allocator, both charged to its budget) or a {@link Scope} (in the scope's region,
 * released with the scope at the latest). Owned objects are structs, zeroed; buffers are zeroed.
 */
public sealed interface Owning permits Heap, Scope {

    /** A uniquely owned object of struct type {@code type} (see {@link Unique}). */
    @MustBeClosed
    Unique allocateUnique(Type type);

    /** A reference-counted object of struct type {@code type} (see {@link Shared}). */
    @MustBeClosed
    Shared allocateShared(Type type);

    /** A uniquely owned raw buffer of {@code byteSize} bytes (see {@link UniqueBuffer}). */
    @MustBeClosed
    UniqueBuffer uniqueBuffer(long byteSize);

    /** A reference-counted raw buffer of {@code byteSize} bytes (see {@link SharedBuffer}). */
    @MustBeClosed
    SharedBuffer sharedBuffer(long byteSize);
}
