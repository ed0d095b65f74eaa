export type PersonChangeSource = 'edit' | 'csv' | 'scim';

/** Told when HR changes people, so what depends on them follows. */
export interface PersonChangesListener {
  /**
   * `changed`: people whose HR fields changed (their requirements are derived again);
   * `terminated`: those now terminated; `identityChanged`: those whose email or employee number
   * changed. Both of the last lose their sessions. Anyone among `changed` or `terminated` who
   * has left (terminated, or past their end date) leaves: src/offboarding/leaving.service.ts.
   * `source` says where the change came from, for the `person.left` audit event.
   */
  peopleChanged(
    actorId: string,
    changed: readonly string[],
    terminated: readonly string[],
    identityChanged?: readonly string[],
    source?: PersonChangeSource,
  ): Promise<void>;
}

export const PERSON_CHANGES = Symbol('PERSON_CHANGES');
