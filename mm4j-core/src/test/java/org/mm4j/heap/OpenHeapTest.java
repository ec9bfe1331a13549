package org.mm4j.heap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A heap open for each test, with a handle scope open on the test's thread; after the test the scope is
 * closed, the heap verified, then closed. Tests may close and reopen {@link #scope} to drop its roots.
 */
abstract class OpenHeapTest {
    Heap heap;
    HandleScope scope;

    /** The heap each test gets. */
    abstract Heap newHeap();

    @BeforeEach
    @SuppressWarnings("MustBeClosedChecker") // closed in verifyAndClose
    final void open() {
        heap = newHeap();
        scope = heap.openHandleScope();
    }

    @AfterEach
    final void verifyAndClose() {
        try {
            scope.close();
            heap.gc().verify();
        } finally {
            heap.close();
        }
    }
}
