import { z } from 'zod';
import { DEMO_PERSONA_IDS } from '../demo-personas';

const samlRequest = z
  .string({ message: 'The sign-in request is missing; start again from Attest’s sign-in page.' })
  .min(1, 'The sign-in request is missing; start again from Attest’s sign-in page.')
  .max(64 * 1024, 'The sign-in request is larger than 64 kB, so it was refused.');
const relayState = z
  .string({ message: 'RelayState must be a single value.' })
  .max(1024, 'RelayState is longer than 1 kB, so it was refused.')
  .optional();

/** GET /demo-idp/sso: the HTTP-Redirect binding's query. */
export const ReviewDemoSignInSchema = z.object({
  SAMLRequest: samlRequest,
  RelayState: relayState,
});
export type ReviewDemoSignInDto = z.infer<typeof ReviewDemoSignInSchema>;

/** POST /demo-idp/sso: the persona chosen, and the request carried over from the GET. */
export const DemoSignInSchema = ReviewDemoSignInSchema.extend({
  persona: z.enum(DEMO_PERSONA_IDS, { message: 'Choose one of the demo personas.' }),
});
export type DemoSignInDto = z.infer<typeof DemoSignInSchema>;

export { parseDto } from '../../../common/validation/parse-dto';
