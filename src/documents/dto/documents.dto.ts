import { z } from 'zod';
import { DocumentNotFound } from '../documents.errors';
import { DOCUMENT_ID, VERSION } from '../document-front-matter.schema';
import { TYPED_NAME_MAX_LENGTH } from '../../signatures/signature.entity';

export const DocumentIdSchema = z.string().max(100).regex(DOCUMENT_ID);
export const VersionSchema = z.string().max(32).regex(VERSION);

/** A path's document id; one that cannot be real answers 404, like an unknown one. */
export function documentIdParam(value: string): string {
  const parsed = DocumentIdSchema.safeParse(value);
  if (!parsed.success) throw new DocumentNotFound();
  return parsed.data;
}

export function versionParam(value: string): string {
  const parsed = VersionSchema.safeParse(value);
  if (!parsed.success) throw new DocumentNotFound();
  return parsed.data;
}

/** The signing form: what the person ticked and typed, and the form's one-time id. */
export const SignDocumentSchema = z.object({
  intent: z.literal('yes').optional(),
  typedName: z
    .string({ message: 'Type your full name.' })
    .max(TYPED_NAME_MAX_LENGTH, `Your name can be at most ${TYPED_NAME_MAX_LENGTH} characters.`)
    .default(''),
  submission: z.uuid({ message: 'The form has expired. Open the document again and sign.' }),
});
export type SignDocumentDto = z.infer<typeof SignDocumentSchema>;
