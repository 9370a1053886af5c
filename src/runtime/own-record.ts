// Records keyed by names from files or users: built with null prototypes, so a name such as
// `__proto__` is an own key like any other and a missing `constructor` reads as undefined.

/** A record holding exactly `entries` as own properties, with no prototype to inherit from. */
export function ownRecord<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  // Object.fromEntries defines properties (no setter runs, so `__proto__` stays a key).
  return Object.setPrototypeOf(Object.fromEntries(entries), null) as Record<string, T>;
}
