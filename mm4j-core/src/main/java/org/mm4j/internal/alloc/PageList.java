package org.mm4j.internal.alloc;

/** An intrusive doubly linked list of pages, owned by one heap; O(1) add, remove and poll. */
final class PageList {
    private Page head;
    private int size;

    void addFirst(Page p) {
        p.prev = null;
        p.next = head;
        if (head != null) {
            head.prev = p;
        }
        head = p;
        size++;
    }

    void remove(Page p) {
        if (p.prev != null) {
            p.prev.next = p.next;
        } else {
            head = p.next;
        }
        if (p.next != null) {
            p.next.prev = p.prev;
        }
        p.prev = null;
        p.next = null;
        size--;
    }

    Page pollFirst() {
        Page p = head;
        if (p != null) {
            remove(p);
        }
        return p;
    }

    Page first() {
        return head;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return head == null;
    }
}
