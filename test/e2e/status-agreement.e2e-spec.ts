import request from 'supertest';
import { ApiTokensService } from '../../src/api-tokens/api-tokens.service';
import { DocumentSyncService } from '../../src/documents/document-sync.service';
import { addDays, addMonths, calendarDayOf } from '../../src/common/calendar-day';
import { humanDate, label } from '../../src/common/labels';
import { CompletionSource } from '../../src/requirements/requirement-completion.entity';
import { RequirementsService } from '../../src/requirements/requirements.service';
import { copyPolicies, type PoliciesCopy } from '../factories/policies.factory';
import { formPostingTo } from '../helpers/html-forms';
import {
  attribute,
  binary,
  csvCell,
  elements,
  rowCells,
  summaryRow,
  textOf,
} from '../helpers/page-readers';
import { pdfText } from '../helpers/pdf-tools';
import { csrfTokenOf } from '../helpers/role-sessions';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { signIn, testIdpEnv } from '../helpers/test-idp';

// "One truth about status" (issue #11): a requirement's state for a person is computed in one
// place (src/requirements/requirement-standing.ts). For a person in each state, every reader
// must say the same thing: /me, /training or /documents, /document-signatures and its CSV, the
// auditor API and the sealed compliance summary.

const TODAY = calendarDayOf(new Date());
const day = (offset: number) => addDays(TODAY, offset);
const PASSED = day(-10);

interface Browser {
  cookies: string[];
  csrf: string;
  personId: string;
  name: string;
}

interface Case {
  state: string;
  email: string;
  country: string;
  startOffset: number;
  groups?: string[];
  kind: 'document' | 'training' | 'background_check';
  subject: string;
  /** The state code every reader must carry. */
  status: string;
  /** The words every reader must show. */
  words: string;
  arrange?: (b: Browser) => Promise<void>;
}

describe('One truth about status (e2e)', () => {
  let t: TestApp;
  let policies: PoliciesCopy;
  let hr: Browser;
  let token: string;
  const people = new Map<string, Browser>();

  const get = (b: Browser, path: string) =>
    request(t.server).get(path).set('Cookie', b.cookies).set('Accept', 'text/html');
  const post = (b: Browser, path: string, form: Record<string, string>) =>
    request(t.server)
      .post(path)
      .set('Cookie', b.cookies)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: b.csrf, ...form });

  /** Signs a document the way a person does: consent once, open it, tick, type the name. */
  async function sign(b: Browser, documentId: string): Promise<void> {
    await post(b, '/documents/consent', { agree: 'yes', next: '/me' }).expect(303);
    const page = await get(b, `/documents/${documentId}`).expect(200);
    const form = formPostingTo(page.text, /\/signatures$/);
    await post(b, form.action, {
      intent: 'yes',
      typedName: b.name,
      submission: form.hidden.submission,
    }).expect(303);
  }

  const CASES: Case[] = [
    {
      state: 'not started',
      email: 'nora.notstarted@corp.example',
      country: 'GB',
      startOffset: 10,
      kind: 'document',
      subject: 'nda',
      status: 'not_started',
      words: 'Not started',
    },
    {
      state: 'in progress',
      email: 'ines.inprogress@corp.example',
      country: 'GB',
      startOffset: 10,
      kind: 'document',
      subject: 'nda',
      status: 'in_progress',
      words: 'In progress',
      // Opening the document starts it.
      arrange: async (b) => void (await get(b, '/documents/nda').expect(200)),
    },
    {
      state: 'done',
      email: 'dana.done@corp.example',
      country: 'GB',
      startOffset: -100,
      kind: 'document',
      subject: 'nda',
      status: 'done',
      words: 'Done',
      arrange: (b) => sign(b, 'nda'),
    },
    {
      state: 'overdue',
      email: 'otto.overdue@corp.example',
      country: 'GB',
      startOffset: -100,
      kind: 'document',
      subject: 'nda',
      status: 'overdue',
      words: 'Overdue',
    },
    {
      state: 'waived',
      email: 'wanda.waived@corp.example',
      country: 'GB',
      startOffset: -100,
      kind: 'document',
      subject: 'nda',
      status: 'waived',
      words: 'Waived',
      arrange: async (b) =>
        void (await t.app
          .get(RequirementsService)
          .waive({ personId: hr.personId }, b.personId, 'employee-nda', 0, 'Signed on paper')),
    },
    {
      state: 're-acknowledgement open',
      email: 'rhea.reack@corp.example',
      country: 'GB',
      startOffset: -100,
      kind: 'document',
      subject: 'information-security-policy',
      status: 'not_started',
      words: 'Not started',
      // Signs 1.0.0; a material 2.0.0 is published after every case is arranged.
      arrange: (b) => sign(b, 'information-security-policy'),
    },
    {
      state: 'next cycle scheduled',
      email: 'sami.scheduled@corp.example',
      country: 'GB',
      startOffset: -100,
      kind: 'training',
      subject: 'training-phishing',
      status: 'done',
      words: `Done, next due ${humanDate(addMonths(PASSED, 12))}`,
      arrange: async (b) =>
        void (await t.app
          .get(RequirementsService)
          .recordCompletion({ personId: b.personId }, b.personId, 'training-phishing', {
            completedAt: new Date(`${PASSED}T09:00:00Z`),
            source: CompletionSource.Test,
          })),
    },
    {
      state: 'background check in progress',
      email: 'cole.checking@corp.example',
      country: 'US',
      startOffset: 10,
      kind: 'background_check',
      subject: 'criminal_record',
      status: 'in_progress',
      words: 'In progress',
      arrange: (b) => recordCheck(b, 'invited'),
    },
    {
      state: 'background check clear',
      email: 'clara.clear@corp.example',
      country: 'US',
      startOffset: 10,
      kind: 'background_check',
      subject: 'criminal_record',
      status: 'done',
      words: 'Done',
      arrange: (b) => recordCheck(b, 'clear'),
    },
    {
      state: 'background check waived',
      email: 'walt.waivedcheck@corp.example',
      country: 'US',
      startOffset: 10,
      kind: 'background_check',
      subject: 'criminal_record',
      status: 'waived',
      words: 'Waived',
      arrange: (b) => recordCheck(b, 'waived'),
    },
    {
      state: 'asked for by two rules (an administrator in the US)',
      email: 'ada.twice@corp.example',
      country: 'US',
      startOffset: -100,
      groups: ['attest-admins'],
      kind: 'background_check',
      subject: 'criminal_record',
      status: 'overdue',
      words: 'Overdue',
    },
  ];

  /** HR records the criminal-record check on the HR form, as the screening vendor reports it. */
  async function recordCheck(b: Browser, status: 'invited' | 'clear' | 'waived'): Promise<void> {
    await post(hr, '/background-checks', {
      personId: b.personId,
      type: 'criminal_record',
      jurisdiction: 'US',
      status,
      invitedAt: day(-2),
      ...(status === 'clear' ? { startedAt: day(-2), completedAt: day(-1) } : {}),
      ...(status === 'waived' ? { waiverReason: 'Rehire: screened last year' } : {}),
    }).expect(303);
  }

  beforeAll(async () => {
    policies = copyPolicies();
    t = await createTestApp({ env: { ...(await testIdpEnv()), POLICIES_DIR: policies.dir } });
    const sp = { acsUrl: t.config.saml.acsUrl, spEntityId: t.config.saml.spEntityId };
    const browser = async (
      email: string,
      name: string,
      groups: string[],
      attributes: Record<string, string>,
    ): Promise<Browser> => {
      const cookies = [
        await signIn(t.server, sp, { email, displayName: name, groups, attributes }),
      ];
      const [row] = await t.db.query<{ id: string }>('select id from person where email = $1', [
        email,
      ]);
      return { cookies, csrf: await csrfTokenOf(t, cookies), personId: row.id, name };
    };
    hr = await browser('hana.hr@corp.example', 'Hana Hr', ['attest-hr'], { country: 'GB' });
    for (const c of CASES) {
      const name = c.email.split('@')[0].replace('.', ' ');
      const b = await browser(c.email, name, c.groups ?? ['all-staff'], {
        country: c.country,
        department: 'Engineering',
        startDate: day(c.startOffset),
      });
      people.set(c.state, b);
      await c.arrange?.(b);
    }
    policies.bump(
      'information-security-policy',
      '2.0.0',
      'material',
      'Adds a rule on AI assistants.',
      'Staff must not paste Confidential data into AI assistants the Company has not approved.',
    );
    await t.app.get(DocumentSyncService).sync();
    token = (await t.app.get(ApiTokensService).create('test', { name: 'audit', role: 'auditor' }))
      .secret;
  });

  afterAll(async () => {
    await t?.close();
    policies?.remove();
  });

  describe.each(CASES)('a person whose requirement is $state', (c) => {
    const who = () => people.get(c.state)!;

    it('reads the same on /me', async () => {
      const page = await get(who(), '/me').expect(200);
      // Listed once among the tasks; a scheduled next cycle may also show under "Coming up".
      const items = elements(page.text, `data-testid="task-${c.subject}"`).filter(
        (item) => attribute(item, 'data-status') !== 'scheduled',
      );
      expect(items).toHaveLength(1);
      expect(attribute(items[0], 'data-status')).toBe(c.status);
      expect(textOf(items[0])).toContain(label(c.status));
      const next = /next due (.+)$/.exec(c.words)?.[1];
      if (next) expect(textOf(page.text)).toContain(`next due ${next}`);
    });

    it('reads the same on /training or /documents', async () => {
      if (c.kind === 'background_check') return;
      const path = c.kind === 'training' ? '/training' : '/documents';
      const page = await get(who(), path).expect(200);
      const rows = elements(page.text, `data-standing="${c.subject}"`);
      expect(rows).toHaveLength(1);
      expect(textOf(rows[0])).toContain(c.words);
    });

    it('reads the same on /document-signatures and its CSV, counted once', async () => {
      if (c.kind === 'background_check') return;
      const page = await get(hr, `/document-signatures/${c.subject}`).expect(200);
      const rows = elements(page.text, `data-person="${who().personId}"`);
      expect(rows).toHaveLength(1);
      expect(textOf(rows[0])).toContain(c.words);

      const csv = await get(hr, `/document-signatures/${c.subject}?format=csv`).expect(200);
      const [header, ...lines] = csv.text.trimEnd().split('\r\n');
      const columns = header.split(',');
      const mine = lines.filter((l) => l.includes(who().personId));
      expect(mine).toHaveLength(1);
      const cells = mine[0].split(',');
      const code = cells[columns.indexOf('status')];
      expect(code === 'signed' ? 'done' : code).toBe(c.status);
      expect(mine[0]).toContain(csvCell(c.words));
    });

    it('reads the same in the auditor API', async () => {
      const res = await request(t.server)
        .get(`/api/v1/people/${who().personId}/requirements`)
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      const rows = (
        res.body.data as { subject: string; status: string; statusText: string }[]
      ).filter((r) => r.subject === c.subject);
      expect(rows).toHaveLength(1);
      expect(rows[0].status).toBe(c.status);
      expect(rows[0].statusText).toBe(c.words);
    });

    it('reads the same in the sealed compliance summary', async () => {
      const res = await get(hr, `/people/${who().personId}/compliance-summary`)
        .buffer(true)
        .parse(binary)
        .expect(200);
      const row = summaryRow(res.body as Buffer, label(c.subject));
      expect(row.status).toBe(c.words);
    });
  });

  // Each bug from issue #11, read through hooks the pages had before the fix.
  describe('the contradictions reported in issue #11', () => {
    const person = (state: string) => people.get(state)!;
    const requirementsOf = async (b: Browser) =>
      (
        await request(t.server)
          .get(`/api/v1/people/${b.personId}/requirements`)
          .set('Authorization', `Bearer ${token}`)
          .expect(200)
      ).body.data as { subject: string; status: string }[];

    it('/training shows a module just passed as done, not as not started', async () => {
      const page = await get(person('next cycle scheduled'), '/training').expect(200);
      const [cell] = elements(page.text, 'data-testid="module-status-training-phishing"');
      expect(textOf(cell)).toContain('Done');
      expect(textOf(cell)).not.toMatch(/not_started|Not started/);
    });

    it('a criminal-record check in progress reads as in progress, not as not started', async () => {
      const rows = await requirementsOf(person('background check in progress'));
      expect(rows.filter((r) => r.subject === 'criminal_record').map((r) => r.status)).toEqual([
        'in_progress',
      ]);
    });

    it("the summary PDF does not count next year's training cycle as not started", async () => {
      const b = person('next cycle scheduled');
      const pdf = await get(hr, `/people/${b.personId}/compliance-summary`)
        .buffer(true)
        .parse(binary)
        .expect(200);
      const text = pdfText(pdf.body as Buffer);
      expect(text.match(/training-phishing/g)).toHaveLength(1);
      expect(text).not.toContain('not_started');
    });

    it("an administrator's criminal-record screening is listed once", async () => {
      const rows = await requirementsOf(
        person('asked for by two rules (an administrator in the US)'),
      );
      expect(rows.filter((r) => r.subject === 'criminal_record')).toHaveLength(1);
    });
  });

  it('counts each person once on /document-signatures: a re-acknowledgement is pending only', async () => {
    const csv = await get(hr, '/document-signatures/information-security-policy?format=csv');
    const lines = csv.text.trimEnd().split('\r\n').slice(1);
    const persons = lines.map((l) => l.split(',')[1]);
    expect(new Set(persons).size).toBe(persons.length);
    const index = await get(hr, '/document-signatures').expect(200);
    const row = elements(index.text, 'href="/document-signatures/information-security-policy"');
    expect(row.length).toBeGreaterThan(0);
    const cells = rowCells(index.text, '/document-signatures/information-security-policy');
    const [signed, pending] = cells.slice(-2).map(Number);
    const waived = lines.filter((l) => l.startsWith('waived,')).length;
    expect(signed + pending + waived).toBe(persons.length);
    const reack = lines.find((l) => l.includes(people.get('re-acknowledgement open')!.personId));
    expect(reack).toMatch(/^not_started,/);
  });
});
