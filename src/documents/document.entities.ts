import { DocumentVersionSchema } from './document-version.entity';
import { DocumentViewSchema } from './document-view.entity';
import { EsignConsentSchema } from './esign-consent.entity';

export const DOCUMENT_ENTITIES = [DocumentVersionSchema, DocumentViewSchema, EsignConsentSchema];
