/** Schema URNs (RFC 7643 §8.7.1, §4.3) and the Attest extension that drives requirements. */
export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const ATTEST_USER = 'urn:ietf:params:scim:schemas:extension:attest:2.0:User';
export const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';
const RESOURCE_TYPE = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SERVICE_PROVIDER_CONFIG_SCHEMA =
  'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';

/** Largest page a list answers (RFC 7644 §3.4.2.4: the provider may cap `count`). */
export const MAX_COUNT = 1000;

type Attribute = Record<string, unknown>;

function attr(
  name: string,
  description: string,
  extra: Partial<{
    type: string;
    required: boolean;
    uniqueness: string;
    caseExact: boolean;
    multiValued: boolean;
    mutability: string;
    canonicalValues: string[];
    subAttributes: Attribute[];
    referenceTypes: string[];
  }> = {},
): Attribute {
  return {
    name,
    type: 'string',
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...extra,
  };
}

const schema = (id: string, name: string, description: string, attributes: Attribute[]) => ({
  schemas: [SCHEMA],
  id,
  name,
  description,
  attributes,
  meta: { resourceType: 'Schema', location: `/scim/v2/Schemas/${id}` },
});

/** What Attest reads and writes of each schema; other attributes are accepted and ignored. */
export const SCHEMAS = [
  schema(CORE_USER, 'User', 'A person who works for the organisation', [
    attr('userName', 'The IdP’s unique name for the person', {
      required: true,
      uniqueness: 'server',
    }),
    attr('name', 'The person’s name', {
      type: 'complex',
      subAttributes: [
        attr('formatted', 'The full name'),
        attr('givenName', 'Given name'),
        attr('familyName', 'Family name'),
      ],
    }),
    attr('displayName', 'The name shown for the person'),
    attr('title', 'Job title'),
    attr('active', 'False ends the person’s access and starts their offboarding', {
      type: 'boolean',
    }),
    attr('emails', 'The primary (else the first) is the person’s email', {
      type: 'complex',
      multiValued: true,
      subAttributes: [
        attr('value', 'The address'),
        attr('type', 'work, home or other', { canonicalValues: ['work', 'home', 'other'] }),
        attr('primary', 'The person’s email in Attest', { type: 'boolean' }),
      ],
    }),
  ]),
  schema(ENTERPRISE_USER, 'EnterpriseUser', 'Enterprise User (RFC 7643 §4.3)', [
    attr('employeeNumber', 'The HR system’s key', { uniqueness: 'server' }),
    attr('department', 'Department'),
    attr('costCenter', 'Accepted, not kept'),
    attr('manager', 'The person’s manager', {
      type: 'complex',
      subAttributes: [
        attr('value', 'The manager’s SCIM id', { uniqueness: 'none' }),
        attr('displayName', 'The manager’s name', { mutability: 'readOnly' }),
      ],
    }),
  ]),
  schema(ATTEST_USER, 'AttestUser', 'The HR facts that decide a person’s requirements', [
    attr('startDate', 'First working day, YYYY-MM-DD'),
    attr('endDate', 'Last working day, YYYY-MM-DD'),
    attr('employmentType', 'employee or contractor', {
      canonicalValues: ['employee', 'contractor'],
    }),
    attr('country', 'ISO 3166-1 alpha-2 country of work, like GB or US', { caseExact: true }),
    attr('region', 'State, province or region where the law differs within the country'),
  ]),
  schema(CORE_GROUP, 'Group', 'A group of people; ROLE_MAP gives its members roles', [
    attr('displayName', 'The group’s name, as ROLE_MAP names it', {
      required: true,
      uniqueness: 'server',
    }),
    attr('members', 'The people in the group', {
      type: 'complex',
      multiValued: true,
      subAttributes: [
        attr('value', 'The member’s SCIM id', { mutability: 'immutable' }),
        attr('display', 'The member’s name', { mutability: 'readOnly' }),
      ],
    }),
  ]),
];

export const RESOURCE_TYPES = [
  {
    schemas: [RESOURCE_TYPE],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    schema: CORE_USER,
    schemaExtensions: [
      { schema: ENTERPRISE_USER, required: false },
      { schema: ATTEST_USER, required: false },
    ],
    meta: { resourceType: 'ResourceType', location: '/scim/v2/ResourceTypes/User' },
  },
  {
    schemas: [RESOURCE_TYPE],
    id: 'Group',
    name: 'Group',
    endpoint: '/Groups',
    schema: CORE_GROUP,
    meta: { resourceType: 'ResourceType', location: '/scim/v2/ResourceTypes/Group' },
  },
];

/** RFC 7643 §5: what this service provider supports. */
export const SERVICE_PROVIDER_CONFIG = {
  schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
  patch: { supported: true },
  bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
  filter: { supported: true, maxResults: MAX_COUNT },
  changePassword: { supported: false },
  sort: { supported: false },
  etag: { supported: false },
  authenticationSchemes: [
    {
      type: 'oauthbearertoken',
      name: 'Bearer token',
      description: 'An Attest API token of the scim role: attest token create --role scim',
      primary: true,
    },
  ],
  meta: { resourceType: 'ServiceProviderConfig', location: '/scim/v2/ServiceProviderConfig' },
};

/** RFC 7644 §3.4.2: a page of resources. */
export function listResponse<T>(resources: T[], total: number, startIndex: number) {
  return {
    schemas: [LIST_RESPONSE],
    totalResults: total,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
