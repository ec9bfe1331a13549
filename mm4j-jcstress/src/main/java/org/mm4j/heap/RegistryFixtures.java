package org.mm4j.heap;

/** Registries for the jcstress tests of the registry's protocol. */
final class RegistryFixtures {
  private RegistryFixtures() {}

  /** A registry of a thousand ids with ids {@code 1 .. last} reserved and published. */
  static Registry<String> filledTo(int last) {
    return filledTo(last, 1000);
  }

  /** A registry of ids {@code 1 .. limit} with ids {@code 1 .. last} reserved and published. */
  static Registry<String> filledTo(int last, int limit) {
    Registry<String> registry = new Registry<>(limit);
    for (int i = 1; i <= last; i++) {
      int id = registry.reserveId();
      registry.publish(id, "v" + id);
    }
    return registry;
  }
}
