import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DocumentSyncService } from '../../src/documents/document-sync.service';
import { NotificationDelivery } from '../../src/notifications/notification-delivery.service';
import { NotificationScheduler } from '../../src/notifications/notification-scheduler.service';
import { copyPolicies, type PoliciesCopy } from '../factories/policies.factory';
import { axeViolations, launchChromium, startListeningApp, step } from '../helpers/browser';
import { expectIndependentToolsAccept } from '../helpers/pdf-tools';
import type { TestApp } from '../helpers/test-app';

jest.setTimeout(240_000);

const NEW_HIRE = 'Jordan Rivera';
const HR = 'Hannah Okafor';

interface QuizRow {
  document_id: string;
  quiz: { questions: { id: string; options: string[]; answer: number }[] };
}

/** A real Chromium through the demo IdP: the journey the issue describes, page by page. */
describe('a new hire’s journey in Chromium', () => {
  let t: TestApp;
  let baseUrl: string;
  let policies: PoliciesCopy;
  let browser: Browser;
  let hireContext: BrowserContext;
  let page: Page;
  const checked: string[] = [];

  beforeAll(async () => {
    policies = copyPolicies();
    ({ t, baseUrl } = await startListeningApp({ POLICIES_DIR: policies.dir }));
    browser = await launchChromium();
    hireContext = await browser.newContext();
    page = await hireContext.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    policies?.remove();
  });

  /** Every page the journey visits passes axe's WCAG 2.1 AA rules. */
  async function accessible(on: Page, name: string): Promise<void> {
    expect({ page: name, violations: await axeViolations(on) }).toEqual({
      page: name,
      violations: [],
    });
    checked.push(name);
  }

  async function signInAs(on: Page, displayName: string): Promise<void> {
    await on.goto(`${baseUrl}/demo-idp`);
    await on
      .getByRole('link', { name: 'Sign in to Attest with the demo identity provider' })
      .click();
    await on.getByRole('button', { name: `Sign in as ${displayName}` }).click();
    await on.waitForURL(`${baseUrl}/me`);
  }

  const signatureCount = async (documentId: string) =>
    (
      await t.db.query<{ n: number }>(
        `select count(*)::int as n from signature s join person p on p.id = s.person_id
          where p.full_name = $1 and s.document_id = $2`,
        [NEW_HIRE, documentId],
      )
    )[0].n;

  async function signDocument(documentId: string, options: { doubleClick?: boolean } = {}) {
    await page.goto(`${baseUrl}/documents/${documentId}`);
    await page.getByRole('checkbox', { name: /I have read and agree to/ }).check();
    await page.getByRole('textbox', { name: /Type your full name/ }).fill(NEW_HIRE);
    const submit = page.getByRole('button', { name: /^Sign version/ });
    await (options.doubleClick ? submit.dblclick() : submit.click());
    await page.getByTestId('signed-notice').waitFor();
  }

  async function answerQuiz(moduleId: string, right: boolean): Promise<void> {
    const [row] = await t.db.query<QuizRow>(
      `select document_id, quiz from document_version where document_id = $1
        order by version_key desc limit 1`,
      [moduleId],
    );
    await page.goto(`${baseUrl}/training/${moduleId}`);
    for (const q of row.quiz.questions) {
      const choice = right ? q.answer : (q.answer + 1) % q.options.length;
      await page.locator(`#q-${q.id}-${choice}`).check();
    }
    await page.getByRole('checkbox', { name: /I completed/ }).check();
    await page.getByRole('textbox', { name: /Type your full name/ }).fill(NEW_HIRE);
    await page.getByRole('button', { name: 'Submit answers' }).click();
    await page.getByTestId('quiz-result').waitFor();
  }

  it('gets a notice in the development mailbox whose link leads, through sign-in, to the NDA', async () => {
    // Her first sign-in makes her known to Attest (as an IdP or HR import would); then she
    // leaves, and the scheduler's pass queues her notice.
    await signInAs(page, NEW_HIRE);
    await hireContext.clearCookies();
    await t.app.get(NotificationScheduler).run(new Date(), { anyHour: true });
    await t.app.get(NotificationDelivery).drain();

    const hrContext = await browser.newContext();
    const hrPage = await hrContext.newPage();
    let link = '';
    try {
      await step(hrPage, '0 HR reads the notice in /dev/mailbox', async () => {
        await signInAs(hrPage, HR);
        await hrPage.goto(`${baseUrl}/dev/mailbox`);
        await accessible(hrPage, '/dev/mailbox');
        await hrPage
          .getByRole('row')
          .filter({ hasText: NEW_HIRE })
          .getByRole('link', {
            name: /new security tasks? to complete|security tasks? (overdue|due soon)/,
          })
          .click();
        await accessible(hrPage, '/dev/mailbox/:id');
        const text = (await hrPage.locator('.mail-text').textContent()) ?? '';
        expect(text).toContain(`Hello ${NEW_HIRE},`);
        link = /(http\S+returnTo=%2Fdocuments%2Fnda)\b/.exec(text)?.[1] ?? '';
        expect(link).toMatch(
          /^http:\/\/127\.0\.0\.1:\d+\/auth\/saml\/login\?returnTo=%2Fdocuments%2Fnda$/,
        );
      });
    } finally {
      await hrContext.close();
    }

    await step(page, '0 the link asks her to sign in, then opens the NDA', async () => {
      await page.goto(link);
      await page.getByRole('button', { name: `Sign in as ${NEW_HIRE}` }).click();
      await page.waitForURL(`${baseUrl}/documents/nda`);
      await page.getByRole('heading', { level: 1, name: /Non-Disclosure/ }).waitFor();
    });
  });

  it('signs in, consents, signs, fails and passes a quiz, and sees every task done', async () => {
    await step(page, '1 sign in at the demo IdP', async () => {
      await signInAs(page, NEW_HIRE);
      await page.getByTestId('task-nda').waitFor();
      await accessible(page, '/me with open tasks');
    });

    await step(page, '2 consent to electronic records, keyboard only', async () => {
      await page.goto(`${baseUrl}/documents`);
      await accessible(page, '/documents');
      await page.goto(`${baseUrl}/documents/consent?next=/documents`);
      await accessible(page, '/documents/consent');
      await page.getByRole('checkbox', { name: /I consent to receive records/ }).focus();
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${baseUrl}/documents`);
    });

    await step(
      page,
      '3 sign the NDA with a double click, then go back and submit again',
      async () => {
        await page.goto(`${baseUrl}/documents/nda`);
        await accessible(page, '/documents/nda (signing form)');
        await signDocument('nda', { doubleClick: true });
        await page.goBack();
        const again = page.getByRole('button', { name: /^Sign version/ });
        if (await again.isVisible()) {
          await page.getByRole('checkbox', { name: /I have read and agree to/ }).check();
          await page.getByRole('textbox', { name: /Type your full name/ }).fill(NEW_HIRE);
          await again.click();
          await page.getByTestId('signed-notice').waitFor();
        }
        expect(await signatureCount('nda')).toBe(1);
      },
    );

    await step(page, '3 sign the confidentiality agreement with the keyboard alone', async () => {
      await page.goto(`${baseUrl}/documents/confidentiality-agreement`);
      await page.getByRole('checkbox', { name: /I have read and agree to/ }).focus();
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
      await page.keyboard.type(NEW_HIRE);
      await page.keyboard.press('Enter');
      await page.getByTestId('signed-notice').waitFor();
      expect(await signatureCount('confidentiality-agreement')).toBe(1);
    });

    await step(page, '3 sign the information security policy and the other policies', async () => {
      for (const id of [
        'information-security-policy',
        'acceptable-use-policy',
        'data-protection-policy',
        'incident-reporting-policy',
      ]) {
        await signDocument(id);
      }
      await accessible(page, '/documents/:id (signed)');
    });

    await step(page, '4 fail one quiz, then pass it', async () => {
      await page.goto(`${baseUrl}/training`);
      await accessible(page, '/training');
      await page.goto(`${baseUrl}/training/training-phishing`);
      await accessible(page, '/training/training-phishing (quiz)');
      await answerQuiz('training-phishing', false);
      await accessible(page, 'quiz result (failed)');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('not passed');
      expect(await signatureCount('training-phishing')).toBe(0);
      await answerQuiz('training-phishing', true);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/: passed$/);
      for (const id of [
        'training-passwords-mfa',
        'training-data-handling',
        'training-incident-reporting',
        'training-physical-security',
      ]) {
        await answerQuiz(id, true);
      }
    });

    await step(page, '5 see every task done on /me', async () => {
      await page.goto(`${baseUrl}/me`);
      await page.getByText('Nothing is waiting for you.').waitFor();
      for (const id of [
        'nda',
        'confidentiality-agreement',
        'information-security-policy',
        'training-phishing',
      ]) {
        expect(await page.getByTestId(`task-${id}`).getAttribute('data-status')).toBe('done');
        expect(await page.getByTestId(`task-${id}`).textContent()).toContain('Done');
      }
      await accessible(page, '/me with every task done');
      await page.goto(`${baseUrl}/me/history`);
      expect(await page.getByTestId('history-row').count()).toBe(11);
      await accessible(page, '/me/history');
    });

    // Every signature and training pass of the journey left a sealed PDF that verifies alone.
    const pdfs = await t.db.query<{ pdf: Uint8Array }>(
      `select a.pdf from attestation a join person p on p.id = a.person_id where p.full_name = $1`,
      [NEW_HIRE],
    );
    expect(pdfs).toHaveLength(11);
    for (const { pdf } of pdfs) expectIndependentToolsAccept(Buffer.from(pdf));
  });

  it('shows HR the new hire’s signatures', async () => {
    const hrContext = await browser.newContext();
    const hrPage = await hrContext.newPage();
    try {
      await step(hrPage, 'HR sees the signatures', async () => {
        await signInAs(hrPage, HR);
        await hrPage.goto(`${baseUrl}/document-signatures`);
        await accessible(hrPage, '/document-signatures');
        for (const id of ['nda', 'confidentiality-agreement', 'information-security-policy']) {
          await hrPage.goto(`${baseUrl}/document-signatures/${id}`);
          const row = hrPage.getByTestId('signer-row').filter({ hasText: NEW_HIRE });
          expect(await row.count()).toBe(1);
          expect(await row.textContent()).toContain('1.0.0');
        }
        await accessible(hrPage, '/document-signatures/:id');
      });
    } finally {
      await hrContext.close();
    }
  });

  it('asks the new hire again when a material version of the policy is synced', async () => {
    await step(page, 'a material version is due again with its change summary', async () => {
      policies.bump(
        'information-security-policy',
        '1.1.0',
        'material',
        'Adds rules for AI assistants and shortens the incident reporting deadline.',
        'Do not paste Confidential or Restricted data into AI assistants the Company has not approved.',
      );
      await t.app.get(DocumentSyncService).sync();
      await page.goto(`${baseUrl}/documents`);
      const due = page.getByTestId('to-sign-information-security-policy');
      await due.waitFor();
      expect(await page.locator('tr', { has: due }).textContent()).toContain(
        'New version since you signed 1.0.0',
      );
      await due.click();
      await page
        .getByText('Adds rules for AI assistants and shortens the incident reporting deadline.')
        .waitFor();
      await page.getByText('Show the changed text').click();
      await page
        .getByText(/Do not paste Confidential or Restricted data/)
        .first()
        .waitFor();
      await accessible(page, '/documents/:id (changes since the signed version)');
      await page.goto(`${baseUrl}/me`);
      await page.getByTestId('task-information-security-policy').waitFor();
    });
    expect(checked.length).toBeGreaterThanOrEqual(12);
  });
});
