package org.mm4j.heap;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import org.mm4j.internal.heap.ScopeImpl;

/**
 * Region-based memory beside the collector: objects and raw buffers that live exactly as long as the
 * scope, released together when it closes.
 *
 * <pre>{@code
 * try (Scope scope = heap.openScope()) {
 *     MemorySegment scratch = scope.allocate(1L << 30);   // a raw buffer, zeroed
 *     long read = scope.allocate(readType);               // a scoped object
 *     ...
 *     keep = scope.promote(result);                       // copied out, with what it reaches in the scope
 * }                                                       // everything else is released here
 * }</pre>
 *
 * <h2>Lifetime</h2>
 * Closing a scope releases its memory in time that does not depend on how many objects it holds (its
 * regions are unmapped whole), and every handle to its objects is stale from then on; its raw buffers'
 * segments are closed. The scope's object ids return to the heap's id space later, in bulk, at a
 * collection pause (or at a short pause of their own when many are waiting). While the scope is open the
 * collector never moves or frees its objects and treats them as roots: what they refer to in the
 * collected heap stays alive.
 *
 * <h2>Escapes</h2>
 * Confined scopes nest: one opened while another confined scope is open on the same thread is nested in
 * it, and closes first. A shared scope, whose lifetime is not its opener's block, is never nested nor
 * encloses another.
 * A scope's objects may refer to the collected heap's objects and to those of enclosing scopes. Anything
 * that would let a reference to a scoped object outlive its scope throws {@link ScopeEscapeException}
 * before anything changes: storing it into an object of an enclosing scope or of the collected heap (the
 * heap's one write barrier checks), making it a {@link GlobalHandle} or {@link WeakGlobal}, registering it in
 * a {@link HandleScope} opened before the scope ({@link HandleScope#escape}, {@link Heap#newLocal}), or
 * taking it into ownership. {@link #promote} copies an object out instead.
 *
 * <h2>Threads</h2>
 * A scope from {@link Heap#openScope()} is confined: only the thread that opened it may allocate in it,
 * use its objects or buffers, or close it; other threads get {@link WrongThreadException}. A scope from
 * {@link Heap#openSharedScope()} may be used by any thread, and closed by any thread once no scope nested in
 * it is open. Its guarantees:
 * <ul>
 *   <li>Allocation is thread-safe: objects and buffers allocated at once by several threads are distinct.</li>
 *   <li>Close is atomic with respect to every other operation: an operation on one of the scope's objects
 *       either completes entirely before the close (and reads what it would have read with the scope
 *       open) or throws {@link StaleHandleException} without touching the object; none reads released
 *       memory. Buffers' segments behave as those of a shared {@link java.lang.foreign.Arena}. Closing a
 *       shared scope therefore waits for operations in progress on other threads (a handshake).</li>
 *   <li>Fields written by one thread are seen by another through a happens-before edge of the program's
 *       own (a volatile, a lock, a queue), as for the collected heap's objects and for Java fields.</li>
 * </ul>
 *
 * <h2>Ownership</h2>
 * The {@link Owning} methods give owned objects and buffers inside the scope; they are released by their
 * owner's close or, at the latest, with the scope.
 */
public sealed interface Scope extends SegmentAllocator, AutoCloseable, Owning permits ScopeImpl {

    /** The heap the scope belongs to. */
    Heap heap();

    /** The scope this one is nested in, or null (a shared scope, or one opened when none was open on the thread). */
    Scope parent();

    /** Whether any thread may use the scope (see the class comment). */
    boolean isShared();

    /** Whether the scope is still open. */
    boolean isOpen();

    /**
     * A new object of struct type {@code type} in this scope, zeroed. The handle needs no handle scope:
     * the object lives until the scope closes.
     */
    long allocate(Type type);

    /** A new array of {@code length} elements of array type {@code type} in this scope, zeroed. */
    long allocateArray(Type type, int length);

    /**
     * A raw buffer of {@code byteSize} bytes in this scope, zeroed, aligned to {@code byteAlignment} (a
     * power of two). Its segment is closed when the scope closes; for a confined scope, only the owner
     * thread may access it. Buffers above 16 MiB get a mapping of their own, committed as they are touched
     * and returned to the system at close.
     */
    @Override
    MemorySegment allocate(long byteSize, long byteAlignment);

    /**
     * Copies {@code object}, and every object of this scope it reaches, out to the enclosing scope, or to
     * the collected heap when this scope is the outermost; references among the copies are kept, and
     * references to objects outside this scope are copied as they are. Returns the copy of
     * {@code object}: a handle of the enclosing scope, or a handle registered in the calling thread's
     * current handle scope. The originals stay in this scope until it closes.
     *
     * @throws IllegalArgumentException if {@code object} is not an object of this scope
     * @throws IllegalStateException if the copy goes to the collected heap and no handle scope is open
     */
    long promote(long object);

    /** Objects allocated in the scope so far. */
    long objectCount();

    /** Bytes of the scope's objects and buffers so far (what its regions hold, alignment included). */
    long allocatedBytes();

    /**
     * Releases everything allocated in the scope (see the class comment). Idempotent.
     *
     * @throws IllegalStateException if a scope nested in this one is still open
     * @throws WrongThreadException if the scope is confined and this is not its thread
     */
    @Override
    void close();
}
