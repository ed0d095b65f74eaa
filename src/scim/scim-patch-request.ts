import { ScimError as PatchLibraryError, type ScimPatchOperation, scimPatch } from 'scim-patch';
import { invalidSyntax, invalidValue, ScimError, type ScimType } from './scim.errors';
import { get, type ScimResource } from './scim-user.mapper';
import { PATCH_OP } from './scim-schemas';

/** More operations than any IdP sends in one request (Entra ID batches group members). */
const MAX_OPERATIONS = 1000;

const OPS = new Set(['add', 'replace', 'remove']);

/**
 * The operations of a PatchOp request (RFC 7644 §3.5.2), with `op` lower-cased: Microsoft
 * Entra ID sends "Replace", "Add" and "Remove", which §3.5.2 spells in lower case.
 */
export function scimPatchOperations(body: unknown): ScimPatchOperation[] {
  const schemas = get(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.includes(PATCH_OP)) {
    throw invalidSyntax(`A PATCH body names the schema "${PATCH_OP}" (RFC 7644 §3.5.2).`);
  }
  const operations = get(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0) {
    throw invalidSyntax('A PATCH body has a non-empty "Operations" list.');
  }
  if (operations.length > MAX_OPERATIONS) {
    throw new ScimError(400, `At most ${MAX_OPERATIONS} operations per request.`, 'tooMany');
  }
  return operations.map((operation: unknown, i) => {
    const op = get(operation, 'op');
    if (typeof op !== 'string' || !OPS.has(op.toLowerCase())) {
      throw invalidSyntax(`Operation ${i + 1}: "op" is add, replace or remove.`);
    }
    const path = get(operation, 'path');
    if (path !== undefined && typeof path !== 'string') {
      throw invalidSyntax(`Operation ${i + 1}: "path" is a string.`);
    }
    const value = get(operation, 'value');
    if (op.toLowerCase() !== 'remove' && value === undefined) {
      throw invalidSyntax(`Operation ${i + 1}: "${op}" needs a "value".`);
    }
    return { op: op.toLowerCase(), path, value } as ScimPatchOperation;
  });
}

/** Applies the operations with the scim-patch library; its refusals become SCIM errors. */
export function applyPatch<T extends ScimResource>(
  resource: T,
  operations: ScimPatchOperation[],
): T {
  try {
    return scimPatch(structuredClone(resource) as never, operations) as T;
  } catch (error) {
    if (error instanceof PatchLibraryError) {
      const code = error.scimCode as ScimType | undefined;
      if (code === 'noTarget' || code === 'invalidPath' || code === 'invalidValue') {
        throw new ScimError(400, error.message, code);
      }
      throw invalidValue(error.message);
    }
    throw error;
  }
}
