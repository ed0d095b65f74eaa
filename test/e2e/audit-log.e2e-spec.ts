// The audit log page and its CSV over HTTP, signed in through the real SAML flow: who may read
// it, its filters and pages, and a download that can be checked against the chain.
import request from 'supertest';
import { hashAuditEvent } from '../../src/audit/audit-hash';
import { AuditService } from '../../src/audit/audit.service';
import { auditEventInput } from '../factories/audit-chain.factory';
import { unescapeHtml } from '../helpers/html-forms';
import { PERSONAS, type SignedIn, signInAs } from '../helpers/role-sessions';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { testIdpEnv } from '../helpers/test-idp';

const WIDGET = { subjectType: 'widget', subjectId: 'w-1', actorId: 'integration:acme' };
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';

describe('audit log pages', () => {
  let t: TestApp;
  const who = new Map<string, SignedIn>();

  const get = (as: string, url: string) =>
    request(t.server).get(url).set('Cookie', who.get(as)!.cookies).set('Accept', 'text/html');

  /** The seq of every event row on a page, in page order. */
  const seqsOn = (html: string) =>
    [
      ...(/<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '').matchAll(
        /<th scope="row"[^>]*>(\d+)<\/th>/g,
      ),
    ].map(([, seq]) => seq);
  const today = () => new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    t = await createTestApp({ env: await testIdpEnv() });
    const names = ['employee', 'hr', 'auditor', 'admin-without-totp', 'admin-with-totp'];
    for (const persona of PERSONAS.filter((p) => names.includes(p.name))) {
      who.set(persona.name, await signInAs(t, persona));
    }
    const audit = t.app.get(AuditService);
    for (const [n, ip] of [
      [1, '192.0.2.1'],
      [2, '2001:db8::2'],
      [3, '192.0.2.3'],
    ] as const) {
      await audit.record({
        ...WIDGET,
        action: 'test.widget_changed',
        details: { n },
        ip,
        userAgent: BROWSER,
      });
    }
    for (let n = 1; n <= 55; n++) await audit.record(auditEventInput(n, { action: 'test.bulk' }));
  });

  afterAll(async () => {
    await t?.close();
  });

  it('shows an auditor the newest events with their request context and hashes', async () => {
    const res = await get('auditor', '/audit').expect(200);
    const [newest] = await t.db.query<{ seq: string; hash: string; prev_hash: string }>(
      'select seq::text, hash, prev_hash from audit_event order by audit_event.seq desc limit 1',
    );
    expect(seqsOn(res.text)[0]).toBe(newest.seq);
    expect(seqsOn(res.text)).toHaveLength(50);
    expect(res.text).toContain(`<code title="${newest.hash}">${newest.hash.slice(0, 12)}…</code>`);
    expect(res.text).toContain(`<dd><code>${newest.prev_hash}</code></dd>`);
    // The page works without JavaScript under the strict CSP: no scripts, no inline styles.
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(res.text).not.toMatch(/<script|style="/);
    expect(res.text).toMatch(/<label for="audit-filter-actor">Actor id<\/label>/);
  });

  it('names the actor and the subject, with the id beside each', async () => {
    const hr = who.get('hr')!.personId!;
    const employee = who.get('employee')!.personId!;
    await t.app.get(AuditService).record({
      action: 'test.person_named',
      actorId: hr,
      subjectType: 'person',
      subjectId: employee,
    });
    await t.app.get(AuditService).record({ action: 'test.by_system', actorId: 'system' });
    const [hrName, employeeName] = await Promise.all(
      [hr, employee].map(
        async (id) =>
          (
            await t.db.query<{ n: string }>('select full_name as n from person where id = $1', [id])
          )[0].n,
      ),
    );
    const res = await get('auditor', '/audit?action=test.person_named').expect(200);
    const text = unescapeHtml(res.text);
    expect(text).toContain(`<bdi data-testid="actor-name">${hrName}</bdi>`);
    expect(text).toContain(`<code>${hr}</code>`);
    expect(text).toContain(`<bdi data-testid="subject-name">${employeeName}</bdi>`);
    expect(text).toContain(`<code>person ${employee}</code>`);
    const system = await get('auditor', '/audit?action=test.by_system').expect(200);
    expect(system.text).toContain('<bdi data-testid="actor-name">Attest (system)</bdi>');
    const published = await get('auditor', '/audit?action=document.published').expect(200);
    expect(published.text).toContain(
      '<bdi data-testid="subject-name">Mutual Non-Disclosure Agreement</bdi>',
    );
  });

  it('lets an admin, after the TOTP step-up, filter by action, actor, subject and dates', async () => {
    const widgetSeqs = (
      await t.db.query<{ seq: string }>(
        "select seq::text from audit_event where action = 'test.widget_changed' order by audit_event.seq desc",
      )
    ).map((r) => r.seq);
    expect(widgetSeqs).toHaveLength(3);
    for (const url of [
      '/audit?action=test.widget_changed',
      `/audit?actor=${encodeURIComponent(WIDGET.actorId)}`,
      '/audit?subjectType=widget&subjectId=w-1',
      `/audit?action=test.widget*&from=${today()}&to=${today()}`,
    ]) {
      const res = await get('admin-with-totp', url).expect(200);
      expect({ url, seqs: seqsOn(res.text) }).toEqual({ url, seqs: widgetSeqs });
    }
    const page = await get('admin-with-totp', '/audit?action=test.widget_changed').expect(200);
    const text = unescapeHtml(page.text);
    expect(text).toContain('2001:db8::2');
    expect(text).toContain(BROWSER);
    expect(text).toContain('value="test.widget_changed"');

    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const none = await get('admin-with-totp', `/audit?from=${tomorrow}`).expect(200);
    expect(seqsOn(none.text)).toEqual([]);
    expect(none.text).toContain('No events match these filters.');
  });

  it('pages back through older events, keeping the filter', async () => {
    const first = await get('auditor', '/audit?action=test.bulk').expect(200);
    const older = unescapeHtml(
      /<a href="([^"]+)" rel="next">Older events<\/a>/.exec(first.text)![1],
    );
    expect(older).toMatch(/^\/audit\?action=test\.bulk&before=\d+$/);
    const second = await get('auditor', older).expect(200);

    const seqs = [...seqsOn(first.text), ...seqsOn(second.text)];
    expect(seqs).toHaveLength(55);
    expect(seqs).toEqual([...seqs].sort((a, b) => Number(b) - Number(a)));
    expect(second.text).not.toContain('Older events');
    expect(second.text).toContain('Newest events');
  });

  it.each([
    ['hr', 403],
    ['employee', 403],
  ])('refuses the page and the download to %s', async (as, status) => {
    await get(as, '/audit').expect(status);
    await get(as, '/audit.csv').expect(status);
  });

  it('sends an admin who has not stepped up to verify TOTP first', async () => {
    const res = await get('admin-without-totp', '/audit').expect(302);
    expect(res.headers.location).toBe('/auth/totp');
  });

  it('downloads the matching events as CSV, oldest first, hashes recomputable', async () => {
    const res = await get('auditor', '/audit.csv?action=test.widget_changed').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="audit-log.csv"');
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'seq,occurred_at,actor_id,action,subject_type,subject_id,details,request_id,ip,user_agent,prev_hash,hash,purged_at',
    );
    expect(lines).toHaveLength(4);
    const rows = lines.slice(1).map((line) => line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/));
    expect(rows.map((r) => Number(r[0]))).toEqual(
      rows.map((r) => Number(r[0])).sort((a, b) => a - b),
    );
    for (const [seq, at, actor, action, type, id, details, requestId, ip, ua, prev, hash] of rows) {
      const content = {
        seq,
        occurredAt: new Date(at),
        actorId: actor,
        action,
        subjectType: type,
        subjectId: id,
        details: JSON.parse(details.slice(1, -1).replace(/""/g, '"')) as Record<string, unknown>,
        requestId: requestId || null,
        ip,
        userAgent: ua,
        prevHash: prev,
      };
      expect(hashAuditEvent(content)).toBe(hash);
    }

    const [exported] = await t.db.query<{ actor_id: string; details: unknown }>(
      "select actor_id, details from audit_event where action = 'audit.exported' order by seq desc limit 1",
    );
    expect(exported).toEqual({
      actor_id: who.get('auditor')!.personId,
      details: { filters: { action: 'test.widget_changed' } },
    });
  });

  it('downloads the whole log when no filter is set', async () => {
    const res = await get('auditor', '/audit.csv').expect(200);
    const [{ count }] = await t.db.query<{ count: string }>(
      'select count(*)::text from audit_event',
    );
    // The export records itself before reading, so it is in its own file.
    expect(res.text.trimEnd().split('\r\n')).toHaveLength(Number(count) + 1);
  });

  it.each([
    ['/audit?from=2026-02-30', 'The from date is not a real date.'],
    ['/audit?to=yesterday', 'The to date must look like 2026-03-31.'],
    ['/audit?from=2026-05-02&to=2026-05-01', 'The from date must be on or before the to date.'],
    ['/audit?actor=a%20b', 'The actor filter is an id'],
    ['/audit?action=%3Cscript%3E', 'The action filter is an action such as auth.login'],
    ['/audit?subjectId=x&subjectId=y', 'The subject id filter takes one value.'],
    ['/audit?before=abc', 'The page link is not valid'],
    ['/audit.csv?from=03/01/2026', 'The from date must look like 2026-03-31.'],
  ])('answers 400 naming the field: %s', async (url, message) => {
    const res = await get('auditor', url).expect(400);
    expect(unescapeHtml(res.text)).toContain(message);
  });
});
