import type { Person } from '../../src/people/person.entity';
declare const p: Person;
const a: { readonly personId: string } = p;
type K = keyof Person;
const k: K = 'personId';
export { a, k };
