/**
 * Which open assignments a seeded organisation has done, as SQL over `requirement_assignment a`:
 * most people have done most of what is due; recent starters lag behind. The attestation
 * seeder signs some of these for real; the rest are recorded as imported completions.
 */
export const SEEDED_DONE_PREDICATE = `abs(hashtext(a.person_id::text || a.requirement_id)) % 100 <
                case when a.due_date < current_date - 60 then 92 else 45 end`;

/**
 * The demo organisation's: what was due more than six weeks ago is done (nobody in the demo is
 * years late); of what fell due since, or falls due soon, some is done and some is not.
 */
export const DEMO_DONE_PREDICATE = `a.due_date < current_date - 42 or (${SEEDED_DONE_PREDICATE})`;
