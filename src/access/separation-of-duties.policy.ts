import type { Principal } from './principal';

/**
 * Segregation of duties (ISO/IEC 27001:2022 A.5.3): nobody decides about their own record.
 * HR cannot waive their own requirements, adjudicate their own background check, or change the
 * fields that decide what they must complete; someone else has to.
 */
export function mayDecideAbout(actor: Pick<Principal, 'personId'>, personId: string): boolean {
  return actor.personId !== personId;
}
