package org.mm4j.internal.alloc;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pages one thread allocates from, per class: a current page, a list of pages with free slots, one
 * spare empty page, and a list of full pages. Every page the heap owns is in exactly one of these places.
 *
 * <p>Only the owning thread touches the lists and counters, so allocation and local free take no lock
 * and no atomic instruction. A <em>shared</em> heap ({@code owner == null}, used by virtual threads) is
 * touched only under its {@link #lock}; a free into its pages takes the remote path, except the batches
 * {@link PagedAllocator#freeAddresses} frees as local frees while it holds that lock.
 *
 * <p>Other threads reach a heap only through {@link #remoteHead}, a lock-free stack (Treiber) of pages
 * that received remote frees. When the owner has died, {@link PagedAllocator} re-owns the pages to a live
 * heap and then swaps {@link #CLOSED} into the stack head: a pusher that finds {@code CLOSED} re-reads
 * {@link Page#heap}, which by then names the adopter, so no remote free is stranded.
 */
final class ThreadHeap {
    private static final VarHandle REMOTE_HEAD;

    static {
        try {
            REMOTE_HEAD = MethodHandles.lookup().findVarHandle(ThreadHeap.class, "remoteHead", Page.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Marks the remote stack of a heap whose pages were adopted. */
    static final Page CLOSED = Page.TOMBSTONE;

    /** The allocator; cleared when the heap is retired, so a thread's map does not keep it alive. */
    PagedAllocator allocator;
    final Thread owner;
    final ReentrantLock lock;
    final Page[] current;
    final PageList[] available;
    final Page[] spare;
    final PageList full = new PageList();
    /**
     * Per class, descriptors of pages this heap released, linked through {@link Page#next}: the next page
     * the heap carves of that class reuses one ({@link Page#moveTo}) instead of making a new one. Never more
     * than the pages of the class the heap has held at once (adopted ones included); dropped when the heap
     * releases its empty pages ({@link #releaseEmptyPages}: its thread's {@code trim()}).
     */
    private final Page[] released;
    @SuppressWarnings("unused") // accessed through REMOTE_HEAD
    private volatile Page remoteHead;

    /**
     * Requested bytes allocated minus requested bytes freed by this heap's thread(s). Allocation and
     * slot counts live in the pages themselves ({@link Page#used}, {@link Page#allocations}).
     */
    long requestedBytes;

    /** Tries a shared heap's lock this many times, spinning, before its thread blocks on it. */
    private static final int LOCK_SPINS = 256;
    /** Threads spinning in {@link #lockShared} now (they are in no queue of the lock's). */
    private final AtomicInteger spinning = new AtomicInteger();

    /**
     * Takes a shared heap's {@link #lock}, trying for a while before blocking: most holds are brief (an
     * allocation, a free, at most {@link PagedAllocator#FREES_PER_HOLD} frees of a batch), where a blocked
     * thread waits for the OS to wake it, and allocates a queue node on the Java heap.
     */
    void lockShared() {
        if (lock.tryLock()) {
            return;
        }
        spinning.incrementAndGet();
        try {
            for (int i = 0; i < LOCK_SPINS; i++) {
                Thread.onSpinWait();
                if (lock.tryLock()) {
                    return;
                }
            }
        } finally {
            spinning.decrementAndGet();
        }
        lock.lock();
    }

    /**
     * Between two holds of a long run of work under a shared heap's lock (not holding it): if another
     * thread waits for the lock, gives it a moment to take it — the lock is not fair, and retaking it at
     * once would keep the waiter out until the whole run is done. Returns at once when no one waits.
     */
    void letWaitersIn() {
        for (int i = 0; i < LOCK_SPINS && !lock.isLocked() && (spinning.get() > 0 || lock.hasQueuedThreads()); i++) {
            Thread.onSpinWait();
        }
    }

    ThreadHeap(PagedAllocator allocator, Thread owner, int classes) {
        this.allocator = allocator;
        this.owner = owner;
        this.lock = owner == null ? new ReentrantLock() : null;
        this.current = new Page[classes];
        Arrays.fill(current, Page.EMPTY);
        this.available = new PageList[classes];
        for (int i = 0; i < classes; i++) {
            available[i] = new PageList();
        }
        this.spare = new Page[classes];
        this.released = new Page[classes];
    }

    /** The allocator, or an exception if it was closed (by a racing thread) or this heap retired. */
    private PagedAllocator allocator() {
        PagedAllocator a = allocator;
        if (a == null) {
            throw new IllegalStateException("the allocator of this heap is closed");
        }
        return a;
    }

    /** As a requested size: the whole slot. */
    static final long WHOLE_SLOT = -1;

    /**
     * Allocates a slot of class {@code cls} for {@code size} requested bytes (or {@link #WHOLE_SLOT})
     * and returns its address. The page that served it is {@code current[cls]} afterwards.
     */
    long allocate(int cls, long size) {
        Page p = current[cls];
        long offset = p.allocSlot();
        if (offset < 0) {
            p = refill(cls);
            offset = p.allocSlot();
        }
        requestedBytes += size == WHOLE_SLOT ? p.cls.slotSize : size;
        return p.address + offset;
    }

    /** Allocates as {@link #allocate} and returns the slot as a segment of {@code size} bytes. */
    MemorySegment allocateSegment(int cls, long size) {
        long address = allocate(cls, size);
        Page p = current[cls];
        return p.segment.asSlice(address - p.address, size);
    }

    /** Makes a page with a free slot current for {@code cls}; throws (changing nothing) at the limit. */
    private Page refill(int cls) {
        collectRemoteFrees();
        Page cur = current[cls];
        if (cur.hasFree()) {
            return cur;
        }
        Page p = available[cls].pollFirst();
        if (p == null && spare[cls] != null) {
            p = spare[cls];
            spare[cls] = null;
        }
        if (p == null) {
            p = allocator().newPage(this, cls);
        }
        if (cur != Page.EMPTY) {
            cur.state = Page.FULL;
            full.addFirst(cur);
        }
        p.state = Page.CURRENT;
        current[cls] = p;
        return p;
    }

    /** Frees a slot of a page this heap owns, by its owner. */
    void freeLocal(Page p, int slot, long address, long size) {
        p.freeLocal(slot, address);
        countFree(size);
        if (p.state != Page.CURRENT ? p.state == Page.FULL || p.used == 0 : p.used == 0 && !p.cls.keepEmpty) {
            afterSlotsFreed(p);
        }
    }

    void countFree(long size) {
        requestedBytes -= size;
    }

    /** Files a page that gained free slots into the right list; gives empty pages up. */
    private void afterSlotsFreed(Page p) {
        int cls = p.cls.index;
        switch (p.state) {
            case Page.FULL -> {
                // A page can come off the remote stack with nothing to collect (a freer re-queued it
                // after the owner reset its flag but before it drained, and that drain took the slot
                // too), full again by then: it stays full, or the next refill would take a full page.
                if (p.used == 0) {
                    full.remove(p);
                    retireEmpty(p);
                } else if (p.hasFree()) {
                    full.remove(p);
                    p.state = Page.AVAILABLE;
                    available[cls].addFirst(p);
                }
            }
            case Page.AVAILABLE -> {
                if (p.used == 0) {
                    available[cls].remove(p);
                    retireEmpty(p);
                }
            }
            case Page.CURRENT -> {
                if (p.used == 0 && !p.cls.keepEmpty) {
                    current[cls] = Page.EMPTY;
                    retireEmpty(p);
                } // otherwise it stays current, even when empty
            }
            default -> { }
        }
    }

    /**
     * Keeps one empty page per class as the spare (none for medium classes); releases the others to the
     * allocator.
     */
    private void retireEmpty(Page p) {
        int cls = p.cls.index;
        if (spare[cls] == null && p.cls.keepEmpty) {
            spare[cls] = p;
            p.state = Page.SPARE;
        } else {
            release(p);
        }
    }

    /** Gives an empty page back to the allocator and keeps its descriptor for the next page of its class. */
    private void release(Page p) {
        p.state = Page.RELEASED;
        allocator().releasePage(p);
        int cls = p.cls.index;
        p.next = released[cls];
        released[cls] = p;
    }

    /** Owner: a released descriptor of class {@code cls} to reuse, or null. */
    Page takeReleased(int cls) {
        Page p = released[cls];
        if (p != null) {
            released[cls] = p.next;
            p.next = null;
        }
        return p;
    }

    /** Pushes a page that received remote frees onto its owning heap's stack (any thread). */
    static void pushRemote(Page p) {
        for (;;) {
            ThreadHeap h = p.heap;
            Page head = (Page) REMOTE_HEAD.getVolatile(h);
            if (head == CLOSED) {
                // h was adopted. Its pages had Page.heap rewritten before CLOSED was set, so a re-read
                // names the adopter. If it still names h, p was not among them: p was released, empty,
                // and its owner collected every free into it before releasing it. Nothing to push.
                if (p.heap == h) {
                    return;
                }
                continue;
            }
            p.nextRemote = head;
            if (REMOTE_HEAD.compareAndSet(h, head, p)) {
                return;
            }
        }
    }

    /** Owner: collects the remote frees of every page on the remote stack. */
    void collectRemoteFrees() {
        if ((Page) REMOTE_HEAD.getVolatile(this) == null) {
            return;
        }
        Page p = (Page) REMOTE_HEAD.getAndSet(this, (Page) null);
        while (p != null) {
            Page next = p.nextRemote;
            p.nextRemote = null;
            p.collectRemote();
            if (p.state == Page.FULL || p.state == Page.AVAILABLE || p.state == Page.CURRENT) {
                afterSlotsFreed(p);
            }
            p = next;
        }
    }

    /**
     * With no other thread using the allocator: stops allocation from {@code p} by filing it as full
     * (it leaves the current slot or the available list). Frees into it work as before; once empty it
     * is released like any full page that empties.
     */
    void withdraw(Page p) {
        int cls = p.cls.index;
        if (p.state == Page.CURRENT && current[cls] == p) {
            current[cls] = Page.EMPTY;
        } else if (p.state == Page.AVAILABLE) {
            available[cls].remove(p);
        } else {
            return; // full already, or spare (empty: nothing to evacuate)
        }
        p.state = Page.FULL;
        full.addFirst(p);
    }

    /** Owner: releases the spare pages and empty current pages (trim). */
    void releaseEmptyPages() {
        collectRemoteFrees();
        for (int cls = 0; cls < current.length; cls++) {
            if (spare[cls] != null) {
                Page p = spare[cls];
                spare[cls] = null;
                release(p);
            }
            Page cur = current[cls];
            if (cur != Page.EMPTY && cur.used == 0) {
                current[cls] = Page.EMPTY;
                release(cur);
            }
            released[cls] = null;
        }
    }

    /**
     * Checks that every page this heap owns is in the place its state names, owned by this heap, and
     * consistent; for verification while no thread uses the heap. Returns the first problem, or null.
     */
    String inconsistency() {
        java.util.Set<Page> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int cls = 0; cls < current.length; cls++) {
            String problem = check(current[cls], Page.CURRENT, cls, seen, current[cls] == Page.EMPTY);
            if (problem == null && spare[cls] != null) {
                problem = check(spare[cls], Page.SPARE, cls, seen, false);
                if (problem == null && spare[cls].used != 0) {
                    problem = "spare page of class " + cls + " has " + spare[cls].used + " used slots";
                }
            }
            for (Page p = available[cls].first(); problem == null && p != null; p = p.next) {
                problem = check(p, Page.AVAILABLE, cls, seen, false);
            }
            if (problem != null) {
                return problem;
            }
        }
        for (Page p = full.first(); p != null; p = p.next) {
            String problem = check(p, Page.FULL, p.cls.index, seen, false);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private String check(Page p, byte state, int cls, java.util.Set<Page> seen, boolean sentinel) {
        if (sentinel) {
            return null;
        }
        if (!seen.add(p)) {
            return "page at 0x" + Long.toHexString(p.address) + " is in two places";
        }
        if (p.state != state) {
            return "page at 0x" + Long.toHexString(p.address) + " is filed as " + state + " but its state is " + p.state;
        }
        if (p.cls.index != cls) {
            return "page of class " + p.cls.index + " filed under class " + cls;
        }
        if (p.heap != this) {
            return "page at 0x" + Long.toHexString(p.address) + " is filed in a heap that does not own it";
        }
        if (p.chunk.pages[p.firstUnit] != p) {
            return "page at 0x" + Long.toHexString(p.address) + " is not its chunk's page";
        }
        String own = p.inconsistency();
        return own == null ? null : "page at 0x" + Long.toHexString(p.address) + ": " + own;
    }

    /** Every page this heap owns, in no particular order. */
    List<Page> pages() {
        List<Page> pages = new ArrayList<>();
        for (int cls = 0; cls < current.length; cls++) {
            if (current[cls] != Page.EMPTY) {
                pages.add(current[cls]);
            }
            if (spare[cls] != null) {
                pages.add(spare[cls]);
            }
            for (Page p = available[cls].first(); p != null; p = p.next) {
                pages.add(p);
            }
        }
        for (Page p = full.first(); p != null; p = p.next) {
            pages.add(p);
        }
        return pages;
    }

    /**
     * Adopter (holding the allocator lock, owning {@code this}): takes over every page of {@code dead},
     * whose thread has terminated, and closes its remote stack. Empty pages are released.
     */
    void adopt(ThreadHeap dead) {
        List<Page> pages = dead.pages();
        for (Page p : pages) {
            p.heap = this;
        }
        // Pages taken off the dead heap's stack are ours to re-arm: clear their flag and collect. Any
        // other page whose flag is set is being pushed right now; the push finds CLOSED, re-reads
        // Page.heap and lands on this heap's stack, so its flag must stay set until that copy is
        // collected. Those pages are only drained.
        Page q = (Page) REMOTE_HEAD.getAndSet(dead, CLOSED);
        while (q != null) {
            Page next = q.nextRemote;
            q.nextRemote = null;
            q.collectRemote();
            q = next;
        }
        for (Page p : pages) {
            p.drainRemote();
            p.prev = null;
            p.next = null;
            int cls = p.cls.index;
            if (p.used == 0) {
                p.state = Page.AVAILABLE; // so retireEmpty's bookkeeping applies uniformly
                retireEmpty(p);
            } else if (p.hasFree()) {
                p.state = Page.AVAILABLE;
                available[cls].addFirst(p);
            } else {
                p.state = Page.FULL;
                full.addFirst(p);
            }
        }
        dead.allocator = null;
    }
}
