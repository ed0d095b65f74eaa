/** Told when HR changes people, so what depends on them follows. */
export interface PersonChangesListener {
  /**
   * `changed`: people whose HR fields changed (their requirements are derived again);
   * `terminated`: those now terminated; `identityChanged`: those whose email or employee number
   * changed. Both of the last lose their sessions.
   */
  peopleChanged(
    actorId: string,
    changed: readonly string[],
    terminated: readonly string[],
    identityChanged?: readonly string[],
  ): Promise<void>;
}

export const PERSON_CHANGES = Symbol('PERSON_CHANGES');
