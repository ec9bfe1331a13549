/**
 * The managed heap: object graphs off the Java heap, whose lifetime mm4j manages.
 *
 * <p>Objects have types declared at run time ({@link org.mm4j.heap.Type}). Java code holds objects
 * through 64-bit handles (a 32-bit object id and a 32-bit generation); references stored inside objects
 * are ids. A handle used after its object was freed throws {@link org.mm4j.heap.StaleHandleException}.
 */
package org.mm4j.heap;
